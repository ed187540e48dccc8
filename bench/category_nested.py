"""Nested evaluation of the first-level category, and the automatic-dispatch rule it sets.

Run from the repository root:  .venvs/bot/bin/python -m bench.category_nested [--read-final]
(`make bench-category` runs both steps.) Progress is printed as it goes; ~30 min on 2 busy cores.

Why: issue #15 found that the category model's +0.02 over the plain baseline, measured on the
split its settings were chosen on, did not hold on unseen messages. The protocol now:
1. The frozen final part (bench/category_final_split.py, 20 % of each shared file) is never read
   for a choice.
2. Inside the development part, repeated stratified k-fold cross-validation scores every candidate
   on the same folds: per-fold macro-F1 differences against the baseline with Nadeau-Bengio corrected
   95 % intervals. The out-of-fold predictions also fit the dispatch calibration (a logistic model of
   "is the first level right" on the model's own signals, `CategoryModel.dispatch_features`) and set
   the threshold by the rule in ticketing/config/routing.yml: the lowest threshold at which the
   cross-validated accuracy of the automatically dispatched share reaches `auto_dispatch_min_accuracy`
   on whole messages and on titles alike. The calibration goes to
   bot/category_data/dispatch_calibration.yml and the threshold to routing.yml, both written here.
3. With --read-final, the candidates train on the whole development part and the final part is read
   once: accuracy and macro-F1 with bootstrap intervals, paired bootstrap and McNemar against the
   baseline, the dispatched share and its accuracy at the chosen threshold, a reliability diagram.
   Each read is logged in the doc with its date and commit, so a second look shows.
The component's default ships only if its gain over the baseline holds in step 3.
"""
from __future__ import annotations

import argparse
import datetime as dt
import pickle
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from bench import category_final_split as final_split
from bench import category_stats as st
from bench import nlu_eval as ev
from bench.doc_sections import replace_section
from bot.components import category_sources as sources
from bot.components.category_model import DISPATCH_FEATURES, CategoryModel, DispatchCalibration, ModelSettings, _softmax

T0 = time.monotonic()
REPO = ev.REPO
DOC = ev.DOC
SECTION = "## Nested evaluation: frozen final split, intervals, automatic dispatch"
IMAGE = REPO / "docs" / "img" / "category-reliability.png"
CALIBRATION = REPO / "bot" / "category_data" / "dispatch_calibration.yml"
ROUTING = REPO / "ticketing" / "config" / "routing.yml"
CACHE = REPO / "bench" / ".cache"
BASELINE = "baseline"
OURS = "ours"


def log(text: str) -> None:
    print(f"[category_nested {time.monotonic() - T0:5.0f} s] {text}", flush=True)


@dataclass
class Fitted:
    """A trained candidate: its predictions, and for ours the dispatch signals."""

    predicted: np.ndarray
    softmax_top: Optional[np.ndarray] = None
    features: Optional[np.ndarray] = None


Candidate = Callable[[ev.Split, Tuple[List[str], List[str]]], Fitted]


def plain_baseline(split: ev.Split, own: Tuple[List[str], List[str]]) -> Fitted:
    """The issue's baseline: char 1-3-gram TF-IDF + LinearSVC, defaults, the same file only."""
    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())
    model.fit(split.train_x, split.train_y)
    return Fitted(np.asarray(model.predict(split.test_x)))


def baseline_all_data(split: ev.Split, own: Tuple[List[str], List[str]]) -> Fitted:
    """The baseline's model on ours' training data: separates "more data" from "a better model"."""
    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())
    model.fit(split.train_x + own[0] + split.other_x, split.train_y + own[1] + split.other_y)
    return Fitted(np.asarray(model.predict(split.test_x)))


def component(split: ev.Split, own: Tuple[List[str], List[str]]) -> Fitted:
    """The Rasa component's model with its defaults, on what the component trains on."""
    model = CategoryModel(ModelSettings()).fit(split.train_x + own[0] + split.other_x,
                                               split.train_y + own[1] + split.other_y)
    probs = _softmax(model._scores(split.test_x))
    return Fitted(np.asarray(model.classes)[probs.argmax(axis=1)], probs.max(axis=1),
                  model.dispatch_features(split.test_x))


CANDIDATES: Dict[str, Candidate] = {
    BASELINE: plain_baseline,
    "baseline on ours' data (same file + other file + own examples)": baseline_all_data,
    OURS: component,
}


@dataclass
class TaskRun:
    """One task's out-of-fold predictions (per repeat) and per-fold scores, over the development part."""

    task: str
    dev: np.ndarray
    final: np.ndarray
    truth: np.ndarray  # of the development items, in `dev` order
    predicted: Dict[str, List[np.ndarray]] = field(default_factory=dict)  # candidate -> per repeat
    softmax_top: List[np.ndarray] = field(default_factory=list)
    features: List[np.ndarray] = field(default_factory=list)
    fold_f1: Dict[str, List[float]] = field(default_factory=dict)
    fold_acc: Dict[str, List[float]] = field(default_factory=dict)
    test_share: float = 0.0


def task_labels(corpus: ev.Corpus, task: str) -> Tuple[List[str], List[str]]:
    return (corpus.mx, corpus.my) if task == "messages" else (corpus.sx, corpus.sy)


def cross_validate(corpus: ev.Corpus, task: str, own: Tuple[List[str], List[str]], folds: int,
                   repeats: int) -> TaskRun:
    texts, labels = task_labels(corpus, task)
    dev, final = final_split.development_indices(texts), final_split.final_indices(texts)
    y = np.asarray(labels)
    run = TaskRun(task, dev, final, y[dev], test_share=1 / folds)
    for repeat in range(repeats):
        chooser = StratifiedKFold(folds, shuffle=True, random_state=repeat)
        predicted = {name: np.empty(len(dev), dtype=object) for name in CANDIDATES}
        softmax_top, features = np.zeros(len(dev)), np.zeros((len(dev), len(DISPATCH_FEATURES)))
        for number, (a, b) in enumerate(chooser.split(dev, y[dev]), 1):
            # Items of the other file that overlap the fold or the final part stay out of training.
            split = corpus.split(task, dev[a], dev[b], np.concatenate([final, dev[b]]))
            present = sorted(set(split.test_y))
            for name, candidate in CANDIDATES.items():
                fitted = candidate(split, own)
                predicted[name][b] = fitted.predicted
                run.fold_f1.setdefault(name, []).append(
                    f1_score(split.test_y, fitted.predicted, labels=present, average="macro"))
                run.fold_acc.setdefault(name, []).append(accuracy_score(split.test_y, fitted.predicted))
                if fitted.features is not None:
                    softmax_top[b], features[b] = fitted.softmax_top, fitted.features
            log(f"{task}: repeat {repeat + 1}/{repeats}, fold {number}/{folds}: "
                + ", ".join(f"{n.split(' ')[0]} {run.fold_f1[n][-1]:.3f}" for n in CANDIDATES))
        for name in CANDIDATES:
            run.predicted.setdefault(name, []).append(predicted[name])
        run.softmax_top.append(softmax_top)
        run.features.append(features)
    return run


def fit_calibration(features: np.ndarray, right: np.ndarray) -> DispatchCalibration:
    scaler = StandardScaler().fit(features)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(features), right)
    return DispatchCalibration(mean=[float(v) for v in scaler.mean_], scale=[float(v) for v in scaler.scale_],
                               coef=[float(v) for v in model.coef_[0]], intercept=float(model.intercept_[0]))


@dataclass
class Choice:
    """What cross-validation chose: the calibration, the threshold, and the out-of-fold evidence."""

    calibration: DispatchCalibration
    threshold: Optional[float]
    min_accuracy: float
    calibrated: Dict[str, np.ndarray]  # task -> cross-validated calibrated confidence (repeat 1)
    right: Dict[str, np.ndarray]
    softmax_top: Dict[str, np.ndarray]


def choose(runs: Sequence[TaskRun], min_accuracy: float) -> Choice:
    """Calibration fitted on every out-of-fold row of both tasks; the threshold by the rule, on
    calibrated confidences that are themselves out-of-fold (grouped by item: no item's own row)."""
    rows = []
    for number, run in enumerate(runs):
        for repeat, (predicted, features) in enumerate(zip(run.predicted[OURS], run.features)):
            rows.append((features, predicted == run.truth, number, np.arange(len(run.dev)) + 100_000 * number))
    features = np.vstack([r[0] for r in rows])
    right = np.concatenate([r[1] for r in rows]).astype(bool)
    task_of = np.concatenate([np.full(len(r[1]), r[2]) for r in rows])
    group = np.concatenate([r[3] for r in rows])
    calibrated = np.zeros(len(right))
    for train, test in GroupKFold(5).split(features, right, group):
        calibrated[test] = fit_calibration(features[train], right[train]).probability(features[test])
    per_task, per_right, per_soft = {}, {}, {}
    for number, run in enumerate(runs):
        first = np.where(task_of == number)[0][: len(run.dev)]  # repeat 1's rows of this task
        per_task[run.task], per_right[run.task] = calibrated[first], right[first]
        per_soft[run.task] = run.softmax_top[0]
    threshold = st.lowest_threshold([(per_task[t], per_right[t]) for t in per_task], min_accuracy)
    return Choice(fit_calibration(features, right), threshold, min_accuracy, per_task, per_right, per_soft)


def rule_accuracy() -> float:
    data = yaml.safe_load(ROUTING.read_text(encoding="utf-8"))
    value = data.get("auto_dispatch_min_accuracy")
    if not isinstance(value, (int, float)) or not 0 < value < 1:
        raise SystemExit("routing.yml needs auto_dispatch_min_accuracy, a number between 0 and 1")
    return float(value)


def write_choice(choice: Choice, commit: str) -> None:
    """The calibration to its YAML, the threshold into routing.yml (its one line, nothing else)."""
    header = ("# Dispatch calibration of the category model: P(first level right) from its own signals.\n"
              f"# Written by bench.category_nested (commit {commit}, {dt.date.today()}) from out-of-fold\n"
              "# predictions inside the development part; do not edit by hand.\n")
    body = {"features": list(DISPATCH_FEATURES), "mean": choice.calibration.mean, "scale": choice.calibration.scale,
            "coef": choice.calibration.coef, "intercept": choice.calibration.intercept}
    CALIBRATION.write_text(header + yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    threshold = choice.threshold if choice.threshold is not None else 1.0
    text = ROUTING.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^min_category_confidence: .*$",
                          f"min_category_confidence: {threshold}  # written by bench.category_nested", text)
    if count != 1:
        raise SystemExit("routing.yml: expected exactly one min_category_confidence line")
    ROUTING.write_text(text, encoding="utf-8")


@dataclass
class FinalRead:
    """The final part, read once: per task, each candidate's predictions and ours' confidences."""

    task: str
    truth: np.ndarray
    predicted: Dict[str, np.ndarray]
    calibrated: np.ndarray
    softmax_top: np.ndarray


def read_final(corpus: ev.Corpus, task: str, own: Tuple[List[str], List[str]],
               calibration: DispatchCalibration) -> FinalRead:
    texts, labels = task_labels(corpus, task)
    dev, final = final_split.development_indices(texts), final_split.final_indices(texts)
    split = corpus.split(task, dev, final, final)
    predicted, calibrated, soft = {}, None, None
    for name, candidate in CANDIDATES.items():
        fitted = candidate(split, own)
        predicted[name] = fitted.predicted
        if fitted.features is not None:
            calibrated, soft = calibration.probability(fitted.features), fitted.softmax_top
        log(f"{task}: final part scored by {name}")
    return FinalRead(task, np.asarray(split.test_y), predicted, calibrated, soft)


# ── report ──────────────────────────────────────────────────────────────────────────────────────

def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    return f1_score(truth, predicted, labels=sorted(set(truth)), average="macro")


def pct(value: float) -> str:
    return f"{value:.1%}"


def interval(pair: Tuple[float, float], fmt: str = "{:.3f}") -> str:
    return f"{fmt.format(pair[0])}–{fmt.format(pair[1])}"


def cv_lines(runs: Sequence[TaskRun], folds: int, repeats: int) -> List[str]:
    lines = [f"### Cross-validation inside the development part ({repeats} × {folds} folds)", "",
             "| task | candidate | macro-F1 (mean of folds) | accuracy | macro-F1 − baseline [95 % CI, corrected] |",
             "| --- | --- | --- | --- | --- |"]
    for run in runs:
        base = np.asarray(run.fold_f1[BASELINE])
        for name in CANDIDATES:
            f1 = np.asarray(run.fold_f1[name])
            diff = "—"
            if name != BASELINE:
                mean, ci = st.corrected_t_interval(f1 - base, run.test_share)
                diff = f"{mean:+.3f} [{ci[0]:+.3f}, {ci[1]:+.3f}]"
            lines.append(f"| {run.task} | {name} | {f1.mean():.3f} | {np.mean(run.fold_acc[name]):.3f} | {diff} |")
    return lines


def dispatch_rows(label: str, groups: Dict[str, Tuple[np.ndarray, np.ndarray]], threshold: float) -> List[str]:
    lines = []
    for task, (confidence, right) in groups.items():
        d = st.dispatch_at(confidence, right, threshold)
        lo, hi = st.wilson_interval(d.right, d.dispatched)
        slo, shi = st.wilson_interval(d.dispatched, len(confidence))
        lines.append(f"| {label} | {task} | {threshold:g} | {pct(d.share)} ({pct(slo)}–{pct(shi)}) "
                     f"| {pct(d.accuracy)} ({pct(lo)}–{pct(hi)}) | {d.dispatched - d.right} |")
    return lines


DISPATCH_HEAD = ["| confidence | task | threshold | dispatched automatically [95 % CI] "
                 "| accuracy of the dispatched [95 % CI] | misrouted |", "| --- | --- | --- | --- | --- | --- |"]


def choice_lines(choice: Choice) -> List[str]:
    soft = {t: (choice.softmax_top[t], choice.right[t]) for t in choice.calibrated}
    cal = {t: (choice.calibrated[t], choice.right[t]) for t in choice.calibrated}
    lines = ["### Automatic dispatch, cross-validated (out-of-fold, repeat 1)", "",
             f"Rule (ticketing/config/routing.yml): the lowest threshold at which the dispatched share is at "
             f"least {pct(choice.min_accuracy)} accurate on whole messages and on titles alike.", ""]
    if choice.threshold is None:
        lines += ["No threshold of the grid meets the rule on both tasks: the threshold is set to 1.0 "
                  "(everything waits for staff) until the model improves.", ""]
    lines += [*DISPATCH_HEAD,
              *dispatch_rows("softmax (before)", soft, 0.4), *dispatch_rows("softmax (before)", soft, 0.6),
              *dispatch_rows("calibrated", cal, choice.threshold or 1.0), ""]
    for task in choice.calibrated:
        ece_soft = st.expected_calibration_error(*soft[task])
        ece_cal = st.expected_calibration_error(*cal[task])
        lines.append(f"- {task}: expected calibration error {ece_soft:.3f} (softmax) → {ece_cal:.3f} (calibrated).")
    return lines + [""]


def final_lines(reads: Sequence[FinalRead], choice: Choice, threshold: float) -> List[str]:
    lines = ["### Final part (read once)", "",
             "| task | candidate | accuracy [95 % CI] | macro-F1 [95 % CI] | macro-F1 − baseline [95 % CI] "
             "| McNemar p vs baseline |", "| --- | --- | --- | --- | --- | --- |"]
    for read in reads:
        truth, base = read.truth, read.predicted[BASELINE]
        for name, predicted in read.predicted.items():
            acc_ci = st.bootstrap_interval(lambda i: float(np.mean(predicted[i] == truth[i])), len(truth))
            f1_ci = st.bootstrap_interval(lambda i: macro_f1(truth[i], predicted[i]), len(truth))
            diff, p = "—", "—"
            if name != BASELINE:
                d = macro_f1(truth, predicted) - macro_f1(truth, base)
                d_ci = st.bootstrap_interval(lambda i: macro_f1(truth[i], predicted[i]) - macro_f1(truth[i], base[i]),
                                             len(truth))
                diff = f"{d:+.3f} [{d_ci[0]:+.3f}, {d_ci[1]:+.3f}]"
                p = f"{st.mcnemar_p(predicted == truth, base == truth):.3g}"
            lines.append(f"| {read.task} | {name} | {np.mean(predicted == truth):.3f} ({interval(acc_ci)}) "
                         f"| {macro_f1(truth, predicted):.3f} ({interval(f1_ci)}) | {diff} | {p} |")
    soft = {r.task: (r.softmax_top, r.predicted[OURS] == r.truth) for r in reads}
    cal = {r.task: (r.calibrated, r.predicted[OURS] == r.truth) for r in reads}
    lines += ["", "Automatic dispatch on the final part (ours):", "", *DISPATCH_HEAD,
              *dispatch_rows("softmax (before)", soft, 0.4), *dispatch_rows("softmax (before)", soft, 0.6),
              *dispatch_rows("calibrated (shipped)", cal, threshold), ""]
    for read in reads:
        lines += per_class_lines(read, threshold)
    return lines


def per_class_lines(read: FinalRead, threshold: float) -> List[str]:
    predicted, truth = read.predicted[OURS], read.truth
    sent = read.calibrated >= threshold
    present = sorted(set(truth))
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=present, zero_division=0)
    lines = [f"#### {read.task}, per class (ours, final part)", "",
             "| class | precision | recall | F1 | items | dispatched | misrouted when dispatched |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for i, label in enumerate(present):
        mine = truth == label
        lines.append(f"| {label} | {p[i]:.3f} | {r[i]:.3f} | {f[i]:.3f} | {n[i]} | {pct(sent[mine].mean())} "
                     f"| {int((sent & mine & (predicted != truth)).sum())} |")
    costly: Dict[str, int] = {}
    for t, q in zip(truth[sent & (predicted != truth)], predicted[sent & (predicted != truth)]):
        costly[f"{t} → {q}"] = costly.get(f"{t} → {q}", 0) + 1
    top = sorted(costly.items(), key=lambda kv: -kv[1])[:6]
    lines += ["", "Confusions that cost the most dispatch errors (dispatched and wrong): "
              + ("; ".join(f"{k}: {v}" for k, v in top) or "none") + ".", ""]
    return lines


def plot_reliability(groups: Dict[str, Tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 6), dpi=110)
    ax.plot([0, 1], [0, 1], color="#999", linestyle="--", linewidth=1, label="perfect calibration")
    for label, (confidence, right) in groups.items():
        bins = st.reliability(confidence, right)
        ax.plot([b.mean_confidence for b in bins], [b.accuracy for b in bins], marker="o", label=label)
    ax.set_xlim(0.3, 1.0)
    ax.set_ylim(0.3, 1.0)
    ax.set_xlabel("confidence (mean per bin)")
    ax.set_ylabel("share right")
    ax.set_title("Category confidence: reliability")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


NARRATIVE = """\
Generated by `make bench-category` (`.venvs/bot/bin/python -m bench.category_nested --read-final`);
the protocol is in the script's docstring. The final part is 20 % of each shared file chosen by a
salted hash of the text (`bench/category_final_split.py`, counts and digest committed before any
tuning in `bench/data/category_final_split.yml`). Every choice below (candidate, calibration,
threshold) was made on the development part's cross-validation; the final part only reports.
Caveat: earlier sessions chose the component's settings (NBSVM, the word blend, openings) on a split
that overlaps this final part; the figures here judge those settings honestly only in the sense that
no choice was made on *this* split. The held-back messages of the shared data (issue #15's 1,832)
are not available here."""


FINDINGS = """\
### What the protocol found (2026-12-02)

- The component's gain over the issue's baseline holds on the final part here: +0.041 macro-F1 on
  whole messages [+0.026, +0.059], McNemar p ≈ 1e-6; +0.025 on titles [+0.010, +0.042]. About half
  of it is data (the baseline's own model trained on what ours trains on gains +0.020 / +0.017),
  half the model (NBSVM, the word blend, openings). Cross-validation inside the development part
  agrees (+0.031 / +0.030, corrected intervals clear of zero). The issue's held-back 1,832 messages,
  on which the gain did not hold, are not available here; the final part overlaps the split earlier
  sessions tuned on, so this is weaker evidence than a truly fresh set.
- Calibration works: the expected calibration error falls from 0.068 to 0.011 (messages) and from
  0.112 to 0.017 (titles) in cross-validation; the softmax was under-confident (of messages with a
  softmax near 0.55, about 72 % were right), so a softmax threshold held many right ones for staff.
- It also ranks errors lower: at 90 % dispatched, cross-validated accuracy of the dispatched is
  96.5 % with the calibrated confidence against 95.8 % with the softmax (messages; titles 94.4 % against
  94.0 %).
- The operational goal (≥ 97 % accurate on ≥ 90 % dispatched) is **not reached**. The rule sets the
  threshold at 0.9, which dispatches 82 % of whole messages at 96.8 % (final part) and 77 % of titles
  at 96.1 %; the rest wait for hotline staff, whose triage is a minute each.
- Did not help (cross-validated on the cached out-of-fold signals): the predicted class as a further
  calibration feature (+0.1 point at 90 % dispatched), gradient boosting instead of the logistic
  calibration (no gain). Earlier sessions measured the replies' department names as weak labels and
  the unlabelled texts (self-training): no gain (section "What helped, what did not").
- What limits it: the labels. Most dispatch errors are between 城乡建设 and its neighbours (商贸旅游 →
  城乡建设 leads on both files: property, housing and shop complaints filed either way), where the city's
  own filing is not consistent. The taxonomy's second and third levels cannot be learnt here: the
  labelled files carry only the first level. Dialogue context (the place, the answers to the bot's
  questions) has no labelled real conversations to learn from yet. Staff corrections are the way to
  both: `python -m ticketing.cli export-corrections` writes every staff-set category for the next
  training (docs/ticketing-api.md); the benches never read it."""


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def read_log(previous: str, commit: str, what: str) -> List[str]:
    found = re.findall(r"(?m)^- read on .*$", previous)
    return ["### Reads of the final part", "", *found, f"- read on {dt.date.today()} at commit {commit}: {what}", ""]


def render(runs: Sequence[TaskRun], choice: Choice, reads: Optional[Sequence[FinalRead]], log_lines: List[str],
           folds: int, repeats: int) -> None:
    """Write the doc section and the reliability diagram from computed results."""
    lines = [SECTION, "", NARRATIVE, "", *cv_lines(runs, folds, repeats), "", *choice_lines(choice)]
    groups = {f"{t}, softmax (cross-validated)": (choice.softmax_top[t], choice.right[t]) for t in choice.calibrated}
    groups.update({f"{t}, calibrated (cross-validated)": (choice.calibrated[t], choice.right[t]) for t in choice.calibrated})
    if reads:
        threshold = choice.threshold if choice.threshold is not None else 1.0
        lines += final_lines(reads, choice, threshold)
        groups.update({f"{r.task}, calibrated (final part)": (r.calibrated, r.predicted[OURS] == r.truth) for r in reads})
    lines += [*log_lines, FINDINGS, ""]
    plot_reliability(groups, IMAGE)
    lines += [f"![Reliability of the category confidence]({IMAGE.relative_to(DOC.parent).as_posix()})", ""]
    replace_section(DOC, SECTION, "\n".join(lines))
    log(f"wrote the section to {DOC.relative_to(REPO)} and {IMAGE.relative_to(REPO)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-data", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--read-final", action="store_true", help="also read the frozen final part (once per release)")
    parser.add_argument("--reuse", action="store_true", help="reuse the cross-validation cached in bench/.cache")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite the doc from the cached cross-validation and final read (no new read)")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    cv_cache = CACHE / f"category_cv_{args.repeats}x{args.folds}.pickle"
    final_cache = CACHE / "category_final.pickle"
    previous = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if args.render:
        runs = pickle.loads(cv_cache.read_bytes())
        reads = pickle.loads(final_cache.read_bytes()) if final_cache.is_file() else None
        found = re.findall(r"(?m)^- read on .*$", previous)
        render(runs, choose(runs, rule_accuracy()), reads, ["### Reads of the final part", "", *found, ""],
               args.folds, args.repeats)
        return
    paths = sources.evaluation_paths(REPO)
    own = sources.all_examples(paths, use_shared=False)
    corpus = ev.load_corpus(args.shared_data, paths)
    if args.reuse and cv_cache.is_file():
        runs = pickle.loads(cv_cache.read_bytes())
        log(f"reused {cv_cache.relative_to(REPO)}")
    else:
        runs = [cross_validate(corpus, task, own, args.folds, args.repeats) for task in ev.TASKS]
        cv_cache.write_bytes(pickle.dumps(runs))
    commit = git_commit()
    choice = choose(runs, rule_accuracy())
    write_choice(choice, commit)
    log(f"threshold by the rule: {choice.threshold}; wrote {CALIBRATION.relative_to(REPO)} and routing.yml")
    reads = None
    if args.read_final:
        reads = [read_final(corpus, task, own, choice.calibration) for task in ev.TASKS]
        final_cache.write_bytes(pickle.dumps(reads))
        threshold = choice.threshold if choice.threshold is not None else 1.0
        log_lines = read_log(previous, commit, f"threshold {threshold}, {args.repeats} × {args.folds} folds")
    else:
        log_lines = read_log(previous, commit, "")[:-2] + [""]
    render(runs, choice, reads, log_lines, args.folds, args.repeats)


if __name__ == "__main__":
    main()
