"""An unsure category from the caller's classifier waits for staff instead of being dispatched.

Real database (SQLite and, when it answers, PostgreSQL) through the JSON API; the threshold is the
packaged routing table's `min_category_confidence`.
"""
import pytest

from ticketing.core.configfiles import ConfigError
from ticketing.domain.routing import Router, default_router

GAS = ["城乡建设", "城市建设和市政管理", "燃气供应"]
BODY = {"description": "江汉路步行街的燃气管道有异味", "category": GAS, "place": "江汉区江汉路步行街"}
THRESHOLD = default_router().min_category_confidence


def test_the_packaged_threshold_holds_some_tickets_and_dispatches_most() -> None:
    assert 0 < THRESHOLD < 1


def test_an_unsure_category_waits_in_the_hotline_queue_as_a_suggestion(client) -> None:
    confidence = round(THRESHOLD / 2, 4)
    ticket = client.post("/api/tickets", json={**BODY, "category_confidence": confidence}).json()
    assert ticket["state"] == "已受理" and ticket["department"]["code"] == "hotline"
    assert ticket["category"] == GAS  # kept for staff to confirm or change
    events = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert [e["action"] for e in events] == ["create"]
    assert "请人工派单" in events[0]["note"] and f"{confidence:.2f}" in events[0]["note"]


@pytest.mark.parametrize("confidence", [THRESHOLD, 0.99, None])
def test_a_sure_category_or_none_given_is_dispatched(client, confidence) -> None:
    body = BODY if confidence is None else {**BODY, "category_confidence": confidence}
    ticket = client.post("/api/tickets", json=body).json()
    assert ticket["state"] == "已派单" and ticket["department"]["code"] == "gas-supply"
    events = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert "人工派单" not in (events[0]["note"] or "")


def test_the_confidence_of_no_category_changes_nothing(client) -> None:
    """Without a caller's category the service's keywords classify: the caller's confidence is not theirs."""
    ticket = client.post("/api/tickets", json={"description": "楼下的路灯坏了一个星期了", "category_confidence": 0.01}).json()
    assert ticket["category"] == ["城乡建设", "城市建设和市政管理", "市政设施"] and ticket["state"] == "已派单"


@pytest.mark.parametrize("confidence", [-0.1, 1.5, "高", True, "NaN", [0.5]])
def test_a_confidence_outside_zero_to_one_is_rejected(client, confidence) -> None:
    response = client.post("/api/tickets", json={**BODY, "category_confidence": confidence})
    assert response.status_code == 422, response.text


def test_a_replayed_unsure_creation_gives_the_same_waiting_ticket(client) -> None:
    body, headers = {**BODY, "category_confidence": 0.05}, {"Idempotency-Key": "unsure-category-1"}
    first = client.post("/api/tickets", json=body, headers=headers)
    again = client.post("/api/tickets", json=body, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["number"] == first.json()["number"] and again.json()["state"] == "已受理"
    other = client.post("/api/tickets", json={**body, "category_confidence": 0.9}, headers=headers)
    assert other.status_code == 409


@pytest.mark.parametrize("threshold", [1.5, -1, "high", True])
def test_a_bad_threshold_in_the_routing_table_is_a_config_error(threshold) -> None:
    with pytest.raises(ConfigError, match="min_category_confidence"):
        Router.from_data({"default": "hotline", "rules": [], "min_category_confidence": threshold})


def test_a_routing_table_without_a_threshold_dispatches_every_category() -> None:
    router = Router.from_data({"default": "hotline", "rules": []})
    assert router.min_category_confidence == 0 and not router.too_unsure(0.0)
