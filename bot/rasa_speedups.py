"""A Rasa 3.6.21 hot spot fixed in place: the action-server response check builds its validator once.

Rasa checks every action server response with `jsonschema.validate(result, schema)`, which first
checks the (large) schema itself and builds a new validator on every call: ~4 ms per action call on
a quiet machine, ~100 ms on the shared 2 cores, and 30 % of a busy Rasa server's CPU (py-spy under
`bench.bot_latency`; a turn makes one to three action calls). Here the same schema is checked once
and its validator reused, so responses are judged exactly as before (same schema, same draft, the
same best-matching error) at a small fraction of the cost.

Installed on import of `bot.components`, which the Rasa server imports when it loads the model;
where Rasa is not installed (the ticketing environment) nothing happens.
"""
from __future__ import annotations

from typing import Any, Dict

_installed = False


def install() -> bool:
    """Replace RemoteAction._validate_action_result once; True when Rasa is present and patched."""
    global _installed
    if _installed:
        return True
    try:
        from jsonschema import ValidationError, validators
        from jsonschema.exceptions import best_match
        from rasa.core.actions.action import RemoteAction
        from rasa.shared.constants import DOCS_BASE_URL
    except ImportError:
        return False
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    _installed = True
    return True
