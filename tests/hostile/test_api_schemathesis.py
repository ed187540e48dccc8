"""Property-based API testing with schemathesis 4 against the app's own ``/openapi.json``.

Every operation is called in-process (ASGI) with generated valid and invalid inputs, as an integration
holding the API token and as an anonymous caller. Checks: no 5xx, status codes and bodies as the
schema documents them, content types as documented. The run is derandomized (seeded), so a failure
repeats; the number of cases per operation is printed at the end and written to
``tests/artifacts/schemathesis_cases.json``.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterator

os.environ.setdefault("YIJIAN_TEST_FAST_HASH", "1")

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from ticketing.app import create_app
from ticketing.store.schema import migrate
from ticketing.core.settings import Settings

API_TOKEN = os.environ.setdefault("YIJIAN_API_TOKEN", "test-api-token-0123456789")
EXAMPLES_PER_OPERATION = int(os.environ.get("YIJIAN_SCHEMATHESIS_EXAMPLES", "60"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
CALLERS = {"token": {"Authorization": f"Bearer {API_TOKEN}"}, "anonymous": {}}
CASES: Counter[str] = Counter()
ARTIFACT = Path(__file__).resolve().parent.parent / "artifacts" / "schemathesis_cases.json"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The real app on a migrated SQLite file with a few tickets, so list and search have rows."""
    url = f"sqlite:///{tmp_path_factory.mktemp('schemathesis') / 'tickets.db'}"
    migrate(url)
    app = create_app(Settings(database_url=url))
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        for text in ("小区门口路灯坏了，晚上很黑", "楼下餐馆油烟太大", "<script>alert(1)</script> 噪音扰民"):
            assert client.post("/api/tickets", json={"description": text, "contact_phone": "13800001234"}).status_code == 201
    yield app
    app.state.engine.dispose()
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps({"total": sum(CASES.values()), "per_operation": dict(sorted(CASES.items()))},
                                   ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nschemathesis: {sum(CASES.values())} cases over {len(CASES)} operation×caller pairs")


@pytest.fixture(scope="module")
def api_schema(hostile_app: object) -> object:
    return schemathesis.openapi.from_asgi("/openapi.json", hostile_app)


def _operations(api_schema: object) -> list[object]:
    operations = [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[attr-defined]
    assert len(operations) >= 15, "the schema lost operations"
    return operations


def _run(operation: object, caller: str, strategy: object, label: str = "", negative: bool = False) -> None:
    """Hypothesis over one operation; a failure names the operation and the caller."""

    @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        CASES[f"{operation.label} [{caller}{label}]"] += 1  # type: ignore[attr-defined]
        case.call_and_validate(headers=CALLERS[caller], checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        # Negative mode: an operation whose only inputs are free-form path strings has nothing to
        # violate (every string is valid); positive mode must always generate.
        if not negative:
            raise


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_every_operation_answers_as_documented(api_schema: object, caller: str, mode: GenerationMode) -> None:
    """Generated valid (positive) and schema-violating (negative) inputs: no 5xx, responses as documented."""
    failures = []
    for operation in _operations(api_schema):
        try:
            _run(operation, caller, operation.as_strategy(generation_mode=mode),  # type: ignore[attr-defined]
                 negative=mode is GenerationMode.NEGATIVE)
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure (FailureGroup is a BaseExceptionGroup)
            failures.append(f"{operation.label}: {exc}")  # type: ignore[attr-defined]
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_operations_on_a_real_ticket(api_schema: object, hostile_app: object, caller: str) -> None:
    """The ticket-number paths with an existing ticket, so transition bodies reach the state machine."""
    number = _any_number(hostile_app)
    failures = []
    for operation in _operations(api_schema):
        if "{number}" in operation.path:  # type: ignore[attr-defined]
            strategy = operation.as_strategy(path_parameters={"number": number})  # type: ignore[attr-defined]
            try:
                _run(operation, caller, strategy, ", real ticket")
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label}: {exc}")  # type: ignore[attr-defined]
    assert not failures, "\n\n".join(failures)


def _any_number(app: object) -> str:
    from fastapi.testclient import TestClient

    with TestClient(app) as client:  # type: ignore[arg-type]
        return client.get("/api/tickets", headers=CALLERS["token"]).json()["items"][0]["number"]
