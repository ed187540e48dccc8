"""Statistics of the nested category evaluation: intervals, paired tests, calibration, the dispatch rule.

Why a module of its own: these few formulas decide what ships; they are tested on cases whose answer
is known (tests/bench/test_category_stats.py), apart from the hour-long bench that uses them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
from scipy import stats

Interval = Tuple[float, float]


def corrected_t_interval(differences: Sequence[float], test_share: float, level: float = 0.95) -> Tuple[float, Interval]:
    """Mean of per-split differences and its interval, with Nadeau & Bengio's correction.

    Why corrected: the training parts of repeated splits overlap, so the splits' scores are not
    independent and the plain t interval is far too narrow; the correction adds n_test/n_train of the
    variance (Nadeau & Bengio 2003, "Inference for the generalization error").
    """
    values = np.asarray(differences, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return mean, (mean, mean)
    variance = values.var(ddof=1) * (1 / len(values) + test_share / (1 - test_share))
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * np.sqrt(variance)
    return mean, (mean - half, mean + half)


def bootstrap_interval(metric: Callable[[np.ndarray], float], size: int, rounds: int = 2000,
                       level: float = 0.95, seed: int = 0) -> Interval:
    """Percentile interval of `metric(indices)` over resamples of `size` items with replacement."""
    rng = np.random.default_rng(seed)
    values = [metric(rng.integers(0, size, size)) for _ in range(rounds)]
    return float(np.quantile(values, 0.5 - level / 2)), float(np.quantile(values, 0.5 + level / 2))


def mcnemar_p(first_right: np.ndarray, second_right: np.ndarray) -> float:
    """Exact two-sided McNemar p-value: do two classifiers err on the same items equally often?"""
    only_first = int(np.sum(first_right & ~second_right))
    only_second = int(np.sum(~first_right & second_right))
    if only_first + only_second == 0:
        return 1.0
    return float(stats.binomtest(only_first, only_first + only_second, 0.5).pvalue)


def wilson_interval(successes: int, total: int, level: float = 0.95) -> Interval:
    """Wilson score interval of a proportion (sound near 0 and 1, unlike the normal one)."""
    if total == 0:
        return 0.0, 1.0
    z = stats.norm.ppf(0.5 + level / 2)
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return float(centre - half), float(centre + half)


@dataclass(frozen=True)
class Dispatch:
    """What a threshold does: the share dispatched automatically and its accuracy."""

    threshold: float
    share: float
    accuracy: float
    dispatched: int
    right: int


def dispatch_at(confidence: np.ndarray, right: np.ndarray, threshold: float) -> Dispatch:
    sent = confidence >= threshold
    count, good = int(sent.sum()), int((sent & right).sum())
    return Dispatch(threshold, count / max(len(sent), 1), good / count if count else 1.0, count, good)


GRID = tuple(np.round(np.arange(0.30, 0.9951, 0.005), 3))


def lowest_threshold(groups: Sequence[Tuple[np.ndarray, np.ndarray]], min_accuracy: float,
                     grid: Sequence[float] = GRID) -> Optional[float]:
    """The rule: the lowest threshold at which every group's dispatched share is at least `min_accuracy`
    accurate (groups: (confidence, right) per kind of text), or None when no threshold of the grid is.

    Why the lowest: it dispatches the most while keeping the promised accuracy; why every group:
    residents type both short titles and long letters, and one promise covers both.
    """
    for threshold in grid:
        found = [dispatch_at(conf, right, threshold) for conf, right in groups]
        if all(d.dispatched and d.accuracy >= min_accuracy for d in found):  # nothing sent proves nothing
            return float(threshold)
    return None


BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.975, 1.0)


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability(confidence: np.ndarray, right: np.ndarray, bins: Sequence[float] = BINS) -> List[Bin]:
    """Per confidence bin: how many items, their mean confidence, and how many were right."""
    out = []
    for low, high in zip(bins[:-1], bins[1:]):
        inside = (confidence >= low) & ((confidence < high) if high < 1.0 else (confidence <= high))
        if inside.any():
            out.append(Bin(low, high, int(inside.sum()), float(confidence[inside].mean()), float(right[inside].mean())))
    return out


def expected_calibration_error(confidence: np.ndarray, right: np.ndarray, bins: Sequence[float] = BINS) -> float:
    """Items-weighted mean gap between confidence and accuracy over the bins."""
    total = len(confidence)
    return float(sum(b.count * abs(b.mean_confidence - b.accuracy) for b in reliability(confidence, right, bins)) / max(total, 1))
