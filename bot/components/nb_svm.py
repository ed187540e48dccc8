"""NBSVM: a linear SVM on features scaled by naive-Bayes log-count ratios (Wang & Manning 2012).

Why: on the shared messages the plain char n-gram SVM weighs every n-gram by TF-IDF alone. Scaling
each feature, per class, by how much more often it occurs in that class than in the others (the
naive-Bayes log-count ratio) lets the SVM start from the evidence naive Bayes sees and gave the best
cross-validated macro-F1 of everything compared (docs/nlu-evaluation.md, "Model selection").
Why a class of its own and not a scaled input: the ratio differs per class, so each one-vs-rest SVM
sees its own scaled copy of the features; folding the ratio into the learnt weights afterwards gives
one ordinary linear model (`coef_`, `intercept_`), which predicts exactly as fast as LinearSVC and
which `CategoryModel` stores and loads in the same way.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.svm import LinearSVC


def log_count_ratios(features: sp.spmatrix, labels: np.ndarray, classes: Sequence[str],
                     alpha: float = 1.0) -> np.ndarray:
    """[class, feature] = log of (share of the class's texts' features) / (share in the other texts).

    Counts are of texts containing the feature (binarised), smoothed by `alpha`, as in the paper.
    """
    present = (features > 0).astype(np.float64).tocsr()
    ratios = []
    for label in classes:
        mine = labels == label
        p = alpha + np.asarray(present[mine].sum(axis=0)).ravel()
        q = alpha + np.asarray(present[~mine].sum(axis=0)).ravel()
        ratios.append(np.log((p / p.sum()) / (q / q.sum())))
    return np.vstack(ratios)


class NBLinearSVC(ClassifierMixin, BaseEstimator):
    """One-vs-rest LinearSVC per class on the features scaled by that class's log-count ratios."""

    def __init__(self, C: float = 1.0, alpha: float = 1.0) -> None:
        self.C = C
        self.alpha = alpha

    def fit(self, features: sp.spmatrix, labels: Sequence[str]) -> "NBLinearSVC":
        labels = np.asarray(labels)
        self.classes_ = np.unique(labels)
        if len(self.classes_) < 2:
            raise ValueError("NBLinearSVC needs at least two classes")
        features = sp.csr_matrix(features)
        ratios = log_count_ratios(features, labels, self.classes_, self.alpha)
        weights, intercepts = [], []
        for label, ratio in zip(self.classes_, ratios):
            svm = LinearSVC(C=self.C).fit(features @ sp.diags(ratio), (labels == label).astype(int))
            weights.append(svm.coef_.ravel() * ratio)  # (x * r) . w == x . (r * w)
            intercepts.append(svm.intercept_[0])
        self.coef_ = np.vstack(weights)
        self.intercept_ = np.asarray(intercepts)
        return self

    def decision_function(self, features: sp.spmatrix) -> np.ndarray:
        """One margin per class, [text, class] (also for two classes, unlike LinearSVC)."""
        return np.asarray(features @ self.coef_.T) + self.intercept_

    def predict(self, features: sp.spmatrix) -> np.ndarray:
        return self.classes_[self.decision_function(features).argmax(axis=1)]
