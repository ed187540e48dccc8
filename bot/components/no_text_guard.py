"""NLU component: a message with no words (empty, emoji, punctuation) is `nlu_fallback`, always.

Why: such a message has no features the classifier has seen, so DIET returns whichever intent its
biases favour (e.g. "😀" came back as `affirm` at 0.67). Forcing the fallback intent lets
`action_handle_fallback` answer with a prompt to describe the problem in words. Runs last, after
FallbackClassifier; accepts an empty message by design (the web widget may send one).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

_WORD_CHAR_RE = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]")


def has_no_words(text: str) -> bool:
    """True when a message has no Chinese character, Latin letter or digit."""
    return not _WORD_CHAR_RE.search(text or "")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NoTextGuard(GraphComponent, IntentClassifier):
    """Overrides the predicted intent with `nlu_fallback` for messages without words."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "NoTextGuard":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the fallback intent (confidence 1.0) on every message without words."""
        for message in messages:
            if has_no_words(message.get(TEXT) or ""):
                fallback = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback], add_to_output=True)
        return messages
