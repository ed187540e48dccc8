"""NLU component: entities `place`, `district`, `event_time`, `phone`, `person_name` by rules.

The rules live in entity_rules.py (a blank spaCy `zh` pipeline with jieba, an EntityRuler and
regular expressions) and districts.py (cpca); this class only adapts them to Rasa and runs after the
other extractors, so it can also de-duplicate what they returned: RASA_NOTES warns that DIET and the
RegexEntityExtractor both report the same span when both are trained on it. Of several entities of one
kind on overlapping spans, this component's own is kept, else the first one.

`district` is the canonical name of the district a place names ("洪山" → 洪山区, "A3区" → A3区), on the
characters that name it; `adcode` and `city` ride along in the entity for the actions.

Options: `dictionary_path` (the jieba user dictionary, the tokenizer's), `home_city_adcode` (the city a
bare "洪山" belongs to; 4201 = 武汉市), `max_chars` (like the tokenizer, only the start of a very long
letter is read; the actions' heuristics still see the whole text).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.districts import DEFAULT_HOME_CITY_ADCODE, normalise_district
from bot.components.entity_rules import DEFAULT_DICTIONARY, REPO, Found, build_pipeline, find_entities


def entity_dicts(text: str, found: List[Found], city_adcode: str, extractor: str) -> List[Dict[str, Any]]:
    """Rasa entity dictionaries for the rule findings, with a `district` for each place naming one."""
    entities: List[Dict[str, Any]] = []
    for item in found:
        entities.append({"entity": item.entity, "start": item.start, "end": item.end, "value": item.value,
                         "confidence_entity": 1.0, EXTRACTOR: extractor})
        if item.entity != "place":
            continue
        district = normalise_district(item.text, city_adcode)
        if district:
            entities.append({"entity": "district", "start": item.start + district.start,
                             "end": item.start + district.end, "value": district.name, "adcode": district.adcode,
                             "city": district.city, "confidence_entity": 1.0, EXTRACTOR: extractor})
    return entities


def _overlaps(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    return a.get("start", -1) < b.get("end", -1) and b.get("start", -1) < a.get("end", -1)


def deduplicate(entities: List[Dict[str, Any]], preferred: Text) -> List[Dict[str, Any]]:
    """One entity per kind and span: the `preferred` extractor's wins, otherwise the first reported."""
    ordered = sorted(entities, key=lambda e: e.get(EXTRACTOR) != preferred)  # stable: keeps order otherwise
    kept: List[Dict[str, Any]] = []
    for entity in ordered:
        if any(k.get("entity") == entity.get("entity") and _overlaps(k, entity) for k in kept):
            continue
        kept.append(entity)
    return sorted(kept, key=lambda e: (e.get("start", 0), -e.get("end", 0)))  # a place before its district


def resolve_dictionary(path: Optional[str]) -> Path:
    """The dictionary folder as configured, relative to the working directory or else to the repository."""
    if not path:
        return DEFAULT_DICTIONARY
    candidate = Path(path)
    if candidate.exists():
        return candidate.resolve()
    return (REPO / path).resolve()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RuleEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds rule entities to every message and removes duplicate entities of other extractors."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"dictionary_path": "bot/jieba_dict", "home_city_adcode": DEFAULT_HOME_CITY_ADCODE, "max_chars": 1500}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "jieba", "cpca"]

    def __init__(self, config: Dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        self._nlp = build_pipeline(resolve_dictionary(self._config["dictionary_path"]))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RuleEntityExtractor":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Find the entities of each message (first `max_chars` characters) and merge them in."""
        for message in messages:
            text = (message.get(TEXT) or "")[: int(self._config["max_chars"])]
            found = find_entities(text, self._nlp)
            ours = entity_dicts(text, found, str(self._config["home_city_adcode"]), self.name)
            merged = deduplicate(list(message.get(ENTITIES, [])) + ours, self.name)
            message.set(ENTITIES, merged, add_to_output=True)
        return messages
