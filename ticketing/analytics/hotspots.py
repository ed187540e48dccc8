"""Hotspots (热点): clusters of similar complaints at one place, ranked by size, recency and votes.

Pure functions over plain ``Doc`` values, so the rules are tested on our own small examples and
checked on real messages (``bench/hotspot_check.py``) without a database. Method: character-bigram
shingles of the text (Chinese has no spaces; bigrams are robust to word choice), candidate pairs
from an inverted index that ignores very common bigrams, Jaccard similarity, and a union-find.
Two complaints join when they name the same normalised place and read alike, or read very alike.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

from ticketing.domain.place_keys import extract_place, normalise_place

_NOISE_RE = re.compile(r"[\s0-9０-９a-zA-Z.,，。！？!?、；;：:（）()“”\"'《》【】\-—_/#~…]+")


@dataclass(frozen=True)
class Doc:
    """One complaint: an id to link back, its text, where, what kind, when, and public votes if any."""

    id: str
    text: str
    place: str | None = None
    category: str | None = None
    at: datetime | None = None
    upvotes: int = 0
    downvotes: int = 0
    place_key: str | None = None  # already normalised (tickets carry it, ``domain/place_keys.py``)


@dataclass
class Cluster:
    """Similar complaints at one place; ``score`` orders the hotspot list."""

    members: list[Doc]
    place: str | None
    score: float = 0.0
    label: str = ""
    votes: int = field(default=0)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def latest(self) -> datetime | None:
        times = [d.at for d in self.members if d.at]
        return max(times) if times else None


def same_place_key(a: str | None, b: str | None) -> bool:
    """Equal keys, or one is the other with a district in front ("丽发新城小区" / "A2区丽发新城小区")."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 4 and long.endswith(short))


def shingles(text: str, limit: int = 160) -> frozenset[str]:
    """Character bigrams of the first ``limit`` characters, punctuation, digits and Latin removed."""
    clean = _NOISE_RE.sub("", text[:limit])
    return frozenset({clean[i:i + 2] for i in range(len(clean) - 1)})


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _candidates(sets: Sequence[frozenset[str]], max_df: int, min_shared: int) -> list[tuple[int, int]]:
    """Pairs sharing at least ``min_shared`` bigrams that are not too common (inverted index)."""
    index: dict[str, list[int]] = {}
    for i, grams in enumerate(sets):
        for gram in grams:
            index.setdefault(gram, []).append(i)
    rare = {gram: ids for gram, ids in index.items() if 1 < len(ids) <= max_df}
    pairs: list[tuple[int, int]] = []
    for i, grams in enumerate(sets):
        shared: dict[int, int] = {}
        for gram in grams:
            for j in rare.get(gram, ()):
                if j > i:
                    shared[j] = shared.get(j, 0) + 1
        pairs.extend((i, j) for j, n in shared.items() if n >= min_shared)
    return pairs


def cluster(docs: Sequence[Doc], *, same_place: float = 0.15, anywhere: float | None = 0.35,
            max_df: int = 40, min_shared: int = 3, text_limit: int = 160) -> list[Cluster]:
    """Group similar complaints; singletons are returned too (a hotspot of one is still a complaint).

    ``anywhere=None`` links only complaints at the same place: candidates then come from place
    blocks instead of the bigram index, which is what keeps the dashboard fast on 3,000 tickets.
    """
    places = [d.place_key or normalise_place(d.place) or extract_place(d.text) for d in docs]
    sets = [shingles(d.text, text_limit) for d in docs]
    pairs = _candidates(sets, max_df, min_shared) if anywhere is not None else _same_place_pairs(places, docs)
    found = _UnionFind(len(docs))
    for a, b in pairs:
        if not _same_topic(docs[a], docs[b]):
            continue
        similarity = jaccard(sets[a], sets[b])
        if (anywhere is not None and similarity >= anywhere) or \
                (similarity >= same_place and same_place_key(places[a], places[b])):
            found.union(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(found.find(i), []).append(i)
    return [_make_cluster([docs[i] for i in ids], [places[i] for i in ids]) for ids in groups.values()]


def _same_place_pairs(places: Sequence[str | None], docs: Sequence[Doc]) -> list[tuple[int, int]]:
    """All pairs within each (place key, category) block; complaints without a place join nothing."""
    blocks: dict[tuple[str, str | None], list[int]] = {}
    for i, place in enumerate(places):
        if place:
            blocks.setdefault((place, docs[i].category), []).append(i)
    return [(a, b) for ids in blocks.values() for k, a in enumerate(ids) for b in ids[k + 1:]]


def _same_topic(a: Doc, b: Doc) -> bool:
    """Different known categories never join (a noise complaint and a fee dispute in one building)."""
    return not (a.category and b.category and a.category != b.category)


def _make_cluster(members: list[Doc], places: list[str | None]) -> Cluster:
    named = [p for p in places if p]
    place = max(set(named), key=lambda p: (named.count(p), -len(p), p)) if named else None
    members.sort(key=lambda d: (d.at.timestamp() if d.at else 0.0, d.id), reverse=True)
    votes = sum(max(0, d.upvotes - d.downvotes) for d in members)
    return Cluster(members=members, place=place, label=members[-1].text[:40], votes=votes)  # the first report


HALF_LIFE_DAYS = 14.0


def score(c: Cluster, now: datetime | None, half_life_days: float = HALF_LIFE_DAYS, use_votes: bool = True) -> float:
    """Each complaint counts 1, halved every ``half_life_days`` of age; public votes add log(1+votes)."""
    weight = 0.0
    for doc in c.members:
        age = (now - doc.at).total_seconds() / 86400 if now and doc.at else 0.0
        weight += 0.5 ** (max(age, 0.0) / half_life_days)
    return round(weight + (math.log1p(c.votes) if use_votes else 0.0), 4)


def rank(clusters: Iterable[Cluster], now: datetime | None = None, *, min_size: int = 2,
         use_votes: bool = True, half_life_days: float = HALF_LIFE_DAYS) -> list[Cluster]:
    """Clusters of at least ``min_size`` complaints, best first (score, then size, then recency)."""
    kept = [c for c in clusters if c.size >= min_size]
    for c in kept:
        c.score = score(c, now, half_life_days, use_votes)
    return sorted(kept, key=lambda c: (-c.score, -c.size, -(c.latest.timestamp() if c.latest else 0.0),
                                       c.members[0].id))


def hotspots(docs: Sequence[Doc], now: datetime | None = None, top: int = 10, min_size: int = 2,
             anywhere: float | None = 0.35, text_limit: int = 160) -> list[Cluster]:
    """Cluster, then rank: the ``top`` hotspots."""
    return rank(cluster(docs, anywhere=anywhere, text_limit=text_limit), now, min_size=min_size)[:top]
