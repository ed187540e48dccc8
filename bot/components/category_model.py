"""First-level category model: character n-gram TF-IDF + linear SVM, free of Rasa.

Why this model: on the shared 12345-style messages, word features, logistic regression, SGD,
fastText and frozen sentence embeddings all land within ~0.01 macro-F1 of char TF-IDF + LinearSVC
(RASA_NOTES.md), and it trains in seconds on 2 cores. What measurably helps is more data (the other
shared file, our own examples): see docs/nlu-evaluation.md.
Why Rasa-free: `bench.nlu_eval` imports this exact class, so the figures describe the code path the
Rasa component (`category_classifier.py`) runs.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

Ranking = List[Tuple[str, float]]


@dataclass
class ModelSettings:
    """Knobs the evaluation compares; the defaults are the measured best."""

    max_chars: int = 1000  # what a message is about shows in its first paragraphs; caps cost
    # Each training text longer than this also trains as its opening alone (0: off). Residents type
    # short first messages and subjects are short: openings teach the model short phrasing.
    opening_chars: int = 60
    ngram_max: int = 3
    min_df: int = 2  # n-grams seen once: 3x the features, no gain in macro-F1, slower fits
    word_features: bool = False  # jieba word uni/bigrams beside the characters (measured: no gain)
    class_weight: Optional[str] = None  # "balanced" measured no better and fits slower
    c: float = 1.0
    temperature: float = 3.0  # softmax sharpness over SVM margins -> a 0..1 confidence

    @classmethod
    def from_config(cls, config: Dict[str, Any]) -> "ModelSettings":
        known = {k: config[k] for k in asdict(cls()) if k in config}
        return cls(**known)


def _jieba_words(text: str) -> List[str]:
    import jieba

    return jieba.lcut(text)


def _vectorizer(settings: ModelSettings) -> Any:
    chars = TfidfVectorizer(
        analyzer="char", ngram_range=(1, settings.ngram_max), sublinear_tf=True, min_df=settings.min_df,
    )
    if not settings.word_features:
        return chars
    words = TfidfVectorizer(
        tokenizer=_jieba_words, token_pattern=None, lowercase=False,
        ngram_range=(1, 2), sublinear_tf=True, min_df=2,
    )
    return FeatureUnion([("chars", chars), ("words", words)])


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def with_openings(texts: List[str], labels: List[str], opening_chars: int) -> Tuple[List[str], List[str]]:
    """The texts plus, for each text longer than `opening_chars`, its opening as one more item."""
    if opening_chars <= 0:
        return texts, labels
    longer = [i for i, text in enumerate(texts) if len(text) > opening_chars]
    return (texts + [texts[i][:opening_chars] for i in longer], labels + [labels[i] for i in longer])


class CategoryModel:
    """Predicts the first-level category of a message with a confidence and a ranking."""

    def __init__(self, settings: Optional[ModelSettings] = None) -> None:
        self.settings = settings or ModelSettings()
        self.pipeline: Optional[Pipeline] = None

    def _cut(self, texts: Sequence[str]) -> List[str]:
        return [(t or "")[: self.settings.max_chars] for t in texts]

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "CategoryModel":
        """Train on texts and their first-level categories (at least two classes)."""
        svm = LinearSVC(C=self.settings.c, class_weight=self.settings.class_weight)
        self.pipeline = Pipeline([("features", _vectorizer(self.settings)), ("svm", svm)])
        texts, labels = with_openings(self._cut(texts), list(labels), self.settings.opening_chars)
        self.pipeline.fit(texts, labels)
        self._slim()
        return self

    def _slim(self) -> None:
        """Drop what prediction never uses, to keep the Rasa model archive small.

        `stop_words_` holds every pruned n-gram (sklearn documents it as safe to remove before
        pickling); float32 weights halve the rest and change no prediction we measured.
        """
        features = self.pipeline.named_steps["features"]
        for vectorizer in [features] + [v for _, v in getattr(features, "transformer_list", [])]:
            if hasattr(vectorizer, "stop_words_"):
                vectorizer.stop_words_ = None
        svm = self.pipeline.named_steps["svm"]
        svm.coef_ = svm.coef_.astype(np.float32)

    @property
    def classes(self) -> List[str]:
        return list(self.pipeline.classes_) if self.pipeline is not None else []

    def predict(self, texts: Sequence[str]) -> List[str]:
        """The best category of each text (for evaluation in bulk)."""
        return list(self.pipeline.predict(self._cut(texts)))

    def rank(self, texts: Sequence[str]) -> List[Ranking]:
        """Every class with a softmax confidence, best first, per text."""
        scores = self.pipeline.decision_function(self._cut(texts))
        if scores.ndim == 1:  # two classes: sklearn gives one margin
            scores = np.stack([-scores, scores], axis=1)
        probs = _softmax(scores * self.settings.temperature)
        classes = self.classes
        return [sorted(zip(classes, map(float, row)), key=lambda p: -p[1]) for row in probs]

    def save(self, path: Path) -> None:
        joblib.dump({"settings": asdict(self.settings), "pipeline": self.pipeline}, path)

    @classmethod
    def load(cls, path: Path) -> "CategoryModel":
        stored = joblib.load(path)
        model = cls(ModelSettings(**stored["settings"]))
        model.pipeline = stored["pipeline"]
        model._fast_sparse_weights()
        return model

    def _fast_sparse_weights(self) -> None:
        """Keep the SVM weights as Fortran-ordered float64 in memory (the archive keeps float32).

        Why: sklearn scores with `X @ coef_.T`; with C-ordered float32 weights and the float64 TF-IDF
        matrix, scipy first copies and upcasts the whole weight matrix (millions of values) on every
        call: ~100 ms per message on the shared 2 cores, half of Rasa's NLU time (py-spy, bench.bot_latency).
        Fortran-ordered float64 weights make `coef_.T` a C-ordered float64 view, so the product touches
        only the message's non-zero features (microseconds), with the very same numbers as before.
        """
        svm = self.pipeline.named_steps["svm"] if self.pipeline is not None else None
        if svm is not None and hasattr(svm, "coef_"):
            svm.coef_ = np.asfortranarray(svm.coef_, dtype=np.float64)
