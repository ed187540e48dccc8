"""NLU pipeline comparison by `rasa test nlu` cross-validation (issue #4).

Run from the repository root:  .venvs/bot/bin/python -m bench.nlu_pipelines   (make bench-pipelines)
Options: --folds-intents N, --folds-category N, --per-class N, --max-chars N, --only intents|category,
--quick (a smoke run: 2 folds, 1 DIET epoch, 10 messages per class; writes no doc), --keep DIR.

What it does, and why this way:
- Pipeline variants are derived at run time from the CURRENT `config.yml` (as shipped, without the
  char n-gram CountVectors, other DIET epochs, + LexicalSyntacticFeaturizer …), so the comparison
  follows whatever the shipped pipeline becomes. Variants that do not apply (e.g. no char n-gram
  featurizer to remove) are skipped with a message.
- Data set "intents": the bot's own NLU data (`data/`): intents and entities, scored by Rasa's own
  reports (intent_report.json, <extractor>_report.json).
- Data set "category": a stratified sample of `../shared/data/messages.csv` (first-level category as
  the intent, first `--max-chars` characters), written to a temp folder only (never committed;
  skipped with a message when the shared data is absent). It compares DIET classifying the category
  against our category component (`bench/pipelines/fold_category.py`: the same model, trained on the
  fold instead of the whole shared data, its category made the intent so Rasa scores it).
- Each run is `rasa test nlu --cross-validation` unchanged, wrapped by `bench/pipelines/timed_rasa.py`
  only to time each fold's training. Rasa's training cache is disabled (RASA_MAX_CACHE_SIZE=0) so
  a variant never reuses another's trained components and the times are real; runs are `nice`d.
- The results table and the conditions replace only the section "## Pipeline comparison …" of
  docs/nlu-evaluation.md (read fresh just before writing; other sections belong to other commands).
"""
from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import yaml

from bench.doc_sections import replace_section

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "config.yml"
NLU_DATA = REPO / "data"
SHARED_MESSAGES = REPO.parent / "shared" / "data" / "messages.csv"
DOC = REPO / "docs" / "nlu-evaluation.md"
SECTION = "## Pipeline comparison (`rasa test nlu` cross-validation)"
CATEGORY_COMPONENT = "bot.components.category_classifier.CategoryClassifier"
FOLD_CATEGORY_COMPONENT = "bench.pipelines.fold_category.FoldCategoryClassifier"
SEED = 20261125
T0 = time.monotonic()

Pipeline = List[Dict[str, Any]]


def log(text: str) -> None:
    print(f"[nlu_pipelines {time.monotonic() - T0:6.0f} s] {text}", flush=True)


# --- pipeline variants ---------------------------------------------------------------------------

def _index(pipeline: Pipeline, test: Callable[[Dict[str, Any]], bool]) -> Optional[int]:
    return next((i for i, c in enumerate(pipeline) if test(c)), None)


def _is(name: str) -> Callable[[Dict[str, Any]], bool]:
    return lambda c: c.get("name") == name or str(c.get("name", "")).endswith("." + name)


def _is_char_ngrams(component: Dict[str, Any]) -> bool:
    return component.get("name") == "CountVectorsFeaturizer" and component.get("analyzer") in ("char", "char_wb")


def without(pipeline: Pipeline, test: Callable[[Dict[str, Any]], bool]) -> Optional[Pipeline]:
    """The pipeline without the components `test` picks, or None when there are none."""
    kept = [c for c in pipeline if not test(c)]
    return kept if len(kept) < len(pipeline) else None


def with_epochs(epochs: int) -> Callable[[Pipeline], Optional[Pipeline]]:
    def change(pipeline: Pipeline) -> Optional[Pipeline]:
        at = _index(pipeline, _is("DIETClassifier"))
        if at is None or pipeline[at].get("epochs", 300) == epochs:
            return None
        changed = copy.deepcopy(pipeline)
        changed[at]["epochs"] = epochs
        return changed
    return change


def with_lexical_syntactic(pipeline: Pipeline) -> Optional[Pipeline]:
    """+ LexicalSyntacticFeaturizer (token shape, prefixes, suffixes) right before the first CountVectors."""
    if _index(pipeline, _is("LexicalSyntacticFeaturizer")) is not None:
        return None
    at = _index(pipeline, _is("CountVectorsFeaturizer"))
    if at is None:
        return None
    return [*pipeline[:at], {"name": "LexicalSyntacticFeaturizer"}, *pipeline[at:]]


def for_category(pipeline: Pipeline, diet: bool, component: bool) -> Optional[Pipeline]:
    """The shipped pipeline for the category data set: no FallbackClassifier (a fallback would only
    count as an error there), our component replaced by its fold-trained variant placed last so its
    category is the scored intent, and optionally without DIET."""
    kept = [c for c in pipeline if not _is("FallbackClassifier")(c)]
    original = next((c for c in kept if c.get("name") == CATEGORY_COMPONENT), None)
    kept = [c for c in kept if c.get("name") != CATEGORY_COMPONENT]
    if not diet:
        kept = [c for c in kept if not _is("DIETClassifier")(c)]
    if component:
        options = {k: v for k, v in (original or {}).items() if k not in ("name", "use_shared_data")}
        kept.append({"name": FOLD_CATEGORY_COMPONENT, **options})
    elif _index(kept, _is("DIETClassifier")) is None:
        return None
    return kept


@dataclass
class Variant:
    key: str
    title: str
    make: Callable[[Pipeline], Optional[Pipeline]]
    optional: bool = False  # run only when named in --variants or with --all (time box on 2 cores)


INTENT_VARIANTS = [
    Variant("shipped", "as shipped (`config.yml`)", lambda p: copy.deepcopy(p)),
    Variant("no-char", "without the char n-gram CountVectorsFeaturizer", lambda p: without(p, _is_char_ngrams)),
    Variant("epochs-30", "DIET epochs 30", with_epochs(30)),
    Variant("epochs-100", "DIET epochs 100", with_epochs(100), optional=True),
    Variant("lexsyn", "+ LexicalSyntacticFeaturizer", with_lexical_syntactic, optional=True),
]

CATEGORY_VARIANTS = [
    Variant("diet", "DIET classifies the category (shipped pipeline, no category component)",
            lambda p: for_category(p, diet=True, component=False)),
    # "DIET + component" is not a row of its own: the component reads the text, never DIET's output,
    # so with DIET beside it its category (the scored output) is the same as without; only the
    # training time adds up (the two rows' sum).
    Variant("component", "our category component (the shipped pipeline's category; DIET removed)",
            lambda p: for_category(p, diet=False, component=True)),
]


def for_intents(pipeline: Pipeline) -> Pipeline:
    """Our category component trains without the shared data in the intents runs.

    Why: it neither reads nor writes intents, and its whole-message `category` entity is not annotated
    in `data/` (so it is not scored), but on the whole shared data it adds ~1.5 min of training, a
    32 MB model to pack and load, per fold on a busy 2-core machine. Kept in the graph with its own
    examples, so the pipeline keeps its shape.
    """
    changed = copy.deepcopy(pipeline)
    for component in changed:
        if component.get("name") == CATEGORY_COMPONENT:
            component["use_shared_data"] = False
    return changed


def quick_pipeline(pipeline: Pipeline) -> Pipeline:
    """Smoke-run setting: one DIET epoch."""
    changed = copy.deepcopy(pipeline)
    for component in changed:
        if component.get("name") == "DIETClassifier":
            component["epochs"] = 1
    return changed


# --- the category data set -----------------------------------------------------------------------

def category_sample(per_class: int, max_chars: int, source: Path = SHARED_MESSAGES) -> Dict[str, List[str]]:
    """Up to `per_class` distinct messages per first-level category, first `max_chars` characters.

    Subject and body are joined as the category component reads them; whitespace becomes one space
    and square brackets become full-width ones, so no text is read as Rasa's entity markup.
    """
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("category")]
    by_class: Dict[str, List[str]] = {}
    for row in rows:
        text = " ".join(p for p in (row.get("subject"), row.get("body")) if p)
        text = re.sub(r"\s+", " ", text).strip()[:max_chars].replace("[", "【").replace("]", "】")
        if re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", text):
            by_class.setdefault(row["category"], []).append(text)
    rng = random.Random(SEED)
    sample: Dict[str, List[str]] = {}
    for name in sorted(by_class):
        distinct = sorted(set(by_class[name]))
        rng.shuffle(distinct)
        sample[name] = distinct[:per_class]
    seen: Dict[str, str] = {}
    for name, texts in sample.items():  # a text filed under two classes would be unlearnable: drop it
        for text in texts:
            seen[text] = name if text not in seen else ""
    return {name: [t for t in texts if seen[t] == name] for name, texts in sample.items()}


def write_nlu(sample: Dict[str, List[str]], path: Path) -> None:
    lines = ['version: "3.1"', "nlu:"]
    for name, texts in sample.items():
        lines += [f"- intent: {name}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- running rasa test nlu -----------------------------------------------------------------------

@dataclass
class Run:
    dataset: str
    variant: Variant
    folds: int
    out: Path
    pipeline: Pipeline
    train_seconds: List[float] = field(default_factory=list)
    wall_seconds: float = 0.0
    intent: Dict[str, Any] = field(default_factory=dict)
    entities: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    fold_f1: Optional[Tuple[float, float]] = None  # weighted intent F1 over folds: mean, std
    failed: Optional[str] = None
    load: float = 0.0  # 1-minute load average when the run started
    nlu: Path = Path()


def run_cross_validation(run: Run, config: Dict[str, Any], nlu: Path, work: Path) -> None:
    config_path = work / f"config-{run.dataset}-{run.variant.key}.yml"
    config_path.write_text(yaml.safe_dump({**config, "pipeline": run.pipeline}, allow_unicode=True,
                                          sort_keys=False), encoding="utf-8")
    times = run.out / "times.json"
    run.out.mkdir(parents=True, exist_ok=True)
    command = ["nice", "-n", "10", sys.executable, "-m", "bench.pipelines.timed_rasa", str(times),
               "test", "nlu", "--nlu", str(nlu), "--config", str(config_path), "--cross-validation",
               "--folds", str(run.folds), "--out", str(run.out), "--no-plot"]
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_MAX_CACHE_SIZE": "0",
           "RASA_CACHE_DIRECTORY": str(work / "rasa-cache"), "TF_CPP_MIN_LOG_LEVEL": "2",
           "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    with (run.out / "rasa.log").open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        tail: List[str] = []
        for line in process.stderr:
            output.write(line)
            tail = (tail + [line.rstrip()])[-15:]
            if line.startswith("[timed_rasa]"):
                log(f"  {run.dataset}/{run.variant.key}: {line[len('[timed_rasa] '):].strip()}")
        process.wait()
    run.wall_seconds = time.monotonic() - started
    if times.exists():
        run.train_seconds = json.loads(times.read_text(encoding="utf-8"))["train_seconds"]
    report = run.out / "intent_report.json"
    if process.returncode != 0 or not report.exists():
        run.failed = f"rasa exited {process.returncode}; log {run.out / 'rasa.log'}: " + " | ".join(tail[-3:])
        return
    run.intent = json.loads(report.read_text(encoding="utf-8"))
    for path in sorted(run.out.glob("*_report.json")):
        if path.name not in ("intent_report.json", "response_selection_report.json"):
            run.entities[path.name[: -len("_report.json")]] = json.loads(path.read_text(encoding="utf-8"))
    run.fold_f1 = _fold_f1(run.out / "rasa.log")


def save_summary(run: Run) -> None:
    """What --render needs to rebuild the section without rerunning Rasa."""
    data = {"dataset": run.dataset, "variant": run.variant.key, "folds": run.folds, "pipeline": run.pipeline,
            "train_seconds": run.train_seconds, "wall_seconds": run.wall_seconds, "failed": run.failed,
            "fold_f1": run.fold_f1, "load": run.load}
    (run.out / "summary.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def load_run(directory: Path) -> Run:
    data = json.loads((directory / "summary.json").read_text(encoding="utf-8"))
    variant = next(v for v in [*INTENT_VARIANTS, *CATEGORY_VARIANTS] if v.key == data["variant"])
    run = Run(data["dataset"], variant, data["folds"], directory, data["pipeline"], data["train_seconds"],
              data["wall_seconds"], failed=data["failed"], load=data.get("load", 0.0))
    run.fold_f1 = tuple(data["fold_f1"]) if data.get("fold_f1") else None
    if not run.failed:
        run.intent = json.loads((directory / "intent_report.json").read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*_report.json")):
            if path.name not in ("intent_report.json", "response_selection_report.json"):
                run.entities[path.name[: -len("_report.json")]] = json.loads(path.read_text(encoding="utf-8"))
    return run


def _fold_f1(log_path: Path) -> Optional[Tuple[float, float]]:
    """Rasa logs the mean (std) over folds of the weighted intent F1 as "test F1-score: m (s)"."""
    text = log_path.read_text(encoding="utf-8", errors="replace")
    intent_part = text.split("Intent evaluation results")[-1].split("Entity evaluation results")[0]
    found = re.search(r"test F1-score: ([0-9.]+) \(([0-9.]+)\)", intent_part)
    return (float(found.group(1)), float(found.group(2))) if found else None


# --- the report ----------------------------------------------------------------------------------

def _f(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.3f}"


def _avg(report: Dict[str, Any], key: str) -> Optional[float]:
    item = report.get(key)
    return item.get("f1-score") if isinstance(item, dict) else None


def _accuracy(report: Dict[str, Any]) -> Optional[float]:
    value = report.get("accuracy")
    if isinstance(value, (int, float)):
        return float(value)
    return _avg(report, "micro avg")


def _support(report: Dict[str, Any]) -> int:
    return int((report.get("weighted avg") or {}).get("support", 0))


def _train_cell(run: Run) -> str:
    if not run.train_seconds:
        return "–"
    return f"{statistics.median(run.train_seconds):.0f} ({', '.join(f'{s:.0f}' for s in run.train_seconds)})"


_SHORT = {"RegexEntityExtractor": "regex", "RuleEntityExtractor": "rules", "DIETClassifier": "DIET",
          "CRFEntityExtractor": "CRF"}
_AVERAGES = ("micro avg", "macro avg", "weighted avg", "accuracy")


def entity_scores(run: Run) -> Tuple[Dict[str, Tuple[str, float]], Optional[float]]:
    """Per entity label, the extractor that scores it best and its F1; and the micro-F1 over those pairs.

    Why per label: Rasa scores every extractor against every annotated label, so the regex extractor
    looks poor on places it never tries to find. The pipeline's answer for a label is the extractor
    made for it; micro-F1 is recomputed from each pair's precision, recall and support.
    """
    best_by_label: Dict[str, Tuple[str, Dict[str, float]]] = {}
    for extractor, report in run.entities.items():
        if extractor in ("CategoryClassifier", "FoldCategoryClassifier"):
            continue  # its whole-message `category` entity is not annotated in the data: not scored
        for label, scores in report.items():
            if label in _AVERAGES or not isinstance(scores, dict):
                continue
            if label not in best_by_label or scores["f1-score"] > best_by_label[label][1]["f1-score"]:
                best_by_label[label] = (extractor, scores)
    tp = fp = fn = 0.0
    for _, scores in best_by_label.values():
        hits = scores["recall"] * scores["support"]
        tp += hits
        fn += scores["support"] - hits
        fp += hits / scores["precision"] - hits if scores["precision"] > 0 else 0.0
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn > 0 else None
    return {label: (e, s["f1-score"]) for label, (e, s) in best_by_label.items()}, micro


def _entity_cell(run: Run) -> str:
    labels, micro = entity_scores(run)
    if not labels:
        return "no entity annotated"
    parts = ", ".join(f"{label} {f1:.2f} {_SHORT.get(e, e)}" for label, (e, f1) in sorted(labels.items()))
    return f"**{_f(micro)}**: {parts}"


def intents_table(runs: List[Run]) -> List[str]:
    lines = ["| configuration | intent acc | intent macro-F1 | intent weighted-F1 (fold mean ± sd) | entity micro-F1: "
             "per label (best extractor) | training s per fold: median (folds) | wall s |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for run in runs:
        if run.failed:
            lines.append(f"| {run.variant.title} | failed: {run.failed} | | | | | |")
            continue
        spread = f" ({run.fold_f1[0]:.3f} ± {run.fold_f1[1]:.3f})" if run.fold_f1 else ""
        lines.append(f"| {run.variant.title} | {_f(_accuracy(run.intent))} | {_f(_avg(run.intent, 'macro avg'))} "
                     f"| {_f(_avg(run.intent, 'weighted avg'))}{spread} | {_entity_cell(run)} | {_train_cell(run)} "
                     f"| {run.wall_seconds:.0f} |")
    return lines


def category_table(runs: List[Run]) -> List[str]:
    lines = ["| configuration | accuracy | macro-F1 | weighted-F1 (fold mean ± sd) | training s per fold: median "
             "(folds) | wall s |", "| --- | --- | --- | --- | --- | --- |"]
    for run in runs:
        if run.failed:
            lines.append(f"| {run.variant.title} | failed: {run.failed} | | | | |")
            continue
        spread = f" ({run.fold_f1[0]:.3f} ± {run.fold_f1[1]:.3f})" if run.fold_f1 else ""
        lines.append(f"| {run.variant.title} | {_f(_accuracy(run.intent))} | {_f(_avg(run.intent, 'macro avg'))} "
                     f"| {_f(_avg(run.intent, 'weighted avg'))}{spread} | {_train_cell(run)} | {run.wall_seconds:.0f} |")
    return lines


def per_class_table(runs: List[Run]) -> List[str]:
    done = [r for r in runs if not r.failed]
    if not done:
        return []
    classes = sorted(k for k in done[0].intent if k not in ("accuracy", "micro avg", "macro avg", "weighted avg"))
    lines = ["| class | " + " | ".join(f"F1: {r.variant.key}" for r in done) + " |",
             "| --- |" + " --- |" * len(done)]
    for name in classes:
        lines.append(f"| {name} | " + " | ".join(_f(_avg(r.intent, name)) for r in done) + " |")
    return lines


def best(runs: List[Run]) -> Optional[Run]:
    """Highest intent macro-F1; ties (within 0.005) go to the faster training."""
    done = [r for r in runs if not r.failed and _avg(r.intent, "macro avg") is not None]
    if not done:
        return None
    top = max(_avg(r.intent, "macro avg") for r in done)
    close = [r for r in done if top - _avg(r.intent, "macro avg") <= 0.005]
    return min(close, key=lambda r: statistics.median(r.train_seconds) if r.train_seconds else 0.0)


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def run_conditions(args: argparse.Namespace, base: Pipeline) -> Dict[str, Any]:
    """The conditions of this run, saved beside the reports so --render can state them."""
    return {
        "date": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "commit": _git("rev-parse", "--short", "HEAD"),
        "config_dirty": bool(_git("status", "--porcelain", "--", "config.yml", "data")),
        "config_sha256": hashlib.sha256(CONFIG.read_bytes()).hexdigest()[:12],
        "cores": os.cpu_count(), "jobs": args.jobs, "folds_intents": args.folds_intents,
        "folds_category": args.folds_category, "per_class": args.per_class, "max_chars": args.max_chars,
        "base": base, "sample_sizes": {}, "folds_seeded": True,
    }


def conditions(meta: Dict[str, Any], runs: List[Run]) -> List[str]:
    dirty = " (config.yml / data/ with uncommitted changes)" if meta["config_dirty"] else ""
    diet = next((c for c in meta["base"] if c.get("name") == "DIETClassifier"), {})
    loads = ", ".join(f"{r.load:.1f}" for r in runs)
    sizes = meta["sample_sizes"]
    lines = [
        f"- Run {meta['date']}, commit {meta['commit']}{dirty}, config.yml sha256 {meta['config_sha256']}; "
        f"Rasa 3.6.21 on {meta['cores']} cores shared with other jobs, {meta['jobs']} run(s) at a time, "
        f"`nice -n 10`, training cache off; 1-minute load average at each run's start: {loads}. Times are "
        "therefore noisy: compare them within this table, not with other machines.",
        f"- Shipped DIET: epochs {diet.get('epochs', 300)}, transformer layers "
        f"{diet.get('number_of_transformer_layers', 2)}, size {diet.get('transformer_size', 256)}, "
        f"entity_recognition {diet.get('entity_recognition', True)}.",
    ]
    if "intents" in sizes:
        lines.append(f"- Data set *intents*: the bot's own `data/` ({sizes['intents']} intent examples), "
                     f"{meta['folds_intents']}-fold stratified cross-validation. In these runs our category "
                     "component trains on its own examples only (not the shared data): it does not touch intents "
                     "or the annotated entities, and would add ~1.5 min per fold.")
    lines += [f"- {note}" for note in meta.get("notes", [])]  # added by hand to meta.json, e.g. a rerun row
    if "category" in sizes:
        lines.append(f"- Data set *category*: {sizes['category']} real messages of "
                     f"`shared/data/messages.csv` (up to {meta['per_class']} per first-level class, seed {SEED}, "
                     f"first {meta['max_chars']} characters; read at run time, written to a temp folder only), "
                     f"{meta['folds_category']}-fold stratified cross-validation.")
    return lines


def section_text(meta: Dict[str, Any], intent_runs: List[Run], category_runs: List[Run], findings: str) -> str:
    folds = ("The folds are the same for every row (NumPy seeded before Rasa's shuffled StratifiedKFold)."
             if meta.get("folds_seeded") else
             "Rasa draws its folds at random (StratifiedKFold, shuffled, unseeded in this run): each row was "
             "scored on its own split of the same data, so differences within about two fold sd are noise.")
    lines = [SECTION, "",
             "Generated by `.venvs/bot/bin/python -m bench.nlu_pipelines` (`make bench-pipelines`; this section "
             "only, the rest of the file belongs to other commands). Each row is one `rasa test nlu "
             "--cross-validation` run of a variant of the current `config.yml`; scores are Rasa's, pooled over the "
             "test folds (intent_report.json, <extractor>_report.json); training time is per fold, timed around "
             f"Rasa's `train_nlu`; wall time includes scoring every fold's train and test parts. {folds}", "",
             *conditions(meta, [r for r in [*intent_runs, *category_runs] if r.wall_seconds]), ""]
    if intent_runs:
        lines += ["### The bot's intents and entities (`data/`)", "", *intents_table(intent_runs), ""]
    if category_runs:
        lines += ["### First-level category of real messages: DIET or our category component", "",
                  *category_table(category_runs), "",
                  "Per class (F1, pooled test folds):", "", *per_class_table(category_runs), ""]
        lines += same_split_lines(meta)
    elif "category" not in meta["sample_sizes"]:
        lines += ["The category comparison needs `../shared/data/messages.csv`; it was not there for this run.", ""]
    lines += [findings.strip(), ""]
    return "\n".join(lines)


def same_split_lines(meta: Dict[str, Any]) -> List[str]:
    """One fold scored by hand when DIET's category cross-validation outlasts the time box.

    `meta["same_split"]`: {"note", "train", "test", "rows": [{"title", "report" (an intent_report.json
    path), "train_seconds"}]}, added to meta.json by whoever scored the fold; absent normally.
    """
    split = meta.get("same_split")
    if not split:
        return []
    lines = [f"One fold, the same split for both ({split['train']} messages to train, {split['test']} to test): "
             f"{split['note']}", "",
             "| configuration | accuracy | macro-F1 | weighted-F1 | training s |", "| --- | --- | --- | --- | --- |"]
    reports = []
    for row in split["rows"]:
        report = json.loads(Path(row["report"]).read_text(encoding="utf-8"))
        reports.append((row["title"], report))
        lines.append(f"| {row['title']} | {_f(_accuracy(report))} | {_f(_avg(report, 'macro avg'))} | "
                     f"{_f(_avg(report, 'weighted avg'))} | {row['train_seconds']:.0f} |")
    classes = sorted(k for k in reports[0][1] if k not in _AVERAGES)
    lines += ["", "| class | " + " | ".join(f"F1: {t}" for t, _ in reports) + " |",
              "| --- |" + " --- |" * len(reports)]
    lines += [f"| {c} | " + " | ".join(_f(_avg(r, c)) for _, r in reports) + " |" for c in classes]
    return [*lines, ""]


def _macro(run: Optional[Run]) -> Optional[float]:
    return None if run is None or run.failed else _avg(run.intent, "macro avg")


def _by_key(runs: List[Run], key: str) -> Optional[Run]:
    return next((r for r in runs if r.variant.key == key and not r.failed), None)


def _confusions(run: Run, count: int = 6) -> str:
    path = run.out / "intent_errors.json"
    if not path.exists():
        return ""
    pairs: Dict[Tuple[str, str], int] = {}
    for error in json.loads(path.read_text(encoding="utf-8")):
        pair = (error["intent"], (error.get("intent_prediction") or {}).get("name") or "None")
        pairs[pair] = pairs.get(pair, 0) + 1
    ranked = sorted(pairs.items(), key=lambda item: -item[1])[:count]
    return "; ".join(f"{t} → {p} {n}" for (t, p), n in ranked)


def _weakest(run: Run, count: int = 4) -> str:
    rows = [(k, v["f1-score"], int(v["support"])) for k, v in run.intent.items()
            if isinstance(v, dict) and k not in _AVERAGES]
    return ", ".join(f"{k} {f1:.2f} ({n})" for k, f1, n in sorted(rows, key=lambda r: r[1])[:count])


def _category_reading(where: str, diet: Optional[float], component: Optional[float], tested: int,
                      diet_seconds: Optional[float], component_seconds: Optional[float]) -> str:
    """DIET against the component on the category, with the sampling noise of the test set stated."""
    if diet is None or component is None:
        return ""
    noise = 2 * (component * (1 - component) / max(tested, 1)) ** 0.5  # ~2 standard errors of a proportion
    verdict = "a tie within sampling noise" if abs(component - diet) < noise else (
        "better" if component > diet else "worse")
    speed = (f"; training per fold {diet_seconds:.0f} s against {component_seconds:.0f} s "
             f"({diet_seconds / component_seconds:.0f}x)" if diet_seconds and component_seconds else "")
    return (f"- {where}, our category component reaches macro-F1 {component:.3f} against DIET's {diet:.3f} "
            f"({component - diet:+.3f} on {tested} test messages, where ~2 standard errors are ±{noise:.3f}: "
            f"{verdict}){speed}.")


def _median_train(run: Run) -> Optional[float]:
    return statistics.median(run.train_seconds) if run.train_seconds else None


def automatic_findings(intent_runs: List[Run], category_runs: List[Run],
                       meta: Optional[Dict[str, Any]] = None) -> str:
    """The reading of the tables, computed from them, so a rerun cannot leave stale claims behind."""
    lines = ["**Best by these figures** (highest macro-F1; within 0.005 the faster training wins):"]
    for label, runs in (("intents", intent_runs), ("category", category_runs)):
        top = best(runs)
        if top is not None:
            lines.append(f"- {label}: {top.variant.title} (macro-F1 {_f(_avg(top.intent, 'macro avg'))}).")
    lines += ["", "**Reading:**", ""]
    shipped = _by_key(intent_runs, "shipped")
    if shipped is not None:
        intents = len([k for k in shipped.intent if k not in _AVERAGES])
        lines.append(f"- The shipped pipeline recognises {_f(_accuracy(shipped.intent))} of the bot's own examples "
                     f"when they are held out (macro-F1 {_f(_macro(shipped))}): {_support(shipped.intent)} examples "
                     f"for {intents} intents, and each fold trains on two thirds of them. Weakest intents (F1, "
                     f"examples): {_weakest(shipped)}. Most frequent confusions: {_confusions(shipped)}. More and "
                     "more varied examples of the weak intents should help more than any setting compared here.")
        for key, what in (("no-char", "Without the char n-gram CountVectors"), ("epochs-30", "With 30 DIET epochs"),
                          ("epochs-100", "With 100 DIET epochs"), ("lexsyn", "With LexicalSyntacticFeaturizer")):
            other = _by_key(intent_runs, key)
            if other is None or _macro(other) is None or _macro(shipped) is None:
                continue
            delta = _macro(other) - _macro(shipped)
            accuracy = _accuracy(shipped.intent) or 0.0
            noise = 2 * (accuracy * (1 - accuracy) / max(_support(shipped.intent), 1)) ** 0.5
            verdict = "within sampling noise" if abs(delta) < noise else ("better" if delta > 0 else "worse")
            times = ""
            if _median_train(other) and _median_train(shipped):
                times = f"; training {_median_train(other) / _median_train(shipped):.2f}x the shipped time per fold"
            lines.append(f"- {what} the macro-F1 is {_f(_macro(other))} ({delta:+.3f} against as shipped, where ~2 "
                         f"standard errors of an accuracy on these examples are ±{noise:.3f}: {verdict}){times}.")
        lines.append("- Entities (place, event_time, phone, person_name by our rule extractor, ticket_number by "
                     "the regex extractor) come from rules, not learning: cross-validation does not change them, "
                     "and every row scores the same. The rules were written with these examples in view, so their "
                     "score says the rules and the annotations agree, not how they fare on new messages.")
    diet, component = _by_key(category_runs, "diet"), _by_key(category_runs, "component")
    if diet is not None and component is not None:
        lines.append(_category_reading("Cross-validated", _macro(diet), _macro(component),
                                       _support(component.intent), _median_train(diet), _median_train(component)))
    else:
        unfinished = next((r for r in category_runs if r.variant.key == "diet" and r.failed), None)
        if unfinished is not None and component is not None and unfinished.train_seconds:
            lines.append(f"- Category: DIET did not finish its cross-validation in this run's time box; its folds' "
                         f"training took {', '.join(f'{t:.0f}' for t in unfinished.train_seconds)} s against "
                         f"{_median_train(component):.0f} s for our component (median per fold).")
    rows = (meta or {}).get("same_split", {}).get("rows", [])
    if len(rows) == 2:
        a, b = [json.loads(Path(r["report"]).read_text(encoding="utf-8")) for r in rows]
        lines.append(_category_reading("On the one fold scored for both", _avg(a, "macro avg"), _avg(b, "macro avg"),
                                       _support(b), rows[0]["train_seconds"], rows[1]["train_seconds"]))
    if any(line.startswith("- Category") or line.startswith("- Cross") or line.startswith("- On the one")
           for line in lines):
        lines.append("- So the separate category component is kept for its cost, not for a better score on a small "
                     "sample: it trains on all the shared data (12,000 long texts; see the Results section above) "
                     "in about a minute, where DIET with the shipped featurizers already needs many minutes per "
                     "fold for a few hundred 300-character texts on this machine. DIET keeps the short dialogue "
                     "intents.")
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace this section (up to the next "## " heading) or append it; leave every other section."""
    replace_section(DOC, SECTION, text)


# --- main ----------------------------------------------------------------------------------------

def render(work: Path, write_doc: bool) -> None:
    """Build the section from the reports and summaries of a run kept in `work`."""
    meta = json.loads((work / "meta.json").read_text(encoding="utf-8"))
    order = [f"{d}-{v.key}" for d, vs in (("intents", INTENT_VARIANTS), ("category", CATEGORY_VARIANTS)) for v in vs]
    runs = []
    for name in order:
        directory = work / "runs" / name
        if (directory / "summary.json").exists():
            runs.append(load_run(directory))
        elif (directory / "times.json").exists():  # still running, or stopped: say so, with the folds timed
            dataset, key = name.split("-", 1)
            variant = next(v for v in [*INTENT_VARIANTS, *CATEGORY_VARIANTS] if v.key == key)
            seconds = json.loads((directory / "times.json").read_text(encoding="utf-8"))["train_seconds"]
            runs.append(Run(dataset, variant, 0, directory, [], seconds,
                            failed=f"not finished when this section was written ({len(seconds)} fold(s) trained)"))
    intent_runs = [r for r in runs if r.dataset == "intents"]
    category_runs = [r for r in runs if r.dataset == "category"]
    findings = automatic_findings(intent_runs, category_runs, meta)
    text = section_text(meta, intent_runs, category_runs, findings)
    print(text, flush=True)
    if write_doc:
        write_section(text)
        log(f"wrote the section '{SECTION}' of {DOC.relative_to(REPO)}")
    else:
        log("not writing the doc (--quick / --no-doc)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds-intents", type=int, default=3)
    parser.add_argument("--folds-category", type=int, default=3)
    parser.add_argument("--per-class", type=int, default=60)
    parser.add_argument("--max-chars", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=1, help="cross-validations at a time (default 1)")
    parser.add_argument("--only", choices=("intents", "category"))
    parser.add_argument("--variants", help="comma-separated variant keys to run (default: all)")
    parser.add_argument("--all", action="store_true", help="also the optional variants (DIET epochs 100, "
                        "+ LexicalSyntacticFeaturizer): on a busy 2-core machine each adds ~20-40 min")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 folds, 1 epoch, 10 per class, no doc")
    parser.add_argument("--no-doc", action="store_true", help=f"do not write {DOC.relative_to(REPO)}")
    parser.add_argument("--keep", type=Path, help="keep Rasa's reports and logs in this folder")
    parser.add_argument("--render", type=Path, metavar="DIR",
                        help="no runs: rebuild the section from a folder kept with --keep")
    args = parser.parse_args()
    if args.render:
        render(args.render, write_doc=not args.no_doc)
        return
    if args.keep and args.keep.resolve().is_relative_to(REPO):
        parser.error("--keep must be outside the repository: Rasa's error files quote the shared messages")
    if args.quick:
        args.folds_intents = args.folds_category = 2
        args.per_class = 10
        args.no_doc = True

    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    base: Pipeline = config["pipeline"]
    config = {k: v for k, v in config.items() if k not in ("policies", "pipeline")}
    wanted = set(args.variants.split(",")) if args.variants else None
    meta = run_conditions(args, base)

    with tempfile.TemporaryDirectory(prefix="yijian-pipelines-") as temp:
        work = (args.keep or Path(temp)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        plans: List[Tuple[str, Variant, Path, int]] = []
        if args.only in (None, "intents"):
            snapshot = work / "data-snapshot"  # every variant sees the same data, even if data/ changes meanwhile
            shutil.rmtree(snapshot, ignore_errors=True)
            shutil.copytree(NLU_DATA, snapshot)
            plans += [("intents", v, snapshot, args.folds_intents) for v in INTENT_VARIANTS]
        if args.only in (None, "category"):
            if SHARED_MESSAGES.is_file():
                sample = category_sample(args.per_class, args.max_chars)
                meta["sample_sizes"]["category"] = sum(len(t) for t in sample.values())
                category_nlu = Path(temp) / "category-nlu.yml"  # shared texts: always the temp folder
                write_nlu(sample, category_nlu)
                log(f"category sample: {meta['sample_sizes']['category']} messages in {len(sample)} classes")
                plans += [("category", v, category_nlu, args.folds_category) for v in CATEGORY_VARIANTS]
            else:
                log(f"no {SHARED_MESSAGES}: the category comparison is skipped")

        runs: List[Run] = []
        category_first = [p for p in plans if p[0] == "category"]  # the slowest runs start first
        others = [p for p in plans if p[0] != "category"]
        plans = [p for pair in zip_longest(category_first, others) for p in pair if p is not None]
        for dataset, variant, nlu, folds in plans:
            if (wanted and variant.key not in wanted) or (not wanted and variant.optional and not args.all):
                continue
            pipeline = variant.make(base)
            if pipeline is None:
                log(f"{dataset}/{variant.key}: does not apply to the current config.yml, skipped")
                continue
            if dataset == "intents":
                pipeline = for_intents(pipeline)
            if args.quick:
                pipeline = quick_pipeline(pipeline)
            runs.append(Run(dataset, variant, folds, work / "runs" / f"{dataset}-{variant.key}", pipeline))
            runs[-1].nlu = nlu

        def execute(run: Run) -> Run:
            run.load = os.getloadavg()[0]
            log(f"{run.dataset}/{run.variant.key}: {run.folds}-fold cross-validation of '{run.variant.title}' "
                f"(load {run.load:.1f})")
            run_cross_validation(run, config, run.nlu, work)
            save_summary(run)
            if run.failed:
                log(f"{run.dataset}/{run.variant.key}: FAILED: {run.failed}")
            else:
                log(f"{run.dataset}/{run.variant.key}: intent macro-F1 {_f(_avg(run.intent, 'macro avg'))}, "
                    f"accuracy {_f(_accuracy(run.intent))}, training {_train_cell(run)} s, "
                    f"wall {run.wall_seconds:.0f} s")
            if run.dataset == "intents" and not run.failed:
                meta["sample_sizes"]["intents"] = _support(run.intent)
            return run

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            list(pool.map(execute, runs))
        (work / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        render(work, write_doc=not args.no_doc)
        if any(r.failed for r in runs):
            sys.exit(1)


if __name__ == "__main__":
    main()
