"""One production topology (two of each server behind nginx, PostgreSQL, Redis) for this folder.

Starting it takes one to two minutes (two Rasa processes load the model), so the folder's tests share
one copy; it is skipped with the reason when nginx, PostgreSQL or Redis is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.prod_system import ProdSystem, prod_unavailable


@pytest.fixture(scope="package")  # stopped after this folder, before tests/faults starts its own copy
def prod(artifacts: Path) -> Iterator[ProdSystem]:
    reason = prod_unavailable()
    if reason:
        pytest.skip(f"production topology cannot run here: {reason}")
    with ProdSystem(artifacts / "logs" / "prod") as system:
        yield system
