"""The formulas that decide what ships (bench/category_stats.py), on cases whose answer is known."""
from __future__ import annotations

import numpy as np
import pytest

from bench import category_stats as st


def test_corrected_interval_is_wider_than_the_plain_one_and_centred_on_the_mean() -> None:
    diffs = [0.01, 0.02, 0.015, 0.005, 0.03, 0.01, 0.02, 0.0, 0.025, 0.015]
    mean, (low, high) = st.corrected_t_interval(diffs, test_share=0.2)
    assert mean == pytest.approx(np.mean(diffs))
    plain = 2.262 * np.std(diffs, ddof=1) / np.sqrt(len(diffs))  # t(0.975, 9)
    assert high - mean == pytest.approx(mean - low)
    assert high - mean > plain * 1.5  # the correction adds n_test/n_train = 0.25 of the variance


def test_an_interval_of_noise_around_zero_contains_zero() -> None:
    rng = np.random.default_rng(1)
    _, (low, high) = st.corrected_t_interval(rng.normal(0, 0.01, 10), test_share=0.2)
    assert low < 0 < high


def test_mcnemar_counts_only_the_items_the_two_disagree_on() -> None:
    a = np.array([True] * 90 + [False] * 10)
    assert st.mcnemar_p(a, a.copy()) == 1.0
    b = a.copy()
    b[:20] = False  # b is wrong on 20 more items that a gets right
    assert st.mcnemar_p(a, b) < 0.001
    assert st.mcnemar_p(a, b) == pytest.approx(st.mcnemar_p(b, a))


def test_wilson_interval_stays_inside_zero_and_one_and_holds_the_share() -> None:
    low, high = st.wilson_interval(97, 100)
    assert 0.91 < low < 0.97 < high < 0.995
    assert st.wilson_interval(0, 10)[0] == pytest.approx(0.0, abs=1e-12)
    assert st.wilson_interval(10, 10)[1] == pytest.approx(1.0)


def test_bootstrap_interval_of_a_mean() -> None:
    values = np.array([1.0] * 80 + [0.0] * 20)
    low, high = st.bootstrap_interval(lambda i: float(values[i].mean()), len(values))
    assert 0.70 < low < 0.8 < high < 0.90


def test_the_rule_picks_the_lowest_threshold_that_keeps_every_group_accurate() -> None:
    confidence = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4])
    right = np.array([True, True, True, True, True, False, True, False])
    # dispatched at 0.7: 5 right of 5; at 0.5: 6 of 7 (86 %).
    assert st.lowest_threshold([(confidence, right)], 0.97) == pytest.approx(0.61, abs=0.006)
    assert st.lowest_threshold([(confidence, right)], 0.80) == pytest.approx(0.41, abs=0.006)
    strict = (np.array([0.99, 0.98]), np.array([False, False]))
    assert st.lowest_threshold([(confidence, right), strict], 0.97) is None


def test_dispatch_counts_what_reaches_the_threshold() -> None:
    d = st.dispatch_at(np.array([0.9, 0.5, 0.7]), np.array([True, False, False]), 0.7)
    assert (d.dispatched, d.right, d.share) == (2, 1, pytest.approx(2 / 3))


def test_a_calibrated_model_has_a_small_calibration_error_and_an_overconfident_one_a_large() -> None:
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.5, 1.0, 20_000)
    honest = rng.uniform(size=confidence.size) < confidence
    assert st.expected_calibration_error(confidence, honest) < 0.02
    overconfident = rng.uniform(size=confidence.size) < confidence - 0.2
    assert st.expected_calibration_error(confidence, overconfident) > 0.15
    bins = st.reliability(confidence, honest)
    assert sum(b.count for b in bins) == confidence.size
