"""NBSVM: the folded weights score like an SVM on the ratio-scaled features (up to liblinear's shuffling)."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.components.nb_svm import NBLinearSVC, log_count_ratios

TEXTS = ["路灯坏了晚上很黑", "路灯不亮了", "小区路灯坏了", "下水道堵了污水漫出来", "下水道反味",
         "污水井堵塞", "工地夜里施工噪音大", "噪音扰民睡不着", "夜间施工太吵"]
LABELS = ["路灯"] * 3 + ["污水"] * 3 + ["噪音"] * 3


def features() -> sp.csr_matrix:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit_transform(TEXTS)


def test_ratios_favour_the_class_that_uses_a_feature() -> None:
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2))
    x = vectorizer.fit_transform(TEXTS)
    ratios = log_count_ratios(x, np.array(LABELS), ["噪音", "污水", "路灯"])
    lamp = vectorizer.vocabulary_["路灯"]
    assert ratios[2, lamp] > 0 > ratios[0, lamp] and ratios[1, lamp] < 0


def test_folded_weights_equal_an_svm_on_scaled_features() -> None:
    x, labels = features(), np.array(LABELS)
    model = NBLinearSVC().fit(x, labels)
    ratios = log_count_ratios(x, labels, model.classes_)
    for k, label in enumerate(model.classes_):
        svm = LinearSVC().fit(x @ sp.diags(ratios[k]), (labels == label).astype(int))
        expected = svm.decision_function(x @ sp.diags(ratios[k]))
        assert np.allclose(model.decision_function(x)[:, k], expected, atol=1e-3)  # liblinear shuffles
    assert list(model.predict(x)) == LABELS


def test_two_classes_give_one_column_each() -> None:
    x = features()[:6]
    model = NBLinearSVC().fit(x, LABELS[:6])
    assert model.decision_function(x).shape == (6, 2)
    assert list(model.predict(x)) == LABELS[:6]
