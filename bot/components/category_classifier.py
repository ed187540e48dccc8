"""Rasa component: the first-level category (of 15) of every message, with level 2/3 by keyword.

Why a component of its own and not DIET: DIET on 12,000 long letters takes far too long on 2 cores
(RASA_NOTES.md); `CategoryModel` trains on all sources in well under a minute and parses in ~2 ms.
Why it reads files beside Rasa's training data: the examples are messages with a category, not
intents; see `category_sources.py` for which files, and `fingerprint_addon` for how Rasa's cache
notices when they change.

What an action reads (`tracker.latest_message`):
- `latest_message["category"]`: `{"level1", "level2", "level3", "path", "confidence", "ranking"}`
  (`level2`/`level3`/`path` beyond level 1 only when a keyword rule under that level 1 matched;
  `confidence` is the calibrated probability that level 1 is right, which the service compares with
  its dispatch threshold; the ranking's numbers are the model's softmax);
  absent for a message without words;
- the same first level as an entity: `{"entity": "category", "value": level1, "confidence_entity",
  "extractor": "CategoryClassifier"}`, e.g. `tracker.get_latest_entity_values("category")`.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components import category_sources as sources
from bot.components.category_model import CategoryModel, DispatchCalibration, ModelSettings

logger = logging.getLogger(__name__)

CATEGORY_KEY = "category"
EXTRACTOR = "CategoryClassifier"
MODEL_FILE = "category_model.joblib"
RANKING_LENGTH = 3
_WORD_CHAR_RE = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class CategoryClassifier(GraphComponent):
    """Adds `category` (dict) and a `category` entity to every parsed message with words."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**sources.DEFAULT_PATHS, "use_shared_data": True, "use_replies": False,
                **ModelSettings().__dict__}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Hash of the example, taxonomy and shared files and of this code, so edits retrain.

        Rasa's cache keys a component by its config and training data only: without this, a changed
        example file or model code would be restored stale from the cache.
        """
        config = {**cls.get_default_config(), **config}
        code = [Path(__file__).with_name(n) for n in ("category_classifier.py", "category_model.py",
                                                      "category_sources.py", "category_weak_labels.py",
                                                      "nb_svm.py")]
        inputs = sources.input_files(config, config["use_shared_data"], config["use_replies"])
        return sources.files_hash([*inputs, *code])

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[CategoryModel] = None,
        rules: Optional[List[sources.KeywordRule]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        self._rules = rules or []

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CategoryClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Train from our examples, our taxonomy and (when present) the shared real messages.

        Rasa's NLU examples are intents, not categories, so `training_data` is not used.
        """
        texts, labels = sources.all_examples(self._config, self._config["use_shared_data"],
                                             self._config["use_replies"])
        logger.info("CategoryClassifier: training on %d texts, %d classes", len(texts), len(set(labels)))
        self._model = CategoryModel(ModelSettings.from_config(self._config)).fit(texts, labels)
        self._model.calibration = DispatchCalibration.read(Path(self._config["calibration_path"]))
        self._rules = sources.keyword_rules(self._config["keywords_path"])
        self.persist()
        return self._resource

    def persist(self) -> None:
        import joblib

        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory / MODEL_FILE)
            joblib.dump(self._rules, directory / "keyword_rules.joblib")

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CategoryClassifier":
        import joblib

        try:
            with model_storage.read_from(resource) as directory:
                model = CategoryModel.load(directory / MODEL_FILE)
                rules = joblib.load(directory / "keyword_rules.joblib")
        except (ValueError, FileNotFoundError):
            logger.warning("CategoryClassifier: no trained model found; messages get no category")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model, rules)

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the category on each message that has words; leave the others untouched."""
        for message in messages:
            result = self.categorize(message.get(TEXT) or "")
            if result is None:
                continue
            message.set(CATEGORY_KEY, result, add_to_output=True)
            entity = {
                "entity": CATEGORY_KEY, "value": result["level1"], "start": 0,
                "end": len(message.get(TEXT) or ""), "confidence_entity": result["confidence"],
                "extractor": EXTRACTOR,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages

    def categorize(self, text: str) -> Optional[Dict[str, Any]]:
        """The category dict for one text, or None (no model, or no words in the text)."""
        if self._model is None or not _WORD_CHAR_RE.search(text):
            return None
        rankings, confidences = self._model.rank_with_confidence([text])
        ranking, confidence = rankings[0], float(confidences[0])
        level1 = ranking[0][0]
        path = sources.subcategory(text[: self._model.settings.max_chars], level1, self._rules) or (level1,)
        return {
            "level1": level1,
            "level2": path[1] if len(path) > 1 else None,
            "level3": path[2] if len(path) > 2 else None,
            "path": list(path),
            "confidence": round(confidence, 4),
            "ranking": [{"name": n, "confidence": round(c, 4)} for n, c in ranking[:RANKING_LENGTH]],
        }
