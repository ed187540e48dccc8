"""Run the `rasa` command line unchanged, recording how long each NLU training takes.

Why: `rasa test nlu --cross-validation` trains one model per fold but reports no times, and its log
has only one-second stamps. Wrapping `rasa.model_training.train_nlu` (which `cross_validate` looks up
at call time) times each fold's training exactly without changing what Rasa does.

Usage:  python -m bench.pipelines.timed_rasa TIMES.json test nlu --nlu ... --cross-validation ...
Also seeds NumPy's global generator first: Rasa's `generate_folds` shuffles with
`StratifiedKFold(shuffle=True)` and no seed, so without it every run (and every variant) would be
scored on different folds.
Writes TIMES.json: {"train_seconds": [fold 1, fold 2, ...], "fold_seconds": [...]} (fold_seconds:
from one training's start to the next one's, i.e. training plus scoring the fold's train and test
parts; the last fold's runs to the end of the command).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, List

FOLD_SEED = 20261125


def main() -> None:
    times_path = Path(sys.argv[1])
    rasa_args = sys.argv[2:]

    import numpy

    numpy.random.seed(FOLD_SEED)

    import rasa.model_training
    from rasa.__main__ import main as rasa_main

    train_seconds: List[float] = []
    starts: List[float] = []
    original = rasa.model_training.train_nlu

    def timed_train_nlu(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        starts.append(started)
        print(f"[timed_rasa] fold {len(starts)}: training", file=sys.stderr, flush=True)
        result = original(*args, **kwargs)
        train_seconds.append(time.monotonic() - started)
        print(f"[timed_rasa] fold {len(starts)}: trained in {train_seconds[-1]:.1f} s", file=sys.stderr,
              flush=True)
        _write(times_path, train_seconds, starts, None)
        return result

    rasa.model_training.train_nlu = timed_train_nlu
    sys.argv = ["rasa", *rasa_args]
    try:
        rasa_main()
    finally:
        _write(times_path, train_seconds, starts, time.monotonic())


def _write(path: Path, train_seconds: List[float], starts: List[float], end: Any) -> None:
    bounds = [*starts[1:], end] if end is not None else starts[1:]
    fold_seconds = [b - a for a, b in zip(starts, bounds)]
    path.write_text(json.dumps({"train_seconds": train_seconds, "fold_seconds": fold_seconds}), encoding="utf-8")


if __name__ == "__main__":
    main()
