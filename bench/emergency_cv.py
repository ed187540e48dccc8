"""Cross-validation of the emergency detector's sentence model over our own example batches.

Run from the repository root: .venvs/ticketing/bin/python -m bench.emergency_cv [--thresholds 1 1.5 2]

Why by batch, not by random fold: each batch (emergencies.yml, …_check, …_fresh … …_fresh4,
with its ordinary file) was written at one time, so a random fold leaves near-twins of every held-out
message in training; holding out a whole batch asks what the model adds for wordings written later.
The rules stay as they are (they were tuned on every batch, so the rules-only column is not a
held-out figure); the model is retrained without the held-out batch. The false alarms on the
development half of the real messages use the model trained on every batch, as shipped.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from bench.emergency_eval import rate
from bench.real_messages import real_messages
from emergency.detector import Detector
from emergency.model import EXAMPLES, SentenceModel, example_texts, read_config
from emergency.rules import default_rules
from emergency.text import normalise

BATCHES = ("", "_check", "_fresh", "_fresh2", "_fresh3", "_fresh4")


def _texts(names: Sequence[str], kind: str) -> List[str]:
    return [t for name in names for t in example_texts(f"{kind}{name}.yml", EXAMPLES)]


def _detector(train: Sequence[str], threshold: float) -> Detector:
    rules = default_rules()
    config = {**read_config(), "threshold": threshold}
    prepare = lambda texts: [rules.rewrite(normalise(t)) for t in texts]  # noqa: E731
    model = SentenceModel.train(prepare(_texts(train, "emergencies")), prepare(_texts(train, "ordinary")), config)
    return Detector(rules, model)


def held_out(threshold: float) -> List[str]:
    lines = [f"threshold {threshold}: | held-out batch | rules alone | rules + model | near misses alarmed |",
             "| --- | --- | --- | --- |"]
    totals = [0, 0, 0, 0, 0]
    rules_only = Detector(default_rules(), None)
    for batch in BATCHES:
        detector = _detector([b for b in BATCHES if b != batch], threshold)
        pos, neg = _texts([batch], "emergencies"), _texts([batch], "ordinary")
        plain = sum(rules_only.detect(t) is not None for t in pos)
        both = sum(detector.detect(t) is not None for t in pos)
        false = sum(detector.detect(t) is not None for t in neg)
        totals = [a + b for a, b in zip(totals, (plain, both, len(pos), false, len(neg)))]
        lines.append(f"| emergencies{batch} | {rate(plain, len(pos))} | {rate(both, len(pos))} | {rate(false, len(neg))} |")
    plain, both, n, false, m = totals
    lines.append(f"| all | {rate(plain, n)} | {rate(both, n)} | {rate(false, m)} |")
    return lines


def development_false_alarms(threshold: float) -> str:
    detector = _detector(BATCHES, threshold)
    messages = real_messages("development")
    false = sum(detector.detect(m.text) is not None for m in messages)
    return f"threshold {threshold}: false alarms on the development half {rate(false, len(messages))}"


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--thresholds", type=float, nargs="*", default=[float(read_config().get("threshold", 1.5))])
    args = parser.parse_args(argv)
    for threshold in args.thresholds:
        print("\n".join(held_out(threshold)))
        print(development_false_alarms(threshold), flush=True)


if __name__ == "__main__":
    main()
