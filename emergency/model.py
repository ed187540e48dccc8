"""The sentence model for wordings no rule lists, trained at load time from our own example files.

Why a model at all: each batch of our own examples written after the rules were tuned lost a quarter of
its emergencies to wordings the rules did not list; a char n-gram model over the same examples catches
many of them. Why only behind the rules: alone it alarms on real letters all the time (model.yml).
Why trained at load time: the bot and the service run different scikit-learn versions; training from
the YAML in each process (a tenth of a second) gives both the same model without a pickle.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

HERE = Path(__file__).resolve().parent
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where built in: ten times faster
EXAMPLES = HERE / "examples"


def example_texts(pattern: str, folder: Path = EXAMPLES) -> List[str]:
    """The texts of every example file matching `pattern` (items are texts or mappings with `text`)."""
    texts: List[str] = []
    for path in sorted(folder.glob(pattern)):
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=LOADER) or {}
        items = data.get("examples", []) if isinstance(data, dict) else data
        texts += [str(i["text"] if isinstance(i, dict) else i) for i in items]
    return texts


class SentenceModel:
    """Char n-gram TF-IDF and a linear classifier; `margin` > `threshold` reads as an emergency."""

    def __init__(self, vectorizer: Any, classifier: Any, threshold: float) -> None:
        self.vectorizer, self.classifier, self.threshold = vectorizer, classifier, threshold

    @classmethod
    def train(cls, emergencies: Sequence[str], ordinary: Sequence[str], config: Dict[str, Any]) -> "SentenceModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        features = dict(config.get("features") or {})
        features["ngram_range"] = tuple(features.get("ngram_range", (1, 3)))
        vectorizer = TfidfVectorizer(**features)
        classifier = LogisticRegression(**dict(config.get("classifier") or {}))
        classifier.fit(vectorizer.fit_transform(list(emergencies) + list(ordinary)),
                       [1] * len(emergencies) + [0] * len(ordinary))
        return cls(vectorizer, classifier, float(config.get("threshold", 1.5)))

    def margin(self, sentence: str) -> float:
        """How far the sentence lies on the emergency side (the classifier's decision value)."""
        return float(self.classifier.decision_function(self.vectorizer.transform([sentence]))[0])


def read_config() -> Dict[str, Any]:
    with (HERE / "model.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@lru_cache(maxsize=1)
def default_model() -> Optional[SentenceModel]:
    """The packaged model, trained on first use; None when model.yml names no examples."""
    from emergency.rules import default_rules
    from emergency.text import normalise

    config = read_config()
    files = config.get("examples") or {}
    if not files:
        return None
    rules = default_rules()
    texts = {kind: [rules.rewrite(normalise(t)) for t in example_texts(files[kind])] for kind in ("emergencies", "ordinary")}
    return SentenceModel.train(texts["emergencies"], texts["ordinary"], config)
