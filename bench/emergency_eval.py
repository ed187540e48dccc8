"""Emergency detection measured: recall on emergencies, false alarms on near misses and on real messages.

Run from the repository root (either environment; the detector is pure Python):
    make bench-emergency      # = --holdout --own --real both --write-doc: the frozen holdout, our files,
                              #   both halves of the real messages; writes the doc section
    .venvs/ticketing/bin/python -m bench.emergency_eval --own --real development   # while tuning
    .venvs/ticketing/bin/python -m bench.emergency_eval --emergencies F --near-misses G

Example files (YAML): a list of items, or a mapping holding one list (e.g. `examples:`); an item is a
text or a mapping with `text` (or `message`), and optionally `hazard`, `numbers` (or `number`: the
right numbers, the best first), `style`, and `emergency: false` to mark one that must not alarm.
Real messages: ../shared/data split by a hash of the text (bench/real_messages.py); the development
half was looked at while tuning, the test half only counted. A real message that alarms is a false
alarm: each is listed by row, with at most 40 characters of its text in the terminal and none in the doc.
"""
from __future__ import annotations

import argparse
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from bench.doc_sections import replace_section
from bench.real_messages import HALVES, RealMessage, real_messages
from emergency import Finding, detect

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "nlu-evaluation.md"
SECTION = "## Emergencies: recall, the right number, false alarms"
# Frozen sets, oldest first. Version 1 was read once (2026-12-02) and its misses guided the second
# round of rules, so it is development data now; version 2 was written and frozen before that round.
HOLDOUTS = [REPO / "bench" / "data" / "emergency_holdout.yml", REPO / "bench" / "data" / "emergency_holdout_v2.yml"]
NEAR_MISS_SETS = [REPO / "bench" / "data" / "emergency_near_misses.yml",
                  REPO / "bench" / "data" / "emergency_near_misses_v2.yml"]
OWN = REPO / "emergency" / "examples"
QUOTE = 40


@dataclass(frozen=True)
class Example:
    text: str
    emergency: bool
    hazard: str
    numbers: Tuple[str, ...]
    style: str
    where: str


def wilson(hits: int, n: int, z: float = 1.96) -> Tuple[float, float]:
    """95 % Wilson score interval of a proportion (sound near 0 % and 100 %, unlike p ± 2se)."""
    if n == 0:
        return (0.0, 1.0)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def rate(hits: int, n: int) -> str:
    low, high = wilson(hits, n)
    share = hits / n if n else 0.0
    return f"{hits}/{n} = {share:.1%} (95 % CI {low:.1%}–{high:.1%})"


def _items(data: Any) -> List[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
        return [item for v in lists for item in v]
    raise ValueError("an example file holds a list of examples")


def _numbers(item: Dict[str, Any]) -> Tuple[str, ...]:
    value = item.get("numbers", item.get("number", item.get("expected_numbers", ())))
    values = value if isinstance(value, (list, tuple)) else str(value).replace("/", ",").split(",")
    return tuple(str(v).strip() for v in values if str(v).strip())


def load_examples(path: Path, emergency: bool) -> List[Example]:
    """Examples of one file; `emergency` is the default for items that do not say."""
    with path.open(encoding="utf-8") as handle:
        items = _items(yaml.safe_load(handle))
    examples = []
    for number, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {"text": item}
        text = str(item.get("text") or item.get("message") or "")
        flag = item.get("emergency", emergency)
        examples.append(Example(text, bool(flag), str(item.get("hazard") or "unlabelled"), _numbers(item),
                                str(item.get("style") or "unlabelled"), f"{path.name}#{item.get('id', number)}"))
    return examples


def right_number(finding: Finding, expected: Sequence[str]) -> Optional[bool]:
    """Is the first number we tell the resident one of the right ones? None when the file gives none."""
    return finding.numbers[0] in expected if expected else None


@dataclass
class Tally:
    hits: int = 0
    n: int = 0

    def add(self, hit: bool) -> None:
        self.hits += hit
        self.n += 1


def emergency_report(examples: List[Example]) -> List[str]:
    overall, by_hazard, by_style, numbers = Tally(), defaultdict(Tally), defaultdict(Tally), Tally()
    misses, wrong, by_model = [], [], 0
    for example in examples:
        finding = detect(example.text)
        by_model += finding is not None and finding.model is not None
        for tally in (overall, by_hazard[example.hazard], by_style[example.style]):
            tally.add(finding is not None)
        if finding is None:
            misses.append(f"- {example.where} ({example.hazard}, {example.style}): {example.text}")
            continue
        right = right_number(finding, example.numbers)
        if right is not None:
            numbers.add(right)
            if not right:
                wrong.append(f"- {example.where}: told {'/'.join(finding.numbers)}, right {'/'.join(example.numbers)}:"
                             f" {example.text}")
    lines = [f"Recall: {rate(overall.hits, overall.n)}", "", "| hazard | recall |", "| --- | --- |"]
    lines += [f"| {k} | {rate(v.hits, v.n)} |" for k, v in sorted(by_hazard.items())]
    lines += ["", "| style | recall |", "| --- | --- |"]
    lines += [f"| {k} | {rate(v.hits, v.n)} |" for k, v in sorted(by_style.items())]
    lines += ["", f"Right number first (of the detected that name their numbers): {rate(numbers.hits, numbers.n)}"]
    lines += [f"Detected by the sentence model (no rule reached the threshold): {by_model}"]
    lines += ["", f"Missed ({len(misses)}):"] + (misses or ["- none"])
    lines += ["", f"Wrong first number ({len(wrong)}):"] + (wrong or ["- none"])
    return lines


def near_miss_report(examples: List[Example]) -> List[str]:
    alarms = [(e, detect(e.text)) for e in examples]
    false = [(e, f) for e, f in alarms if f is not None]
    lines = [f"False alarms on near misses: {rate(len(false), len(examples))}"]
    lines += [f"- {e.where} ({e.hazard}): {e.text} → {f.hazard} {'/'.join(f.numbers)} [{'、'.join(f.cues)}]"
              for e, f in false]
    return lines


def real_report(half: str, quote: bool) -> Tuple[List[str], float]:
    """False alarms on one half of the real messages; rows always, text only when `quote`."""
    messages: List[RealMessage] = real_messages(half)
    started = time.perf_counter()
    false = [(m, f) for m in messages for f in [detect(m.text)] if f is not None]
    per_message = (time.perf_counter() - started) / max(1, len(messages))
    lines = [f"False alarms on real messages, {half} half: {rate(len(false), len(messages))}"]
    for message, finding in false:
        shown = f": {message.text[:QUOTE]}…" if quote and half == "development" else ""
        lines.append(f"- {message.row} → {finding.hazard} {'/'.join(finding.numbers)}"
                     f" [{'、'.join(finding.cues)}]{shown}")
    return lines, per_message


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def file_reports(emergencies: Sequence[Path], near: Sequence[Path]) -> List[str]:
    """One block per file; a file that is not there is named as missing (the holdout before it is written)."""
    out: List[str] = []
    for paths, title, emergency, report in ((emergencies, "Emergencies", True, emergency_report),
                                            (near, "Must not alarm", False, near_miss_report)):
        for path in paths:
            out += ["", f"### {title}: `{_shown(path)}`", ""]
            out += report(load_examples(path.resolve(), emergency)) if path.exists() else ["(file not found)"]
    return out


def real_reports(halves: Sequence[str]) -> Tuple[List[str], List[str]]:
    """Terminal lines (development half quoted, 40 characters) and doc lines (row ids only)."""
    shown: List[str] = []
    kept: List[str] = []
    for half in halves:
        lines, per_message = real_report(half, quote=True)
        shown += ["", "### Real messages", ""] + lines + [f"({per_message * 1000:.2f} ms per message)"]
        kept += ["", "### Real messages", ""] + (real_report(half, quote=False)[0] if half == "development" else lines)
    return shown, kept


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--holdout", action="store_true", help="the frozen holdout and near-miss files in bench/data")
    parser.add_argument("--own", action="store_true", help="our own example files in emergency/examples")
    parser.add_argument("--emergencies", type=Path, nargs="*", default=[], help="other files of emergencies")
    parser.add_argument("--near-misses", type=Path, nargs="*", default=[], help="other files that must not alarm")
    parser.add_argument("--real", choices=("both", "none") + HALVES, default="none")
    parser.add_argument("--write-doc", action="store_true", help=f"write '{SECTION}' of {DOC.name}")
    args = parser.parse_args(argv)
    emergencies = (HOLDOUTS if args.holdout else []) + list(args.emergencies)
    near = (NEAR_MISS_SETS if args.holdout else []) + list(args.near_misses)
    if args.own:
        emergencies += sorted(OWN.glob("emergencies*.yml"))
        near += sorted(OWN.glob("ordinary*.yml"))
    if not emergencies and not near and args.real == "none":
        parser.error("name what to measure: --holdout, --own, --emergencies/--near-misses or --real")
    out = file_reports(emergencies, near)
    halves = HALVES if args.real == "both" else (() if args.real == "none" else (args.real,))
    shown, kept = real_reports(halves)
    print("\n".join(out + shown))
    if args.write_doc:
        replace_section(DOC, SECTION, SECTION + "\n" + NARRATIVE + "\n".join(out + kept))
        print(f"\nwrote '{SECTION}' of {DOC.relative_to(REPO)}")


NARRATIVE = """
Written by `make bench-emergency` (`bench/emergency_eval.py`); edit the narrative there, not here.
Cross-validation of the sentence model: `.venvs/ticketing/bin/python -m bench.emergency_cv`.

**The first reading of the frozen holdout (2026-12-02, once, after the detector was final).** Recall
410/477 = 86.0 % (95 % CI 82.5–88.8 %); the regular expressions it replaced (`actions/parsing.py` at
d2b3af8) caught 78/477 = 16.4 % of the same set and alarmed on 6/214 near misses. Right number first:
94.9 %. False alarms on the test half of the real messages: 25/6,291 = 0.4 % (CI 0.3–0.6 %), within the
0.5 % goal; on the near misses 6/214 = 2.8 %. **The 99 % recall goal is not met.** The misses below
are weakest where the wording is English or pinyin mixed in (9/18 caught), water and people at risk
(71 %, 77 %) and indirect descriptions (83 %). Since this reading the holdout's misses are listed here
and so are seen: a later round must be judged on a new set written and frozen the same way.

**The second round (2026-12-02) and the second frozen set.** The first holdout's misses, once read,
became development data: a second round of rules was written from them (English words and pinyin
rewritten like dialect, levee and dam failures, being followed, a child locked in a car, people who
cannot be woken, poisoning after one meal, …), checked against the development half of the real
messages and the first near misses, which did not move. Meanwhile a separate session, which never
saw the detector, its rules or the first set, wrote `emergency_holdout_v2.yml` (501) and
`emergency_near_misses_v2.yml` (255); they were committed before this reading. (One slip: while the
second set was still being written, one tuning run of the bench counted its first 481 items along
with the rest and printed an aggregate recall of 88.1 %; no item of it was shown, and the only change
tried afterwards was judged and reverted on the development half.) **Read once:** recall on the new
set 440/501 = 87.8 % (CI 84.7–90.4 %); the detector before the second round scores 427/501 = 85.2 %
on it (same run), so the round gained 13 messages on fresh text where it gained 54 on the set it was
written from (86.0 → 97.3 %, which now measures nothing but fit). Near misses v2: 18/255 = 7.1 %
false alarms before and after the round (the new near misses are harder than the first: 2.8 %). Real
messages, test half: 25/6,291 = 0.4 %, unchanged. **The 99 % goal is not met**, and rules written
from misses will not meet it: each fresh set loses 12–15 % to wordings no rule lists. Weakest on the
new set: people at risk 72.5 % (a child led away, a suicide note worded gently, someone on a bridge
rail), violence 78.8 % (a knife at a bank door, a hammer on a door, screams then silence), gas 83.9 %
(typos such as 漏其, Cantonese, a man who does not come out of a bathroom with a gas heater), and
buried letters 83.6 %. Both sets' misses are listed below; a third round needs a third set.

**What is measured.** The `emergency` package (top level; used by the bot's first reply and by the
ticketing service's urgent flag) on: the frozen holdout `bench/data/emergency_holdout.yml` (written for
the test alone, never read while tuning) and its near misses; our own example files
`emergency/examples/` (also run by `tests/emergency/` and, in the bot's environment, by
`tests/bot/test_emergency_detector.py`); and every real message of `../shared/data` (whole messages
and titles) as the ordinary side, split by a hash of the text into a development half (looked at
while tuning) and a test half (only counted: its figure is the honest one). Recall is the share of
emergencies detected at all; "right number first" is the share of detected ones whose first number
told to the resident is one of the file's right numbers. Intervals are 95 % Wilson intervals. False
alarms on real messages are listed by row (no text in this document).

**How it decides.** Rules first (`emergency/hazards.yml`, `emergency/cues.yml`), per sentence and per
pair of short neighbouring sentences: an exact alarm (煤气泄漏, 着火了, 有人落水) counts 1, and so does
one of a hazard's objects next to one of its states (燃气 … 哧哧响, 脚手架 … 倒塌); each distinct sign
counts 0.5 (漏气, 摇摇欲坠, 胳膊发麻), an urgent word next to it 0.5 (还在, 下面有人, 出不来), a call for
help anywhere in the sentence 0.5 (请马上派人); 1 or more is an emergency. Guards silence a match: a
risk, suggestion, fee or procedure in its clause (隐患, 建议, 燃气费), a condition or past time before it
(万一, 去年, 2016年), a story told for redress in its sentence (后来去世, 投诉), a negation before it (没有
着火), a look-alike phrase (救命钱, 火锅, 垄断了). A letter (100+ characters, several sentences) alarms
only where a sentence or the next tells it as now (今天, 刚才, 现在, 请马上派人). Dialect and Cantonese
forms are rewritten first (俾车撞咗 → 被车撞了), typo variants are matched by character (煤汽, 天燃气,
晕到). Where no rule reaches 1, a sentence model (char 1–3-gram TF-IDF + logistic regression,
`emergency/model.py`, trained when the package loads from our own example files, so the bot's
scikit-learn 1.1 and the service's 1.9 build the same model without a pickle; margins agree to 10⁻⁴)
is asked about the sentences where the rules saw a hazard word that no guard silenced — in a letter
only a sign or an object with its state — and alarms above a margin of 2.0 (`emergency/model.yml`).
Each hazard's situations carry the numbers and the one-sentence reason the resident reads.

**How it was tuned (our own examples, in the order written).** Each new batch was measured once
before any rule was changed for it, then joined the tuning data:

| batch (file) | written | recall at first measurement (rules) | near misses alarmed |
| --- | --- | --- | --- |
| A `emergencies.yml`, `ordinary.yml` | first, rules built on it | 198/207 = 95.7 % (first rules) | 4/111 |
| B `emergencies_check.yml`, `ordinary_check.yml` | with A, kept aside | 102/111 = 91.9 % (85.3–95.7 %) | 1/35 |
| C `emergencies_fresh.yml`, `ordinary_fresh.yml` | after tuning on A, B | 74/92 = 80.4 % (71.2–87.3 %) | 1/34 |
| D `emergencies_fresh2.yml`, `ordinary_fresh2.yml` | after the object × state layer | 47/66 = 71.2 % (59.4–80.7 %) | 1/25 |
| E `emergencies_fresh3.yml`, `ordinary_fresh3.yml` | after D, more letters, typos, dialect | 50/70 = 71.4 % (59.9–80.7 %) | 2/30 |
| F `emergencies_fresh4.yml`, `ordinary_fresh4.yml` | after the model shipped | rules + model: 48/57 = 84.2 % (72.6–91.5 %); right number first 45/48 | 0/25 |

Each batch fell short of the last one's tuned figure: the rules fit the wordings they were written
against better than new ones, even from the same writer. The sentence model was chosen on D and E
before they were tuned on: trained on A–C with a looser gate (any hazard word), it raised D from
71.2 % to 84.8 % (margin 1.5, 22 development false alarms); trained on A–D with the gate as shipped,
it raised E from 71.4 % to 87.1 % (margin 2.0) or 88.6 % (1.5), with 10 (16) development false alarms
against 10 for the rules alone; margin 2.0 was kept. Batch F is the only measurement of the detector
as shipped (rules and model) on wordings written after it: 84.2 %, the best estimate of what new
writers' messages will see. Leave-one-batch-out now (model retrained without the batch; the rules were
tuned on every batch, so that column is not held out): 603/603 with the model, 593/603 by the rules
alone, near misses 0/260 alarmed. Expect the holdout, written
by someone else, to land below our own files; its figure below is the one that counts. False alarms
on the development half: 227/6099 (3.7 %) with the first rules, 8/6099 (0.13 %) now.

**What helped.** Reading letters apart (the letter rule removed most false alarms on real messages:
letters tell past fires, hospital stays and floods); guards on time and narrative (dates, 当时, 后来,
去世) rather than more words; urgent words only next to the sign; the object × state grid; the
dialect rewrite; the sentence model behind the rules (the largest gain on new wordings, above).

**What did not help.** The same model alone, scored on every sentence: 89 % recall on batch D at
13.8 % false alarms on the development half, 29 % recall at 0.5 %, since our examples say nothing of
what 12345 letters look like. The model asked about any sentence holding any hazard word, letters
included: 0.6 % development false alarms at margin 1.5 (a 楼, a 火 in 水火之中 is in every other
letter). Asking it only about signs and object-state pairs, chat messages included: batch E 77.1 %
instead of 88.6 %. Sign words for illnesses (糖尿病, 高血压): letters list them in pairs.
"""


if __name__ == "__main__":
    main()
