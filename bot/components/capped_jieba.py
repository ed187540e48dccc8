"""JiebaTokenizer that reads at most the first `max_chars` characters, and knows its dictionary.

Why a cap: DIET's transformer costs grow with the square of the token count; a 12,000-character
letter took ~5 s to parse and blocks the Rasa worker meanwhile. What a message is about (intent) shows
in its first paragraphs; the full text still reaches the actions (`description` is mapped from the
message text, not from tokens), so nothing is lost for the ticket.

Why a fingerprint: Rasa's training cache does not see edits to the jieba user dictionary
(RASA_NOTES.md); hashing the dictionary files into the fingerprint makes `rasa train` retrain.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

DEFAULT_MAX_CHARS = 1500


def dictionary_hash(dictionary_path: Optional[str]) -> Optional[str]:
    """SHA-256 over the names and contents of the files in the dictionary folder."""
    if not dictionary_path or not Path(dictionary_path).is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(dictionary_path).rglob("*") if p.is_file()):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CappedJiebaTokenizer(JiebaTokenizer):
    """Jieba tokens of the first `max_chars` characters of a message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**JiebaTokenizer.get_default_config(), "max_chars": DEFAULT_MAX_CHARS}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return dictionary_hash(config.get("dictionary_path"))

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        import jieba

        text = (message.get(attribute) or "")[: self._config["max_chars"]]
        tokens = [Token(word, start) for (word, start, _) in jieba.tokenize(text)]
        return self._apply_token_pattern(tokens)
