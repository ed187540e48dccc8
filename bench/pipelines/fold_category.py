"""Bench-only variant of our category component that `rasa test nlu` can score fairly.

Why it exists: `bot.components.category_classifier.CategoryClassifier` ignores Rasa's training data
and trains on the whole shared data, so inside `rasa test nlu --cross-validation` it would have seen
every test fold (a measure of memory). This subclass trains the same `CategoryModel` (same settings)
on our own examples and taxonomy plus only the fold's training examples, whose intents are first-level
categories in the benchmark's data set. Why it also sets the intent: Rasa's evaluation scores
intents; placed last in the pipeline, the component's first-level category becomes the predicted
intent, so Rasa's own intent report scores the category component.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components import category_sources as sources
from bot.components.category_classifier import CATEGORY_KEY, CategoryClassifier
from bot.components.category_model import CategoryModel, ModelSettings


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class FoldCategoryClassifier(CategoryClassifier):
    """CategoryClassifier trained on the fold (not the shared files); its category is the intent."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**CategoryClassifier.get_default_config(), "use_shared_data": False}

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = sources.all_examples(self._config, use_shared=False)
        for example in training_data.intent_examples:
            texts.append(example.get(TEXT))
            labels.append(example.get(INTENT))
        self._model = CategoryModel(ModelSettings.from_config(self._config)).fit(texts, labels)
        self._rules = sources.keyword_rules(self._config["keywords_path"])
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        super().process(messages)
        for message in messages:
            category = message.get(CATEGORY_KEY)
            if not category:
                continue
            message.set(INTENT, {"name": category["level1"], "confidence": category["confidence"]},
                        add_to_output=True)
            message.set(INTENT_RANKING_KEY, list(category["ranking"]), add_to_output=True)
        return messages
