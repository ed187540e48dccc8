"""How our hotspot ranking relates to public votes, on the real message-board set (hotspots.csv).

Reads ``../shared/data/hotspots.csv`` in place (never copied into the repository), clusters the
messages with ``ticketing.analytics.hotspots`` *without* looking at votes, ranks the clusters by size and
recency only, and compares with the public up/down votes the messages received: Spearman
correlation of cluster size with votes, and the votes of the top clusters against random sets of
as many messages. Run: ``.venvs/ticketing/bin/python -m bench.hotspot_check``.
"""
from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from datetime import datetime
from pathlib import Path

from ticketing.analytics.hotspots import Cluster, Doc, cluster, rank

# The set spans 2.5 years: recency counts by the year here, not by the fortnight as on the dashboard.
HALF_LIFE = 365.0
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hotspots.csv"


def load(path: Path) -> list[Doc]:
    """Subject and body as one text; the place is extracted from the text by the clusterer."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Doc(id=r["id"], text=f"{r['subject']}。{r['body']}", at=_time(r["time"]),
                    upvotes=int(r["upvotes"] or 0), downvotes=int(r["downvotes"] or 0))
                for r in csv.DictReader(handle)]


def _time(text: str) -> datetime | None:
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    return None


def net(doc: Doc) -> int:
    return max(0, doc.upvotes - doc.downvotes)


def _ranks(values: list[float]) -> list[float]:
    """Average ranks (ties share their mean rank), as Spearman needs."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float:
    """Pearson correlation of the ranks."""
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return cov / var if var else 0.0


def random_baseline(docs: list[Doc], size: int, trials: int, rng: random.Random) -> list[int]:
    """Total net votes of ``size`` messages drawn at random, ``trials`` times."""
    return sorted(sum(net(d) for d in rng.sample(docs, size)) for _ in range(trials))


def report(docs: list[Doc], clusters: list[Cluster], top: int, trials: int, seed: int) -> list[str]:
    """The figures, as lines of Markdown (printed and written into docs/hotspots.md)."""
    multi = [c for c in clusters if c.size >= 2]
    newest = max(d.at for d in docs if d.at)
    ranked = rank(clusters, newest, use_votes=False, half_life_days=HALF_LIFE)
    rng = random.Random(seed)
    lines = [f"- messages: {len(docs):,}; clusters of 2 or more: {len(multi):,} holding "
             f"{sum(c.size for c in multi):,} messages; largest cluster: {max(c.size for c in clusters)}",
             f"- cluster sizes (2+): " + ", ".join(f"{n}×{s}" for s, n in _size_histogram(multi))]
    sizes = [float(c.size) for c in clusters]
    totals = [float(sum(net(d) for d in c.members)) for c in clusters]
    lines.append(f"- Spearman(cluster size, total net votes), all {len(clusters):,} clusters incl. single "
                 f"messages: {spearman(sizes, totals):.3f}")
    lines.append(f"- Spearman(cluster size, total net votes), the {len(multi)} clusters of 2+: "
                 f"{spearman([float(c.size) for c in multi], [float(c.votes) for c in multi]):.3f}")
    lines.append(f"- Spearman(cluster size, mean net votes per message), clusters of 2+: "
                 f"{spearman([float(c.size) for c in multi], [c.votes / c.size for c in multi]):.3f}")
    mean_in = statistics.fmean(net(d) for c in multi for d in c.members)
    mean_out = statistics.fmean(net(d) for c in clusters if c.size == 1 for d in c.members)
    lines.append(f"- mean net votes per message: in a cluster {mean_in:.2f}, alone {mean_out:.2f}")
    percentile = dict(zip((d.id for d in docs), (r / len(docs) for r in _ranks([float(net(d)) for d in docs]))))
    voted_share = sum(net(d) > 0 for d in docs) / len(docs)
    for k in (top, top * 2):
        chosen = ranked[:k]
        members = [d for c in chosen for d in c.members]
        lines.append(f"- top {k} clusters, robust view: {sum(net(d) > 0 for d in members) / len(members):.0%} of their "
                     f"messages have a net vote (all messages: {voted_share:.0%}); mean vote percentile "
                     f"{statistics.fmean(percentile[d.id] for d in members):.2f} (random: 0.50)")
        n_msgs = sum(c.size for c in chosen)
        votes = sum(c.votes for c in chosen)
        base = random_baseline(docs, n_msgs, trials, rng)
        share = sum(b < votes for b in base) / len(base)
        lines.append(f"- top {k} clusters by our ranking (size + recency, votes not used): {n_msgs} messages, "
                     f"{votes} net votes; {n_msgs} random messages: median {statistics.median(base):.0f}, "
                     f"90th percentile {base[int(0.9 * len(base))]}; ours beat {share:.0%} of {trials} random draws")
    return lines


def _size_histogram(clusters: list[Cluster]) -> list[tuple[int, int]]:
    counts: dict[int, int] = {}
    for c in clusters:
        counts[c.size] = counts.get(c.size, 0) + 1
    return sorted(counts.items())


def top_table(clusters: list[Cluster], docs: list[Doc], k: int) -> list[str]:
    """Our top clusters with sizes, places and votes (no message text: the data stays outside)."""
    newest = max(d.at for d in docs if d.at)
    rows = ["| rank | size | place key | net votes | latest |", "| --- | --- | --- | --- | --- |"]
    for i, c in enumerate(rank(clusters, newest, use_votes=False, half_life_days=HALF_LIFE)[:k], 1):
        rows.append(f"| {i} | {c.size} | {c.place or '–'} | {c.votes} | {c.latest:%Y-%m-%d} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    if not args.data.is_file():
        raise SystemExit(f"{args.data} not found: the check needs the shared real messages")
    docs = load(args.data)
    started = time.perf_counter()
    clusters = cluster(docs)
    elapsed = time.perf_counter() - started
    print(f"clustered {len(docs):,} messages in {elapsed:.1f} s")
    print("\n".join(report(docs, clusters, args.top, args.trials, args.seed)))
    print("\n".join(top_table(clusters, docs, args.top)))


if __name__ == "__main__":
    main()
