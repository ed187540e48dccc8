"""First-level category model: character n-gram TF-IDF + NBSVM, blended with word naive Bayes, free of Rasa.

Why this model: on the shared 12345-style messages, word features, logistic regression, SGD,
fastText and frozen sentence embeddings all land within ~0.01 macro-F1 of char TF-IDF + LinearSVC
(RASA_NOTES.md), and it trains in seconds on 2 cores. What measurably helps is more data (the other
shared file, our own examples), then (issue #4, chosen by cross-validation inside the training part)
scaling the char n-grams by naive-Bayes log-count ratios (NBSVM, `nb_svm.py`) and, for short texts,
mixing in a complement naive Bayes on jieba words: see docs/nlu-evaluation.md.
Why Rasa-free: `bench.nlu_eval` imports this exact class, so the figures describe the code path the
Rasa component (`category_classifier.py`) runs.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from bot.components.nb_svm import NBLinearSVC

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
    class_weight: Optional[str] = None  # "balanced" measured no better, fits slower; LinearSVC only
    c: float = 1.0
    # NBSVM: each class's SVM sees the features scaled by their naive-Bayes log-count ratios
    # (bot/components/nb_svm.py); False: sklearn's LinearSVC on the TF-IDF features as they are.
    nb_scaling: bool = True
    temperature: float = 3.0  # softmax sharpness over SVM margins -> a 0..1 confidence
    # Length-dependent blend with a complement naive Bayes on jieba words (0, 0: off): the weight of
    # its log-probabilities against the SVM's for texts of at most `short_chars` characters, and for
    # longer ones. Words help short subjects more than long letters (docs/nlu-evaluation.md).
    word_nb_short: float = 0.3
    word_nb_long: float = 0.05
    short_chars: int = 60
    # NBSVM and the word blend were chosen by CV on 9,000+ real texts. Trained on fewer (our own ~400
    # examples, when ../shared/data is absent) their naive-Bayes counts are noise: a tie in CV at best,
    # and two of our hand-written test sentences flipped (a 请纪委调查 letter went to 农村农业). Below
    # this many training texts the model is the plain LinearSVC.
    nb_min_texts: int = 2000

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


_PLAIN_JIEBA: Any = None


def _words(text: str) -> List[str]:
    """jieba words with jieba's own dictionary only, blanks dropped.

    Why a private jieba.Tokenizer: inside Rasa the tokenizer loads our user dictionary into jieba's
    global instance, which this component's fingerprint does not cover and the evaluation does not
    load; a private instance segments the same way in the bench, in tests and in Rasa.
    """
    global _PLAIN_JIEBA
    if _PLAIN_JIEBA is None:
        import jieba

        _PLAIN_JIEBA = jieba.Tokenizer()
    return [w for w in _PLAIN_JIEBA.lcut(text) if w.strip()]


WORD_NB_ALPHA = 0.3  # smoothing and temperature of the word naive Bayes: chosen by cross-validation
WORD_NB_TEMPERATURE = 0.3


def _word_nb() -> Pipeline:
    words = TfidfVectorizer(tokenizer=_words, token_pattern=None, lowercase=False, sublinear_tf=True, min_df=2)
    return Pipeline([("features", words), ("nb", ComplementNB(alpha=WORD_NB_ALPHA))])


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def with_openings(texts: List[str], labels: List[str], opening_chars: int) -> Tuple[List[str], List[str]]:
    """The texts plus, for each text longer than `opening_chars`, its opening as one more item."""
    if opening_chars <= 0:
        return texts, labels
    longer = [i for i, text in enumerate(texts) if len(text) > opening_chars]
    return (texts + [texts[i][:opening_chars] for i in longer], labels + [labels[i] for i in longer])


DISPATCH_FEATURES = ("top", "margin", "svm_top", "svm_agrees", "nb_top", "nb_agrees", "log_chars")


@dataclass
class DispatchCalibration:
    """P(first level right) = logistic(((features - mean) / scale) . coef + intercept).

    Fitted by bench.category_nested on out-of-fold predictions inside the development part and kept
    in bot/category_data/dispatch_calibration.yml (plain numbers: no pickle crosses library versions).
    """

    mean: List[float]
    scale: List[float]
    coef: List[float]
    intercept: float
    features: List[str] = field(default_factory=lambda: list(DISPATCH_FEATURES))

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = ((features - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def read(cls, path: Path) -> Optional["DispatchCalibration"]:
        """The calibration in a YAML file, or None when the file is absent or was made for other features."""
        import yaml

        if not path.is_file():
            return None
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if tuple(data.get("features") or ()) != DISPATCH_FEATURES:
            return None
        return cls(**{k: data[k] for k in ("mean", "scale", "coef", "intercept", "features")})


class CategoryModel:
    """Predicts the first-level category of a message with a confidence and a ranking."""

    def __init__(self, settings: Optional[ModelSettings] = None) -> None:
        self.settings = settings or ModelSettings()
        self.pipeline: Optional[Pipeline] = None
        self.word_nb: Optional[Pipeline] = None  # only with word_nb_short / word_nb_long
        self.calibration: Optional[DispatchCalibration] = None  # see dispatch_confidence

    def _cut(self, texts: Sequence[str]) -> List[str]:
        return [(t or "")[: self.settings.max_chars] for t in texts]

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "CategoryModel":
        """Train on texts and their first-level categories (at least two classes)."""
        naive_bayes_parts = len(texts) >= self.settings.nb_min_texts
        if self.settings.nb_scaling and naive_bayes_parts:
            svm = NBLinearSVC(C=self.settings.c)
        else:
            svm = LinearSVC(C=self.settings.c, class_weight=self.settings.class_weight)
        self.pipeline = Pipeline([("features", _vectorizer(self.settings)), ("svm", svm)])
        texts, labels = with_openings(self._cut(texts), list(labels), self.settings.opening_chars)
        self.pipeline.fit(texts, labels)
        self.word_nb = None
        if naive_bayes_parts and (self.settings.word_nb_short or self.settings.word_nb_long):
            self.word_nb = _word_nb().fit(texts, labels)
        self._slim()
        return self

    def _slim(self) -> None:
        """Drop what prediction never uses, to keep the Rasa model archive small.

        `stop_words_` holds every pruned n-gram (sklearn documents it as safe to remove before
        pickling); float32 weights halve the rest and change no prediction we measured. The word naive
        Bayes keeps its counts (needed only to train further) as float32 too.
        """
        features = self.pipeline.named_steps["features"]
        vectorizers = [features] + [v for _, v in getattr(features, "transformer_list", [])]
        if self.word_nb is not None:
            vectorizers.append(self.word_nb.named_steps["features"])
            nb = self.word_nb.named_steps["nb"]
            nb.feature_count_ = nb.feature_count_.astype(np.float32)
            nb.feature_all_ = nb.feature_all_.astype(np.float32)
        for vectorizer in vectorizers:
            if hasattr(vectorizer, "stop_words_"):
                vectorizer.stop_words_ = None
        svm = self.pipeline.named_steps["svm"]
        svm.coef_ = svm.coef_.astype(np.float32)

    @property
    def classes(self) -> List[str]:
        return list(self.pipeline.classes_) if self.pipeline is not None else []

    def _parts(self, cut: Sequence[str]) -> Tuple[np.ndarray, Optional[np.ndarray]]:
        """The SVM's margins times the temperature, and the word NB's joint log-likelihoods (or None)."""
        scores = self.pipeline.decision_function(cut)
        if scores.ndim == 1:  # two classes: sklearn gives one margin
            scores = np.stack([-scores, scores], axis=1)
        scores = scores * self.settings.temperature
        if self.word_nb is None:
            return scores, None
        words = self.word_nb.named_steps["features"].transform(cut)
        return scores, self.word_nb.named_steps["nb"]._joint_log_likelihood(words)  # sklearn 1.1: no public name

    def _blend(self, cut: Sequence[str], svm: np.ndarray, nb: Optional[np.ndarray]) -> np.ndarray:
        if nb is None:
            return svm
        short = np.array([len(t) <= self.settings.short_chars for t in cut])
        weight = np.where(short, self.settings.word_nb_short, self.settings.word_nb_long)[:, None]
        return (1 - weight) * _log_softmax(svm) + weight * _log_softmax(nb / WORD_NB_TEMPERATURE)

    def _scores(self, texts: Sequence[str]) -> np.ndarray:
        """[text, class] scores whose softmax is the confidence: SVM margins times the temperature,
        or, with the word blend, a length-weighted mean of the SVM's and the word NB's log-softmax."""
        cut = self._cut(texts)
        return self._blend(cut, *self._parts(cut))

    def dispatch_features(self, texts: Sequence[str]) -> np.ndarray:
        """[text, DISPATCH_FEATURES]: what tells a sure first level from a doubtful one.

        Why more than the top softmax: when the char SVM and the word naive Bayes disagree, or the
        runner-up is close, the model is wrong far more often than its softmax says; a logistic
        calibration on these (bench.category_nested, cross-validated) ranks errors lower.
        """
        cut = self._cut(texts)
        svm, nb = self._parts(cut)
        return self._features(cut, svm, nb, _softmax(self._blend(cut, svm, nb)))

    @staticmethod
    def _features(cut: Sequence[str], svm: np.ndarray, nb: Optional[np.ndarray], blended: np.ndarray) -> np.ndarray:
        rows = np.arange(len(cut))
        best = blended.argmax(axis=1)
        ordered = np.sort(blended, axis=1)
        svm_probs = _softmax(svm)
        nb_probs = _softmax(nb / WORD_NB_TEMPERATURE) if nb is not None else np.zeros_like(blended)
        return np.column_stack([
            ordered[:, -1],
            ordered[:, -1] - ordered[:, -2] if blended.shape[1] > 1 else ordered[:, -1],
            svm_probs[rows, best],
            (svm_probs.argmax(axis=1) == best).astype(float),
            nb_probs[rows, best],
            (nb_probs.argmax(axis=1) == best).astype(float) if nb is not None else np.zeros(len(cut)),
            np.log1p([len(t) for t in cut]),
        ])

    def dispatch_confidence(self, texts: Sequence[str]) -> np.ndarray:
        """P(the first level is right) per text: calibrated when the model has a calibration and the
        word NB its features need; else the top softmax (our own ~400 examples alone: no calibration
        was measured for that model)."""
        return self.rank_with_confidence(texts)[1]

    def rank_with_confidence(self, texts: Sequence[str]) -> Tuple[List[Ranking], np.ndarray]:
        """`rank` and `dispatch_confidence` from one pass over the texts (the component needs both for
        every message: scoring twice would double the SVM and naive-Bayes work on the parse path)."""
        cut = self._cut(texts)
        svm, nb = self._parts(cut)
        probs = _softmax(self._blend(cut, svm, nb))
        if self.calibration is None or nb is None:
            confidence = probs.max(axis=1)
        else:
            confidence = self.calibration.probability(self._features(cut, svm, nb, probs))
        return self._ranking(probs), confidence

    def predict(self, texts: Sequence[str]) -> List[str]:
        """The best category of each text (for evaluation in bulk)."""
        classes = np.asarray(self.classes)
        return list(classes[self._scores(texts).argmax(axis=1)])

    def rank(self, texts: Sequence[str]) -> List[Ranking]:
        """Every class with a softmax confidence, best first, per text."""
        return self._ranking(_softmax(self._scores(texts)))

    def _ranking(self, probs: np.ndarray) -> List[Ranking]:
        classes = self.classes
        return [sorted(zip(classes, map(float, row)), key=lambda p: -p[1]) for row in probs]

    def save(self, path: Path) -> None:
        calibration = asdict(self.calibration) if self.calibration is not None else None
        joblib.dump({"settings": asdict(self.settings), "pipeline": self.pipeline, "word_nb": self.word_nb,
                     "calibration": calibration}, path)

    @classmethod
    def load(cls, path: Path) -> "CategoryModel":
        stored = joblib.load(path)
        model = cls(ModelSettings(**stored["settings"]))
        model.pipeline = stored["pipeline"]
        model.word_nb = stored.get("word_nb")
        if stored.get("calibration"):
            model.calibration = DispatchCalibration(**stored["calibration"])
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
