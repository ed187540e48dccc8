"""The dashboard's 评价率 (rated ÷ resolved) beside the 满意率, which counts real ratings only."""
from __future__ import annotations

from ticketing.analytics.stats import Counts, figures
from tests.ticketing.rating.helpers import act, age_answer, answered, csrf_of


def test_rated_share_is_rated_over_resolved() -> None:
    out = figures(Counts(received=5, resolved=4, rated=1, satisfied=1))
    assert out["rated_share"] == 0.25 and out["satisfaction_rate"] == 1.0
    assert figures(Counts())["rated_share"] is None


def test_stats_and_dashboard_show_the_rated_share(client, app, sign_in) -> None:
    rated, unreachable, open_one = answered(client), answered(client), answered(client)
    act(client, rated, "follow_up", "resident", rating="基本满意")
    code = client.get(f"/api/tickets/{open_one}").json()["department"]["code"]
    act(client, open_one, "follow_up", "resident", rating="不满意")
    act(client, open_one, "reopen", "system", reason="市民不满意")  # back with the department: not resolved
    age_answer(app, unreachable, 60)
    overall = client.get("/api/stats").json()["overall"]
    before = (overall["rated"], overall["rated_share"], overall["satisfaction_rate"])
    assert before == (1, 0.5, 1.0), before
    sign_in("operator")  # a failed 回访 call is no rating
    token = csrf_of(client.get(f"/staff/followup/{unreachable}").text)
    client.post(f"/staff/followup/{unreachable}", data={"csrf": token, "outcome": "unreachable"})
    overall = client.get("/api/stats").json()["overall"]
    assert (overall["rated"], overall["rated_share"], overall["satisfaction_rate"]) == before
    del client.headers["Authorization"]
    sign_in("supervisor")
    page = client.get("/supervise/")
    assert page.status_code == 200
    assert "评价率" in page.text and "50.0%" in page.text.split("评价率", 1)[1][:80], code


def test_figure_tables_and_csv_have_the_rated_share(client, app, sign_in) -> None:
    rated, _unrated = answered(client), answered(client)
    act(client, rated, "follow_up", "resident", rating="满意")
    del client.headers["Authorization"]
    sign_in("supervisor")
    assert "<th>评价率</th>" in client.get("/supervise/").text
    lines = client.get("/supervise/export.csv").content.decode("utf-8-sig").splitlines()
    header = next(line for line in lines if "评价率" in line)
    column = header.split(",").index("评价率")
    assert any(line.split(",")[column] == "50.0%" for line in lines if line.count(",") == header.count(","))
