"""Training time of the full Rasa model (`rasa train --force`), median of several runs.

Trains exactly what `make model` trains (config.yml, domain.yml, data/, our components; the
category component reads ../shared/data when it is there) into a temporary folder with a fresh
training cache, so nothing is reused and the checkout's models/ and .rasa/ stay untouched. Records
the machine's load average and the peak memory of the training process tree for every run.
Run: `make bench-training` (or `.venvs/ticketing/bin/python -m bench.training_time --runs 3`).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.perf_doc import RunConditions, write_section
from bench.process_memory import PeakMemory, mib
from launcher.model import rasa_env
from launcher.paths import REPO, bot_bin

SHARED_DATA = REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class TrainingRun:
    seconds: float
    peak_rss: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    model_bytes: int
    mean_load: float  # mean of the 1-minute load average sampled every second during the training


def train_once(workdir: Path, index: int) -> TrainingRun:
    """One full training into `workdir`, with its own empty cache."""
    out = workdir / f"run-{index}"
    env = {**rasa_env(), "RASA_CACHE_DIRECTORY": str(out / "cache")}
    command = [bot_bin("rasa"), "train", "--force", "--out", str(out), "--fixed-model-name", "bench"]
    log = (out / "train.log")
    out.mkdir(parents=True)
    load_before = os.getloadavg()
    started = time.perf_counter()
    with log.open("wb") as handle:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
        loads: list[float] = []
        with PeakMemory({"train": process.pid}, interval=1.0) as peak:
            while process.poll() is None:
                loads.append(os.getloadavg()[0])
                time.sleep(1.0)
            code = process.returncode
    seconds = time.perf_counter() - started
    if code != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise SystemExit(f"rasa train failed (exit {code}); end of its log:\n{tail}")
    model = out / "bench.tar.gz"
    return TrainingRun(seconds, peak.peaks["train"], load_before, os.getloadavg(), model.stat().st_size,
                       statistics.fmean(loads or [load_before[0]]))


def report(runs: list[TrainingRun], conditions: RunConditions) -> str:
    median = statistics.median(r.seconds for r in runs)
    shared = "present (the category component trains on it)" if SHARED_DATA.is_dir() else "absent"
    rows = "\n".join(
        f"| {i} | {r.seconds:.0f} | {mib(r.peak_rss)} | {r.load_before[0]:.1f} → {r.load_after[0]:.1f} "
        f"(mean {r.mean_load:.1f}) | "
        f"{r.model_bytes / 2**20:.0f} |" for i, r in enumerate(runs, 1))
    return f"""### Training time of the full model

`make bench-training` (`bench/training_time.py`) runs `rasa train --force` of the full model (config.yml,
domain.yml, data/, our components; `../shared/data` {shared}) {len(runs)} time(s), each into a temporary
folder with an empty training cache, one after the other, and reports the median wall time. Peak memory
is the highest RSS of the `rasa train` process tree, sampled every second.

{conditions.describe(os.getloadavg())}

**Median: {median:.0f} s** over {len(runs)} run(s).

| run | seconds | peak RSS (MiB) | load average (1 min) before → after (mean during) | model (MiB) |
| --- | --- | --- | --- | --- |
{rows}

Training is CPU-bound on the 2 cores (jieba, the count vectorizers, DIET's 60 epochs, the category
model): under a load average above 2 the same training takes proportionally longer.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="trainings to take the median of (each ~1-3 min)")
    parser.add_argument("--no-doc", action="store_true", help="print only; do not write docs/performance.md")
    args = parser.parse_args(argv)
    if not Path(bot_bin("rasa")).exists():
        sys.exit("the bot environment is missing (.venvs/bot): run `make setup` first")
    conditions = RunConditions.now()
    runs: list[TrainingRun] = []
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        for index in range(1, args.runs + 1):
            print(f"training {index}/{args.runs} (load average {os.getloadavg()[0]:.1f}) …", flush=True)
            run = train_once(Path(tmp), index)
            runs.append(run)
            print(f"  {run.seconds:.0f} s, peak RSS {mib(run.peak_rss)} MiB, model {run.model_bytes / 2**20:.0f} MiB, "
                  f"mean load average {run.mean_load:.1f}",
                  flush=True)
    text = report(runs, conditions)
    print(text)
    if not args.no_doc:
        write_section("training_time", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
