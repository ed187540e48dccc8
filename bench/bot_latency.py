"""Bot turn latency at 1, 20 and 200 concurrent conversations, beside Rasa's `/model/parse`; memory.

"N concurrent conversations" means N scripted residents, each in its own conversation (its own
sender id) through the REST webhook `/webhooks/rest/webhook`, each sending its next message only
when the bot's answer to the previous one has arrived. Two paces:

- no think time (closed loop): the next message goes out at once, so N messages are always in
  flight — a stress figure;
- think time (default 5–15 s, uniform, residents starting spread over the first 10 s): a resident
  reads the reply and types an answer, as people in the chat do — the goal (p95 ≤ 150 ms at 20
  concurrent conversations) refers to this pace.

A conversation is a complaint filed end to end (`bench.residents`): greeting (sometimes), complaint,
place when asked, time and contact at the summary, "确认", ticket number. Latency is measured by
the client around each HTTP request; percentiles are over the turns that got a right answer. Errors:
non-200, timeouts, connection failures, empty or unexpected replies, no ticket number after 确认, and
— counted in the database afterwards — conversations that reached 确认 without exactly one ticket.
Then the very same texts go through `/model/parse` of the Rasa servers with the same concurrency and
pace (round-robin over the servers, like the front), in the same run: the ratio is what the dialogue,
the tracker store, the locks, the actions and the ticketing service add to the NLU.

Memory: RSS (with children) of every server process at rest (after start-up and one warm-up
conversation) and its peak during the 200-conversation levels.

Run: `make bench-bot` (or `.venvs/ticketing/bin/python -m bench.bot_latency --help`).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx

from bench.nginx_breakdown import HopTotals, hop_totals, log_size
from bench.deployment import Deployment, dev_stack, prod_available, prod_stack
from bench.percentiles import p50_p95_p99, percentile
from bench.perf_doc import RunConditions, write_section
from bench.process_memory import PeakMemory, mib, snapshot
from bench.residents import Conversation, Pace, parse_text, talk

GOAL_P95_MS = 150.0
GOAL_LEVEL = 20


@dataclass
class Level:
    """One measured load: N residents, each doing `rounds` conversations one after the other."""

    residents: int
    rounds: int
    pace: Pace
    conversations: list[list[Conversation]] = field(default_factory=list)
    wall: float = 0.0
    parse_seconds: list[float] = field(default_factory=list)
    parse_errors: Counter = field(default_factory=Counter)
    parse_wall: float = 0.0
    db_errors: Counter = field(default_factory=Counter)
    hops: HopTotals | None = None  # from nginx's access log, production topology only

    @property
    def all_conversations(self) -> list[Conversation]:
        return [c for mine in self.conversations for c in mine]

    def turn_seconds(self, kind: str | None = None) -> list[float]:
        return [t.seconds for c in self.all_conversations for t in c.turns
                if not t.error and (kind is None or t.kind == kind)]

    def turn_errors(self) -> Counter:
        return Counter(t.error for c in self.all_conversations for t in c.turns if t.error)

    def errors(self) -> Counter:
        return self.turn_errors() + self.db_errors

    @property
    def turns(self) -> int:
        return sum(len(c.turns) for c in self.all_conversations)


def limits(n: int) -> httpx.Limits:
    return httpx.Limits(max_connections=n + 8, max_keepalive_connections=n + 8)


async def run_conversations(deployment: Deployment, level: Level, run_id: str, seed: int, timeout: float) -> None:
    """All residents of the level at once; each runs its conversations in turn."""
    rng = random.Random(seed)
    level.conversations = [
        [Conversation.scripted(f"bench-{run_id}-{level.residents}-{'t' if level.pace.think else 'c'}-{i}-{r}", rng)
         for r in range(level.rounds)] for i in range(level.residents)]

    async def resident(i: int, client: httpx.AsyncClient) -> None:
        mine = random.Random(seed * 1000 + i)
        await asyncio.sleep(mine.uniform(0, level.pace.start_spread))
        for conversation in level.conversations[i]:
            await talk(client, deployment.webhook, conversation, level.pace, mine, timeout)

    async with httpx.AsyncClient(limits=limits(level.residents)) as client:
        started = time.perf_counter()
        await asyncio.gather(*(resident(i, client) for i in range(level.residents)))
        level.wall = time.perf_counter() - started


async def run_parses(deployment: Deployment, level: Level, seed: int, timeout: float) -> None:
    """The texts the residents sent, through /model/parse with the same concurrency and pace."""
    urls = [f"{url}/model/parse" for url in deployment.rasa_urls]

    async def resident(i: int, client: httpx.AsyncClient) -> None:
        mine = random.Random(seed * 1000 + i)
        await asyncio.sleep(mine.uniform(0, level.pace.start_spread))
        first = True
        for conversation in level.conversations[i]:
            for turn in conversation.turns:
                if not first and level.pace.think is not None:
                    await asyncio.sleep(mine.uniform(*level.pace.think))
                first = False
                seconds, error = await parse_text(client, urls[i % len(urls)], turn.text, timeout)
                if error:
                    level.parse_errors[error] += 1
                else:
                    level.parse_seconds.append(seconds)

    async with httpx.AsyncClient(limits=limits(level.residents)) as client:
        started = time.perf_counter()
        await asyncio.gather(*(resident(i, client) for i in range(level.residents)))
        level.parse_wall = time.perf_counter() - started


def check_tickets(deployment: Deployment, level: Level) -> None:
    """Every conversation that reached 确认 must have exactly one ticket in the database."""
    # Conversations whose 确认 got an answer; a 确认 that failed is already counted as that turn's error.
    confirmed = [c for c in level.all_conversations if c.confirmed and not c.turns[-1].error]
    counts = deployment.tickets_per_conversation([c.sender for c in confirmed])
    for conversation in confirmed:
        n = counts.get(conversation.sender, 0)
        if n == 0:
            level.db_errors["confirmed but no ticket in the database"] += 1
        elif n > 1:
            level.db_errors[f"{n} tickets for one conversation"] += 1


def describe(level: Level) -> str:
    """One progress line."""
    p50, p95, p99 = (x * 1000 for x in p50_p95_p99(level.turn_seconds()))
    q50, q95, q99 = (x * 1000 for x in p50_p95_p99(level.parse_seconds))
    errors = sum(level.errors().values())
    return (f"{level.residents:>3} conversations, {level.pace.label():<22} turns {level.turns:>4} "
            f"errors {errors:>3}  turn p50/p95/p99 {p50:6.0f} {p95:6.0f} {p99:6.0f} ms   "
            f"parse {q50:5.0f} {q95:5.0f} {q99:5.0f} ms   {level.turns / level.wall:5.1f} turns/s")


def measure_level(deployment: Deployment, level: Level, run_id: str, seed: int, timeout: float) -> None:
    print(f"… {level.residents} conversations × {level.rounds}, {level.pace.label()}", flush=True)
    mark = log_size(deployment.access_log)
    asyncio.run(run_conversations(deployment, level, run_id, seed, timeout))
    level.hops = hop_totals(deployment.access_log, mark)
    check_tickets(deployment, level)
    asyncio.run(run_parses(deployment, level, seed, timeout))
    print("  " + describe(level), flush=True)
    for error, n in level.errors().most_common():
        print(f"    error: {error} × {n}", flush=True)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def report(deployment: Deployment, levels: list[Level], rest: dict[str, int], peak: dict[str, int],
           conditions: RunConditions, load_end: tuple[float, float, float], think: tuple[float, float]) -> str:
    rows = []
    for level in levels:
        turns = level.turn_seconds()
        p50, p95, p99 = p50_p95_p99(turns)
        q50, q95, q99 = p50_p95_p99(level.parse_seconds)
        confirmed = sum(c.confirmed for c in level.all_conversations)
        filed = sum(bool(c.ticket) for c in level.all_conversations)
        errors = level.errors()
        error_text = "0" if not errors else f"**{sum(errors.values())}**: " + "; ".join(
            f"{k} × {v}" for k, v in errors.most_common())
        rows.append(
            f"| {level.residents} | {level.pace.label()} | {len(level.all_conversations)} | {level.turns} | "
            f"{filed}/{confirmed} | {error_text} | {fmt(p50)} / {fmt(p95)} / {fmt(p99)} | "
            f"{fmt(q50)} / {fmt(q95)} / {fmt(q99)} | {p50 / q50:.1f}× / {p95 / q95:.1f}× | "
            f"{level.turns / level.wall:.1f} |")
    kinds = ("greeting", "complaint", "place", "details", "confirm")
    kind_rows = []
    for level in levels:
        cells = " | ".join(fmt(percentile(level.turn_seconds(k), 50)) if level.turn_seconds(k) else "–"
                           for k in kinds)
        kind_rows.append(f"| {level.residents} | {level.pace.label()} | {cells} |")
    hop_rows = []
    for level in levels:
        if level.hops is None or not level.hops.turns:
            continue
        turn, actions, ticketing, rest_ms = level.hops.per_turn_ms()
        parse = sum(level.parse_seconds) * 1000 / max(len(level.parse_seconds), 1)
        hop_rows.append(
            f"| {level.residents} | {level.pace.label()} | {turn:,.0f} | {level.hops.action_calls / level.hops.turns:.1f} "
            f"| {actions:,.0f} ({actions / turn:.0%}) | {ticketing:,.0f} ({ticketing / turn:.0%}) "
            f"| {rest_ms:,.0f} ({rest_ms / turn:.0%}) | {parse:,.0f} |")
    hop_text = "" if not hop_rows else f"""
Where a turn's time goes (mean ms per turn, from the `rt=` of nginx's access log: every hop of a turn
passes nginx): action calls include the ticketing calls the actions make; "Rasa itself" is the rest
(NLU, policies, tracker store, locks, nginx), shown beside the mean `/model/parse` of the same texts:

| conversations | pace | turn | action calls per turn | in action calls | of which ticketing API | Rasa itself | `/model/parse` |
| --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(hop_rows)}
"""
    memory_rows = "\n".join(f"| {label} | {mib(rest.get(label, 0))} | {mib(peak.get(label, 0))} |"
                            for label in sorted(rest))
    goal = next((lv for lv in levels if lv.residents == GOAL_LEVEL and lv.pace.think is not None), None)
    goal_text = ""
    if goal is not None:
        p95 = percentile(goal.turn_seconds(), 95) * 1000
        verdict = "met" if p95 <= GOAL_P95_MS else f"**not met** ({p95 / GOAL_P95_MS:.1f}× the goal)"
        goal_text = f"Goal p95 ≤ {GOAL_P95_MS:.0f} ms at {GOAL_LEVEL} conversations with think time: {p95:.0f} ms, {verdict}."
    big = [lv for lv in levels if lv.residents >= 200]
    if big:
        n = sum(sum(lv.errors().values()) for lv in big)
        goal_text += f" Goal 0 errors at 200 conversations: {n} error(s), {'met' if n == 0 else '**not met**'}."
    return f"""### Bot turn latency and memory under load

`make bench-bot` (`bench/bot_latency.py`) measures the {deployment.description}.
"N concurrent conversations" = N scripted residents, each in its own conversation (own sender id)
through the REST webhook `{deployment.webhook.replace(deployment.front_url, '')}`, each sending its next
message only when the answer to the previous one has arrived, either at once (**no think time**: N
messages always in flight, a stress figure) or after a **think time** of {think[0]:g}–{think[1]:g} s
(uniform; residents start spread over the first 10 s), as people type in the chat. The goal (p95 ≤
{GOAL_P95_MS:.0f} ms at {GOAL_LEVEL} conversations) refers to the think-time pace. A conversation is a complaint
filed end to end: sometimes a greeting, the complaint (half name their place), the place when the
bot asks where, a time and a contact at the summary, "确认", and the ticket number in the answer.
Latency is measured by the client around each request, over the turns answered correctly; errors
are non-200, timeouts, connection failures, empty or unexpected replies, no number after 确认, and
conversations that reached 确认 without exactly one ticket in the database (counted afterwards).
`/model/parse` gets the very same texts, with the same concurrency and pace, in the same run, sent
straight to the Rasa server(s) (round-robin); "ratio" is turn ÷ parse at p50 / p95.

{conditions.describe(load_end)}

| conversations | pace | conversations run | turns | tickets / 确认 | errors | turn p50 / p95 / p99 (ms) | `/model/parse` p50 / p95 / p99 (ms) | ratio p50 / p95 | turns/s |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

{goal_text}

Median turn time by kind of turn (ms); 确认 is the turn that files the ticket through the ticketing API:

| conversations | pace | greeting | complaint | place | details | 确认 |
| --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(kind_rows)}
{hop_text}
Memory (RSS in MiB, each process with its children; shared pages counted in each) at rest after
start-up and one warm-up conversation, and the peak sampled every 0.5 s during the 200-conversation levels:

| process | at rest | peak under load |
| --- | --- | --- |
{memory_rows}
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 20, 200], help="concurrent conversations")
    parser.add_argument("--think", type=float, nargs=2, default=[5.0, 15.0], metavar=("LOW", "HIGH"),
                        help="think time in seconds between a reply and the next message")
    parser.add_argument("--no-think-levels", action="store_true", help="skip the think-time runs")
    parser.add_argument("--conversations", type=int, default=60,
                        help="conversations per closed-loop level at least (residents repeat to reach it)")
    parser.add_argument("--think-rounds", type=int, default=2, help="conversations per resident below 200 with think time")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds one turn may take before it is an error")
    parser.add_argument("--dev", action="store_true", help="measure the development stack even when ProdSystem exists")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-doc", action="store_true", help="print only; do not write docs/performance.md")
    return parser.parse_args(argv)


def plan(args: argparse.Namespace) -> list[Level]:
    think = Pace(tuple(args.think), start_spread=10.0)
    levels: list[Level] = []
    for n in args.levels:
        levels.append(Level(n, max(1, -(-args.conversations // n)), Pace(None)))
        if n > 1 and not args.no_think_levels:
            levels.append(Level(n, 1 if n >= 200 else args.think_rounds, think))
    return levels


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    conditions = RunConditions.now()
    run_id = uuid.uuid4().hex[:8]
    with ExitStack() as stack:
        if prod_available() and not args.dev:
            deployment = stack.enter_context(prod_stack("bot_latency"))
        else:
            if not args.dev:
                print("ProdSystem is not available: measuring the development stack", flush=True)
            deployment = stack.enter_context(dev_stack())
        print(f"system up: {deployment.description}", flush=True)
        warm = Level(1, 1, Pace(None))
        asyncio.run(run_conversations(deployment, warm, run_id + "w", args.seed, args.timeout))
        if warm.errors():
            print(f"warm-up conversation failed: {dict(warm.errors())}; transcript: "
                  f"{[(t.kind, t.error) for t in warm.all_conversations[0].turns]}; last reply: "
                  f"{warm.all_conversations[0].last_reply!r}", file=sys.stderr)
            return 1
        rest = snapshot(deployment.processes)
        peak: dict[str, int] = dict(rest)
        levels = plan(args)
        for index, level in enumerate(levels):
            if level.residents >= 200:
                with PeakMemory(deployment.processes, 0.5) as sampler:
                    measure_level(deployment, level, run_id, args.seed + index, args.timeout)
                peak = {k: max(peak.get(k, 0), v) for k, v in sampler.peaks.items()}
            else:
                measure_level(deployment, level, run_id, args.seed + index, args.timeout)
        text = report(deployment, levels, rest, peak, conditions, os.getloadavg(), tuple(args.think))
    print(text)
    if not args.no_doc:
        write_section("bot_latency", text)
    big_errors = sum(sum(lv.errors().values()) for lv in levels if lv.residents >= 200)
    return 1 if big_errors else 0


if __name__ == "__main__":
    sys.exit(main())
