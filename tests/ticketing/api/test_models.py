"""The response models describe the JSON the routes really write, and the schema names them."""
from __future__ import annotations

from ticketing.api.models import EventPublic, TicketPublic


def test_the_ticket_model_has_exactly_the_serialized_fields(client, make_ticket) -> None:
    """A field added to ``ticket_json`` but not to ``TicketPublic`` would be dropped from every answer."""
    created = make_ticket(category=["城乡建设", "市政设施"], place="解放大道688号")
    assert set(created) == set(TicketPublic.model_fields)
    read = client.get(f"/api/tickets/{created['number']}").json()
    assert read == created
    events = client.get(f"/api/tickets/{created['number']}/history").json()["events"]
    assert events and all(set(e) == set(EventPublic.model_fields) for e in events)


def test_every_api_answer_has_a_named_schema(client) -> None:
    """Every documented answer of ``/api`` and ``/open311`` (2xx and errors) is a model (or an array of
    one), not a free-form object."""
    paths = client.get("/openapi.json").json()["paths"]
    missing = []
    for path, operations in paths.items():
        if not path.startswith(("/api/", "/open311/")):
            continue
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if "$ref" not in schema and "$ref" not in schema.get("items", {}):
                    missing.append(f"{method.upper()} {path} {status}: {schema}")
    assert missing == []


def test_stats_keep_their_field_names(client, make_ticket) -> None:
    make_ticket()
    stats = client.get("/api/stats").json()
    assert {"from", "to", "overall", "by_state", "departments", "hot_categories", "hot_districts"} == set(stats)
    assert sum(stats["by_state"].values()) == stats["overall"]["received"] == 1
