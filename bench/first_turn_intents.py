"""First turn: does the bot take a real resident's letter or title for something to file?

Run from the repository root:  .venvs/bot/bin/python -m bench.first_turn_intents [--n 400] [--model PATH]
Writes the section "First turn" of docs/nlu-evaluation.md with --write-doc; prints progress as it goes.

Why: every text in the shared files is a request a resident sent to the government, so as a chat's
first message each should start a filing (a complaint, or a consultation that ends in an answer or
a ticket). The category figures say nothing about this: a short title such as "…何时修好" or
"强烈呼吁…终止…" can be read as a reply to a question (a place, "stop", "no") and never be filed.
What counts as starting a filing follows the dialogue (`data/rules.yml`, `actions/fallback.py`):
report_problem and consult start one; inform_place starts the complaint form with the place; an
unsure intent (nlu_fallback) starts it when the text holds >= 10 Chinese characters; contact details
(inform_details), and a greeting or thanks that also say who is writing, start it when a problem is
left once the details are set aside (`actions/self_introduction.py`). Everything else (stop, deny, affirm, ask_help, check_status,
supplement …) is a misreading.
Why Rasa's own parser in process: it is the very model the bot serves (`models/`, newest), and parsing
800 texts takes well under a minute, where the full conversation check runs the whole system.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import glob
import os
import random
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from actions.fallback import looks_like_complaint
from actions.self_introduction import GREETING_INTENTS, introduces_the_writer, tells_a_problem
from bench.doc_sections import replace_section

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
DOC = REPO / "docs" / "nlu-evaluation.md"
SECTION = "## First turn: real letters and titles read as something to file"
STARTS_FILING = {"report_problem", "consult", "inform_place"}
MAX_CHARS = 1000  # the bot's category component reads this much too; longer letters change nothing here


def starts_filing(intent: str, text: str) -> bool:
    return (intent in STARTS_FILING or (intent == "nlu_fallback" and looks_like_complaint(text))
            or (intent == "inform_details" and tells_a_problem(text))
            or (intent in GREETING_INTENTS and introduces_the_writer(text) and tells_a_problem(text)))


def newest_model(model: str | None = None) -> str:
    """The model archive given, else the newest in models/ (the one the bot serves)."""
    found = model or max(glob.glob(str(REPO / "models" / "*.tar.gz")), key=os.path.getmtime, default="")
    if not found:
        raise SystemExit("no model in models/: run `make model` first")
    return found


def sample(n: int, seed: int) -> Dict[str, List[Tuple[int, str]]]:
    """(data row, text) of n random non-empty bodies of messages.csv and n subjects of subjects.csv."""
    picked = {}
    for name, column in (("messages.csv", "body"), ("subjects.csv", "subject")):
        with (SHARED / name).open(encoding="utf-8", newline="") as handle:
            rows = [(number, (row.get(column) or "").strip())
                    for number, row in enumerate(csv.DictReader(handle), start=1)]
        rows = [(number, text) for number, text in rows if text]
        picked[name] = random.Random(seed).sample(rows, min(n, len(rows)))
    return picked


async def parse_all(model: str, texts: Dict[str, List[Tuple[int, str]]]) -> Dict[str, List[Tuple[int, str, str]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    parsed: Dict[str, List[Tuple[int, str, str]]] = {}
    for name, rows in texts.items():
        started = time.monotonic()
        parsed[name] = [(number, text, (await agent.parse_message(text[:MAX_CHARS]))["intent"]["name"])
                        for number, text in rows]
        print(f"[first_turn] {name}: {len(rows)} parsed in {time.monotonic() - started:.0f} s", flush=True)
    return parsed


def report(parsed: Dict[str, List[Tuple[int, str, str]]], model: str) -> str:
    """Plain text: the share that starts a filing, the intents, and the rows misread (never their text)."""
    lines = [f"model: {Path(model).name}"]
    for name, rows in parsed.items():
        good = sum(starts_filing(intent, text) for _, text, intent in rows)
        lines += ["", f"{name}: {good}/{len(rows)} = {good / len(rows):.1%} start a filing",
                  f"  intents: {dict(Counter(intent for _, _, intent in rows).most_common())}"]
        misread: Dict[str, List[int]] = defaultdict(list)
        for number, text, intent in rows:
            if not starts_filing(intent, text):
                misread[intent].append(number)
        for intent, numbers in sorted(misread.items(), key=lambda item: -len(item[1])):
            lines.append(f"  misread as {intent}: {len(numbers)} (rows {', '.join(map(str, numbers[:12]))}"
                         f"{' …' if len(numbers) > 12 else ''})")
    return "\n".join(lines)


NARRATIVE = """\
How: `.venvs/bot/bin/python -m bench.first_turn_intents --write-doc` (this section is written by that
command). {n} random non-empty bodies of `shared/data/messages.csv` and {n} random titles of
`subjects.csv` (read in place, seed {seed}) are parsed by the bot's model as a chat's first message.
Each is a request a resident sent, so each should start a filing: report_problem or consult, or
inform_place (the complaint form starts with the place), or an unsure intent on a text of at least
10 Chinese characters (`actions/fallback.py` files it as a complaint), or contact details
(inform_details) with a problem left once the details are set aside (`actions/self_introduction.py`,
issue #15). Anything else is a misreading:
the resident hears "好的" to "stop", or the menu, instead of being asked for the details."""


FINDINGS = """\
Findings (2026-11-25, this sample, seed 2026):

- Before the message board's style was in our examples (model of commit ee9750d, same pipeline),
  398/400 letters (99.5 %) and 386/400 titles (96.5 %) started a filing. The misread titles were
  requests and accusations in a few words, read as replies: "盼…" / "请求解决…" / "…有人管吗" as
  check_status, "请加强对…的监管" as affirm, "…违规补课" as inform_details, "…不正当竞争" as deny.
- 40 complaint titles and 7 policy questions in that style (`data/nlu/complaints.yml`, `consult.yml`),
  written by us after reading the misreadings of two other random samples (seeds 1 and 7, never this
  one), and 4 complaints with pasted junk (placeholders, markup, code; see the hostile-input note
  below): titles 393/400 (98.2 %), letters 399/400 (99.8 %). Of the 14 misread titles 8 are now read
  right (one of them, row 2119, was also in the seed-1 sample read while writing); 1 other is newly
  misread (stop).
- What remains: very short titles (under 10 Chinese characters) the model is unsure of, which the
  bot asks to rephrase; a question about a regulation read as a request for help (ask_help).
- Pasted junk: the bot's own hostile-input corpus (`tests/hostile/corpus.py`, 81 payloads) appended to a
  complaint ("我家楼下的路灯坏了好几天了 …") was read as a complaint 75/81 times before, 73/81 after the
  titles alone (a template-injection payload went to inform_details, and the chat test that files it
  failed), 79/81 with the 4 junk examples; the 2 left are SQL long enough to be mostly English, which
  the bot asks to have in Chinese. None of the 4 examples copies a payload of the corpus.
- The conversation-level check (section above) on its 50 letters: 47/50 right after the change,
  46/50 before. One of the 7 questions was written after reading that check's one unfiled letter (a
  question about special-equipment permits, read as ask_help), so that gain is partly fitted; the
  figures of this section are not.
- Issue #15 (letters that open with who is writing; 2026-12-02): 71 examples with self-introductions
  and contact details (`data/nlu/self_introductions.yml`, in other frames than the templates of
  `bench/self_intro_variants.py`), 11 more titles (`complaints.yml`, written after reading the titles
  a dev sample, seed 99, newly misread with the first version of those examples), and the rule that
  files contact details with a problem after them. This sample: letters 400/400 (was 399/400: the
  letter read as inform_details is now filed by the rule), titles 393/400 as before (2 read right
  now, 2 newly misread). On a fresh sample of 1,500 letters and 1,500 titles (seed 31), the previous
  model against this one, both with today's rules: letters 1,499 → 1,500, titles 1,490 → 1,493."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--model", help="a model archive (default: the newest in models/)")
    parser.add_argument("--write-doc", action="store_true", help=f"write the report into {DOC.name}")
    args = parser.parse_args()
    if not (SHARED / "messages.csv").exists():
        raise SystemExit(f"needs {SHARED}/messages.csv and subjects.csv (the shared data)")
    model = newest_model(args.model)
    text = report(asyncio.run(parse_all(model, sample(args.n, args.seed))), model)
    print(text)
    if args.write_doc:
        section = f"{SECTION}\n\n{NARRATIVE.format(n=args.n, seed=args.seed)}\n\n```text\n{text}\n```\n\n{FINDINGS}"
        replace_section(DOC, SECTION, section)
        print(f"wrote the section to {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
