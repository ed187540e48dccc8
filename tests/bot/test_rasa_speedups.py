"""The cached action-response validator (bot/rasa_speedups.py) judges responses as Rasa's own check does."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate

import bot.components  # noqa: F401  (installs the patch, as the Rasa server's model load does)
from rasa.core.actions.action import RemoteAction

GOOD = {"events": [{"event": "slot", "timestamp": None, "name": "place", "value": "洪山区珞喻路129号"},
                   {"event": "active_loop", "name": "complaint_form"}],
        "responses": [{"text": "请问问题发生在哪里？"}]}
BAD = [{"events": "not a list"}, {"events": [{"event": "slot", "name": 3}]}, {"responses": "text"}]


def test_patch_is_installed() -> None:
    assert RemoteAction._validate_action_result.__module__ == "bot.rasa_speedups"


def test_valid_response_passes() -> None:
    action = RemoteAction("action_file_ticket", None)
    assert action._validate_action_result(GOOD) is True


@pytest.mark.parametrize("response", BAD)
def test_invalid_response_fails_as_rasas_own_check_does(response: dict) -> None:
    schema = RemoteAction.action_response_format_spec()
    with pytest.raises(ValidationError) as original:
        validate(response, schema)
    with pytest.raises(ValidationError) as patched:
        RemoteAction("action_file_ticket", None)._validate_action_result(response)
    assert patched.value.message.startswith(original.value.message)
    assert "Failed to validate Action server response" in patched.value.message

