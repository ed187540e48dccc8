"""First-level category evaluation: our component's model against the plain baseline, same split.

Run from the repository root:  .venvs/bot/bin/python -m bench.nlu_eval  [--with-words]
Writes docs/nlu-evaluation.md and docs/img/nlu-confusion.png; prints progress as it goes.

Why a fixed stratified 80/20 split and not 5-fold: one baseline fit on the long messages takes
~30 s on 2 cores, and six configurations x two files x five folds would not fit in 10 minutes.
Why a leak guard: many subjects in subjects.csv are the titles of messages in messages.csv (same
resident, same label). Training on a title and testing on its own letter would flatter the score, so
an item of the other file is left out of training when >= 40 % of its character trigrams
(punctuation removed) are shared with a test item.
"""
from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from bot.components import category_sources as sources
from bot.components.category_model import CategoryModel, ModelSettings

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "nlu-evaluation.md"
IMAGE = REPO / "docs" / "img" / "nlu-confusion.png"
LEAK_THRESHOLD = 0.4
SEED = 0
T0 = time.monotonic()


def log(text: str) -> None:
    print(f"[nlu_eval {time.monotonic() - T0:5.0f} s] {text}", flush=True)


@dataclass
class Split:
    """One shared file split 80/20, plus the other file's items allowed in training."""

    name: str
    train_x: List[str]
    train_y: List[str]
    test_x: List[str]
    test_y: List[str]
    other_x: List[str] = field(default_factory=list)
    other_y: List[str] = field(default_factory=list)


@dataclass
class Result:
    config: str
    split: str
    accuracy: float
    macro_f1: float
    seconds: float
    y_true: List[str]
    y_pred: List[str]


def _norm(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9]", "", text)


def containment(subjects: Sequence[str], messages: Sequence[str]) -> np.ndarray:
    """[i, j] = share of subject i's character trigrams that occur in message j."""
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(3, 3), binary=True)
    vectorizer.fit([_norm(s) for s in subjects] + [_norm(m[:3000]) for m in messages])
    s = vectorizer.transform([_norm(x) for x in subjects])
    m = vectorizer.transform([_norm(x[:3000]) for x in messages])
    sizes = np.maximum(np.asarray(s.sum(axis=1)).ravel(), 1)
    return ((s @ m.T).toarray() / sizes[:, None]).astype(np.float32)


def make_splits(shared_dir: str) -> List[Split]:
    data = sources.shared_examples(shared_dir)
    if set(data) != set(sources.SHARED_FILES):
        raise SystemExit(f"nlu_eval needs messages.csv and subjects.csv in {shared_dir} (--shared-data)")
    (mx, my), (sx, sy) = data["messages.csv"], data["subjects.csv"]
    log(f"loaded {len(mx)} messages, {len(sx)} subjects; computing the leak guard")
    overlap = containment(sx, mx)
    m_tr, m_te = train_test_split(np.arange(len(mx)), test_size=0.2, stratify=my, random_state=SEED)
    s_tr, s_te = train_test_split(np.arange(len(sx)), test_size=0.2, stratify=sy, random_state=SEED)
    subj_ok = np.where(overlap[:, m_te].max(axis=1) < LEAK_THRESHOLD)[0]
    msg_ok = np.where(overlap[s_te, :].max(axis=0) < LEAK_THRESHOLD)[0]
    pick = lambda xs, idx: [xs[i] for i in idx]  # noqa: E731
    return [
        Split("messages", pick(mx, m_tr), pick(my, m_tr), pick(mx, m_te), pick(my, m_te),
              pick(sx, subj_ok), pick(sy, subj_ok)),
        Split("subjects", pick(sx, s_tr), pick(sy, s_tr), pick(sx, s_te), pick(sy, s_te),
              pick(mx, msg_ok), pick(my, msg_ok)),
    ]


Trainer = Callable[[List[str], List[str]], Callable[[List[str]], List[str]]]


def baseline(texts: List[str], labels: List[str]) -> Callable[[List[str]], List[str]]:
    """The plain baseline of the issue: char 1-3-gram TF-IDF + LinearSVC, defaults, whole text."""
    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())
    model.fit(texts, labels)
    return lambda xs: list(model.predict(xs))


def ours(settings: ModelSettings) -> Trainer:
    def train(texts: List[str], labels: List[str]) -> Callable[[List[str]], List[str]]:
        return CategoryModel(settings).fit(texts, labels).predict
    return train


@dataclass
class Config:
    name: str
    trainer: Trainer
    same_file: bool = True  # the split's training part
    own_data: bool = False  # our examples + taxonomy words
    other_file: bool = False  # the other shared file, leak-guarded


def configurations(with_words: bool) -> List[Config]:
    best = ModelSettings()
    configs = [
        Config("baseline: char 1-3 TF-IDF + LinearSVC", baseline),
        Config("own examples + taxonomy only (no shared data)", ours(best), same_file=False, own_data=True),
        Config("ours, same file + own data", ours(best), own_data=True),
        Config("ours, balanced class weights", ours(ModelSettings(class_weight="balanced")), own_data=True,
               other_file=True),
        Config("**ours (component default): + other file + own data**", ours(best), own_data=True,
               other_file=True),
    ]
    if with_words:
        configs.append(Config("ours + jieba word 1-2-grams", ours(ModelSettings(word_features=True)),
                              own_data=True, other_file=True))
    return configs


def evaluate(config: Config, split: Split, own: Tuple[List[str], List[str]]) -> Result:
    texts: List[str] = list(split.train_x) if config.same_file else []
    labels: List[str] = list(split.train_y) if config.same_file else []
    if config.own_data:
        texts, labels = texts + own[0], labels + own[1]
    if config.other_file:
        texts, labels = texts + split.other_x, labels + split.other_y
    started = time.monotonic()
    predict = config.trainer(texts, labels)
    predicted = predict(split.test_x)
    seconds = time.monotonic() - started
    present = sorted(set(split.test_y))
    return Result(config.name, split.name, accuracy_score(split.test_y, predicted),
                  f1_score(split.test_y, predicted, labels=present, average="macro"), seconds,
                  list(split.test_y), predicted)


def per_class_rows(result: Result) -> List[str]:
    present = sorted(set(result.y_true))
    p, r, f, n = precision_recall_fscore_support(result.y_true, result.y_pred, labels=present, zero_division=0)
    return [f"| {c} | {pi:.3f} | {ri:.3f} | {fi:.3f} | {ni} |" for c, pi, ri, fi, ni in zip(present, p, r, f, n)]


def plot_confusions(results: List[Result], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = ["WenQuanYi Micro Hei", "DejaVu Sans"]
    fig, axes = plt.subplots(1, len(results), figsize=(8 * len(results), 7))
    for ax, result in zip(np.atleast_1d(axes), results):
        labels = sorted(set(result.y_true) | set(result.y_pred))
        matrix = confusion_matrix(result.y_true, result.y_pred, labels=labels)
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        for (i, j), value in np.ndenumerate(matrix):
            if value:
                ax.text(j, i, str(value), ha="center", va="center",
                        color="white" if value > matrix.max() / 2 else "black")
        ax.set_xlabel("predicted")
        ax.set_ylabel("filed under")
        ax.set_title(f"{result.split}: acc {result.accuracy:.3f}, macro-F1 {result.macro_f1:.3f}")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def top_confusions(result: Result, count: int = 6) -> List[str]:
    pairs: Dict[Tuple[str, str], int] = {}
    for true, pred in zip(result.y_true, result.y_pred):
        if true != pred:
            pairs[(true, pred)] = pairs.get((true, pred), 0) + 1
    ranked = sorted(pairs.items(), key=lambda item: -item[1])[:count]
    return [f"{t} → {p}: {n}" for (t, p), n in ranked]


def absent_predictions(result: Result) -> int:
    """Test items predicted as one of the classes that the real data never uses."""
    present = set(result.y_true)
    return sum(1 for p in result.y_pred if p not in present)


def results_table(results: List[Result], configs: List[Config]) -> List[str]:
    by = {(r.config, r.split): r for r in results}
    lines = ["| configuration | messages acc | messages macro-F1 | subjects acc | subjects macro-F1 | fit+predict s |",
             "| --- | --- | --- | --- | --- | --- |"]
    for c in configs:
        m, s = by[(c.name, "messages")], by[(c.name, "subjects")]
        lines.append(f"| {c.name} | {m.accuracy:.3f} | {m.macro_f1:.3f} | {s.accuracy:.3f} | {s.macro_f1:.3f} "
                     f"| {m.seconds:.0f} + {s.seconds:.0f} |")
    return lines


def write_report(results: List[Result], configs: List[Config], splits: List[Split], notes: str) -> None:
    by = {(r.config, r.split): r for r in results}
    base, best = configs[0].name, configs[4].name
    lines = ["# First-level category: evaluation", "",
             "Generated by `.venvs/bot/bin/python -m bench.nlu_eval` (do not edit by hand; the narrative lives in",
             "the script). Fixed stratified 80/20 split (seed 0) of each shared file; macro-F1 over the 7",
             "classes the real data uses (a prediction of one of the other 8 classes counts as an error).", ""]
    for s in splits:
        lines.append(f"- {s.name}: {len(s.train_x)} train, {len(s.test_x)} test; {len(s.other_x)} items of the "
                     "other file pass the leak guard and may join training.")
    lines += ["", "## Results", "", *results_table(results, configs), "",
              "Goal of the issue: macro-F1 ≥ 0.94 on whole messages and ≥ 0.90 on subjects.", ""]
    for split in ("messages", "subjects"):
        for name in (best, base):
            r = by[(name, split)]
            lines += [f"### Per class, {split}: {name.strip('*')}", "",
                      "| class | precision | recall | F1 | test items |", "| --- | --- | --- | --- | --- |",
                      *per_class_rows(r), "",
                      f"Most frequent confusions: {'; '.join(top_confusions(r))}. "
                      f"Predicted as a class absent from the real data: {absent_predictions(r)}.", ""]
    lines += ["## Confusion matrices (component default)", "", "![confusion matrices](img/nlu-confusion.png)", "",
              notes, USAGE]
    DOC.write_text("\n".join(lines) + "\n" + _kept_sections(), encoding="utf-8")


KEPT_FROM = "## Conversation-level check"


def _kept_sections() -> str:
    """The conversation-level section is written by bench.conversation_check: keep it."""
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    start = old.find(KEPT_FROM)
    return "\n" + old[start:] if start >= 0 else ""


NOTES = """## What helped, what did not

Figures of this run are in the table above; "exploration" figures come from earlier runs of the
same models on fold 1 of a stratified 5-fold split (same leak guard), before this command existed.

- **More real data helped most.** Adding the other shared file (subjects when testing messages, and
  the reverse), leak-guarded, is the only change worth more than ~0.01: compare the rows "same file +
  own data" and "component default". Without the leak guard, adding subjects seemed to lift messages
  to 0.954 macro-F1: that figure came from training on a message's own title and is not real.
- **Balanced class weights** did not help: +0.004 on the exploration fold, but -0.002 to -0.004 on
  this split (see its row), and LinearSVC fits up to twice as slowly with them: the default is off.
- **Dropping n-grams seen only once** (min_df 2) keeps macro-F1 (0.923 vs 0.925 messages, 0.898 vs
  0.898 subjects on this split) with a third of the features (~290,000 instead of ~930,000): a smaller,
  faster model, so it is the default.
- **Did not help** (exploration, messages, macro-F1 within noise of 0.920): LinearSVC C 0.5 / 2
  (0.919 / 0.922), char 1-4-grams with min_df 2 (0.916), jieba word 1-2-grams beside the characters
  (0.921 there; 0.922 messages / 0.894 subjects on this split with `--with-words`, 3-4 times slower),
  char 2-4 + words (0.911). Truncating messages to their first 300 / 600 / 1,000 characters costs
  nothing (0.896 / 0.899 / 0.899 vs 0.899 whole) and bounds the time a 5,000-character letter takes:
  the component reads the first 1,000.
- **Our own examples** (`bot/category_data/examples.csv`, ~240 short sentences, plus the names and
  keywords of our taxonomy) barely move the real-data figures: they exist to give the 8 classes without
  real data a voice, and to let the model train without the shared data. Alone they reach the row
  "own examples + taxonomy only", far below the real data, as expected from ~400 short texts.
- **DIET** was not compared: a single DIET run on 12,000 long messages exceeds the 10-minute budget on
  2 cores (RASA_NOTES.md), so `rasa test nlu` cross-validation of DIET configurations does not fit;
  the rows compare variants of our component instead.
- **Not reached:** the issue's goal of 0.94 (messages) / 0.90 (subjects). Most remaining errors are
  between classes whose subjects genuinely overlap (see the confusions above): consumer and business
  matters (商贸旅游) filed as housing (城乡建设), housing against pollution (环境保护) or traffic
  (交通运输), social insurance (劳动和社会保障) against health (卫生计生). Many such messages could be
  filed either way. Tuning C (0.5 / 0.7: 0.925 / 0.924 messages, 0.899 / 0.898 subjects) or char
  1-4-grams (0.922 / 0.899) on this split stays within noise, and we did not pick settings on it.
- **Self-training hurt** (measured once on this split): labelling the 7,069 unlabelled messages of
  hotspots.csv and replies.csv (leak-guarded: 51-324 dropped) with the model and retraining on all of
  them gave 0.905 messages / 0.893 subjects, on the most confident half 0.918 / 0.896, against 0.923 /
  0.898 without. Untried: department names in replies.csv as weak labels.
"""

USAGE = """## How the component works and how an action reads the category

`bot/components/category_classifier.py` (pipeline entry `bot.components.category_classifier.CategoryClassifier`,
after the featurizers) trains `bot/components/category_model.py` on our own examples
(`bot/category_data/examples.csv`), the names and keywords of our taxonomy
(`ticketing/config/categories.yml`, `ticketing/config/keywords.yml`) and, when present, the shared
`../shared/data/messages.csv` and `subjects.csv` (read, never copied). Level 2 and 3 come from the
keyword rule of `keywords.yml` under the predicted first level that covers the most characters.

```python
category = tracker.latest_message.get("category")  # None for a message without words
if category:
    category["level1"], category["confidence"]      # "城乡建设", 0.83
    category["path"]                                 # ["城乡建设", "城市建设和市政管理", "自来水供应"] or ["城乡建设"]
    category["ranking"]                              # top 3: [{"name", "confidence"}, …]
# or, as an entity:
next(tracker.get_latest_entity_values("category"), None)  # "城乡建设"
```
The confidence is a softmax over the SVM margins (temperature 3): a ranking score, not a calibrated
probability.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-data", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--with-words", action="store_true",
                        help="also run the jieba-words configuration (slow: ~4 more minutes)")
    args = parser.parse_args()
    paths = {k: str(REPO / v) for k, v in sources.DEFAULT_PATHS.items()}
    own = sources.all_examples(paths, use_shared=False)
    log(f"own examples + taxonomy words: {len(own[0])} texts, {len(set(own[1]))} classes")
    splits = make_splits(args.shared_data)
    configs = configurations(args.with_words)
    results: List[Result] = []
    for config in configs:
        for split in splits:
            result = evaluate(config, split, own)
            results.append(result)
            log(f"{config.name.strip('*')} | {split.name}: acc {result.accuracy:.3f}, "
                f"macro-F1 {result.macro_f1:.3f} ({result.seconds:.0f} s)")
    default = [r for r in results if r.config == configs[4].name]
    plot_confusions(default, IMAGE)
    write_report(results, configs, splits, NOTES)
    log(f"wrote {DOC.relative_to(REPO)} and {IMAGE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
