"""直接答复 on create: a first-contact answer is recorded answered in one step, and only by the hotline."""
from __future__ import annotations

from fastapi.testclient import TestClient

ANSWER = "居住证可以在居住地派出所或政务服务中心办理，带上身份证和居住证明。"
QUESTION = "请问居住证在哪里办理，需要带什么材料"


def test_direct_answer_is_recorded_answered_and_never_dispatched(client: TestClient) -> None:
    response = client.post("/api/tickets", json={"description": QUESTION, "kind": "咨询", "channel": "chat",
                                                 "anonymous": True, "direct_answer": ANSWER})
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["state"] == "已办结"
    assert ticket["department"]["code"] == "hotline" or "热线" in ticket["department"]["name"]
    events = client.get(f"/api/tickets/{ticket['number']}/history").json()["events"]
    assert [e["action"] for e in events] == ["create", "reply_directly"]
    assert events[-1]["note"] == ANSWER and events[-1]["to_state"] == "已办结"


def test_direct_answer_can_be_rated_like_any_answer(client: TestClient) -> None:
    number = client.post("/api/tickets", json={"description": QUESTION, "kind": "咨询",
                                               "direct_answer": ANSWER}).json()["number"]
    rated = client.post(f"/api/tickets/{number}/transitions",
                        json={"action": "follow_up", "role": "system", "actor": "机器人", "rating": "满意"})
    assert rated.status_code == 200, rated.text
    assert rated.json()["ticket"]["rating"] == "满意"


def test_anonymous_callers_cannot_close_their_own_ticket(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    response = anonymous.post("/api/tickets", json={"description": QUESTION, "direct_answer": "已解决"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "direct_answer_forbidden"
    assert client.get("/api/tickets").json()["total"] == 0


def test_replay_with_the_same_key_returns_the_same_answered_ticket(client: TestClient) -> None:
    body = {"description": QUESTION, "kind": "咨询", "direct_answer": ANSWER}
    first = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "kb-replay-1"})
    again = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "kb-replay-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert len(client.get(f"/api/tickets/{first.json()['number']}/history").json()["events"]) == 2


def test_blank_answer_is_refused_in_chinese(client: TestClient) -> None:
    response = client.post("/api/tickets", json={"description": QUESTION, "direct_answer": "   "})
    assert response.status_code == 422
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["error"]["message"])
