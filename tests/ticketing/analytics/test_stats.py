"""三率 and hotspots: pure figures, then the endpoint over real tickets."""
from datetime import datetime, timedelta, timezone

from ticketing.analytics.stats import Row, rates, summarize

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)


def row(state="已派单", dept="a", signed=None, resolved=None, rating=None, category=("城乡建设",), district=None):  # type: ignore[no-untyped-def]
    return Row(state, dept, category, district, NOW - 10 * H, NOW + 10 * H, signed, resolved, rating)


def test_rates() -> None:
    rows = [
        row("已归档", signed=NOW - 11 * H, resolved=NOW, rating="满意"),          # signed on time, resolved on time
        row("已回访", signed=NOW - 5 * H, resolved=NOW + 11 * H, rating="不满意"),  # signed late, resolved late
        row("已派单"),                                                               # sign overdue (due 10 h ago)
        row("已合并"),                                                               # not counted
    ]
    figures = rates(rows, NOW)
    assert figures["received"] == 4 and figures["merged"] == 1 and figures["open"] == 1
    assert figures["sign_on_time_rate"] == round(1 / 3, 4)
    assert figures["resolution_rate"] == round(2 / 3, 4)
    assert figures["on_time_rate"] == 0.5 and figures["satisfaction_rate"] == 0.5
    assert rates([], NOW)["on_time_rate"] is None


def test_hotspots_and_departments() -> None:
    rows = [row(district="江汉区"), row(district="江汉区", dept="b"), row(category=(), district=None)]
    out = summarize(rows, NOW, {"a": "甲局", "b": "乙局"}, top=2)
    assert out["hot_districts"][0] == {"name": "江汉区", "count": 2}
    assert out["departments"][0]["code"] == "a" and out["departments"][0]["name"] == "甲局"
    assert {"name": "未分类", "count": 1} in out["hot_categories"]


def test_stats_endpoint(client, make_ticket) -> None:
    ticket = make_ticket(place="江汉区解放大道")
    code = ticket["department"]["code"]
    for action, extra in (("sign", {}), ("resolve", {"reply": "修好了"})):
        client.post(f"/api/tickets/{ticket['number']}/transitions",
                    json={"action": action, "role": "department", "department": code, **extra})
    client.post(f"/api/tickets/{ticket['number']}/transitions", json={"action": "follow_up", "rating": "满意"})
    make_ticket(description="说不清")
    body = client.get("/api/stats").json()
    assert body["overall"]["received"] == 2 and body["overall"]["satisfaction_rate"] == 1.0
    assert body["overall"]["resolution_rate"] == 0.5 and body["overall"]["on_time_rate"] == 1.0
    assert body["hot_districts"][0]["name"] in ("江汉区", "未识别")
    assert client.get("/api/stats", params={"from": "2026-01-01", "to": "2025-01-01"}).status_code == 422
    empty = client.get("/api/stats", params={"from": "2020-01-01", "to": "2020-01-31"}).json()
    assert empty["overall"]["received"] == 0 and empty["overall"]["resolution_rate"] is None


def test_sql_figures_equal_the_pure_rules(client, app) -> None:  # type: ignore[no-untyped-def]
    """The GROUP BY version counts exactly what the readable Python rules count, on seeded tickets."""
    from sqlalchemy import select

    from ticketing.models.tickets import Ticket
    from ticketing.demo.seed import Seeder
    from ticketing.demo.texts import OWN_EXAMPLES
    from ticketing.analytics.stats import summarize_sql

    Seeder(app.state.sessions, app.state.rules, list(OWN_EXAMPLES), seed=5, now=NOW).run_seed(150)
    start, end, later = NOW - 60 * 24 * H, NOW + H, NOW + 3 * 24 * H
    with app.state.sessions() as session:
        tickets = session.scalars(select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end)).all()
        rows = [Row(t.state, t.department_code, tuple(t.category), t.district, t.sign_due_at, t.resolve_due_at,
                    t.signed_at, t.resolved_at, t.rating) for t in tickets]
        names = {"education": "教育局"}
        sql = summarize_sql(session, start, end, later, names, top=5)
    pure = summarize(rows, later, names, top=5)
    assert sql["overall"] == pure["overall"] and sql["overall"]["received"] == 150
    assert sql["departments"] == pure["departments"] and sql["by_state"] == pure["by_state"]
    assert sql["hot_categories"] == pure["hot_categories"] and sql["hot_districts"] == pure["hot_districts"]
