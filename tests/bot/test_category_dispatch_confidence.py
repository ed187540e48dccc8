"""The confidence the bot sends with a category: calibrated when it can be, the softmax otherwise."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from bot.components.category_model import DISPATCH_FEATURES, CategoryModel, DispatchCalibration, ModelSettings

TEXTS = ["路灯坏了晚上很黑", "路灯不亮了", "小区路灯坏了", "下水道堵了污水漫出来", "下水道反味",
         "污水井堵塞", "工地夜里施工噪音大", "噪音扰民睡不着", "夜间施工太吵"]
LABELS = ["城乡建设"] * 3 + ["环境保护"] * 3 + ["噪音"] * 3
QUERIES = ["路灯坏了", "污水漫到路上", "半夜施工吵", "你好"]


def calibration(coef: list[float], intercept: float = 0.0) -> DispatchCalibration:
    return DispatchCalibration(mean=[0.0] * len(DISPATCH_FEATURES), scale=[1.0] * len(DISPATCH_FEATURES),
                               coef=coef, intercept=intercept)


def test_features_describe_each_text() -> None:
    model = CategoryModel(ModelSettings(nb_min_texts=0)).fit(TEXTS, LABELS)
    features = model.dispatch_features(QUERIES)
    assert features.shape == (len(QUERIES), len(DISPATCH_FEATURES))
    top, margin = features[:, 0], features[:, 1]
    assert np.all((0 < top) & (top <= 1)) and np.all((0 <= margin) & (margin <= top))
    assert set(np.unique(features[:, 3])) <= {0.0, 1.0}


def test_calibrated_confidence_follows_the_calibration_and_survives_saving(tmp_path: Path) -> None:
    model = CategoryModel(ModelSettings(nb_min_texts=0)).fit(TEXTS, LABELS)
    softmax = model.dispatch_confidence(QUERIES)
    model.calibration = calibration([4.0, 0, 0, 0, 0, 0, 0], intercept=-2.0)  # logistic(4 * top - 2)
    expected = 1 / (1 + np.exp(-(4 * model.dispatch_features(QUERIES)[:, 0] - 2)))
    assert np.allclose(model.dispatch_confidence(QUERIES), expected)
    assert not np.allclose(expected, softmax)
    model.save(tmp_path / "model.joblib")
    assert np.allclose(CategoryModel.load(tmp_path / "model.joblib").dispatch_confidence(QUERIES), expected)


def test_a_model_without_the_word_signals_keeps_the_softmax() -> None:
    """Our own ~400 examples alone train the plain SVM: a calibration fitted on another model would lie."""
    model = CategoryModel(ModelSettings(nb_min_texts=10_000)).fit(TEXTS, LABELS)
    softmax = model.dispatch_confidence(QUERIES)
    model.calibration = calibration([4.0, 0, 0, 0, 0, 0, 0], intercept=-2.0)
    assert np.allclose(model.dispatch_confidence(QUERIES), softmax)
    assert np.allclose(softmax, [r[0][1] for r in model.rank(QUERIES)])


def test_a_calibration_file_for_other_features_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "calibration.yml"
    path.write_text(yaml.safe_dump({"features": ["top"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0}))
    assert DispatchCalibration.read(path) is None
    assert DispatchCalibration.read(tmp_path / "missing.yml") is None
    good = calibration([1.0] * len(DISPATCH_FEATURES))
    path.write_text(yaml.safe_dump({"features": list(DISPATCH_FEATURES), "mean": good.mean, "scale": good.scale,
                                    "coef": good.coef, "intercept": good.intercept}))
    assert DispatchCalibration.read(path) == good
