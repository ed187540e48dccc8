"""Latency percentiles the same way in every bench: nearest rank on the sorted samples.

Why nearest rank: with a few hundred samples an interpolated p99 invents a value nobody waited;
the nearest-rank p99 is a latency one request really had.
"""
from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0 < q <= 100) by nearest rank; NaN for no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def p50_p95_p99(samples: Sequence[float]) -> tuple[float, float, float]:
    return percentile(samples, 50), percentile(samples, 95), percentile(samples, 99)
