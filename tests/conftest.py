"""Suite-wide fixtures: the real servers, started the way `make run` starts them.

Tests under tests/bot/ are unit tests of the custom actions; they import rasa-sdk and run in the
bot's own Python 3.10 environment (`make test` runs them there first), so the main run skips them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

collect_ignore = [] if importlib.util.find_spec("rasa_sdk") else ["bot"]

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def stack(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator["SystemUnderTest"]:
    """The whole system on free ports with a fresh SQLite database, started lazily."""
    from tests.support.system import SystemUnderTest

    system = SystemUnderTest(tmp_path_factory.mktemp("stack"), artifacts / "logs")
    yield system
    system.stop_all()


@pytest.fixture(scope="session")
def ticketing_url(stack: "SystemUnderTest") -> str:
    return stack.ensure_ticketing()


@pytest.fixture(scope="session")
def api_headers(stack: "SystemUnderTest") -> dict[str, str]:
    """The integration token the stack's ticketing service accepts: API reads need it (401 without)."""
    return {"Authorization": f"Bearer {stack.config.api_token}"}


@pytest.fixture(scope="session")
def action_server_url(stack: "SystemUnderTest") -> str:
    return stack.ensure_actions()


@pytest.fixture(scope="session")
def rasa_url(stack: "SystemUnderTest") -> str:
    return stack.ensure_rasa()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    from launcher.model import ensure_model

    return ensure_model()
