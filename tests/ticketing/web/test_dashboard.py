"""The supervisor dashboard: who may see it, what it shows, and the CSV export of the same view."""
from datetime import datetime, timedelta, timezone

from ticketing.domain.rules import default_rules
from ticketing.demo.seed import Seeder
from ticketing.demo.texts import OWN_EXAMPLES
from ticketing.core.timefmt import utcnow
from ticketing.analytics.dashboard import View, make_view, week_starts


def _seed(app, count: int = 120) -> None:  # type: ignore[no-untyped-def]
    Seeder(app.state.sessions, app.state.rules, list(OWN_EXAMPLES), seed=11, now=utcnow()).run_seed(count)


def test_dashboard_needs_a_supervising_role(client, sign_in) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/supervise/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    sign_in("operator")
    assert client.get("/supervise/").status_code == 403
    assert client.get("/supervise/export.csv").status_code == 403


def test_dashboard_shows_rates_weeks_and_hotspots(client, app, sign_in) -> None:  # type: ignore[no-untyped-def]
    _seed(app)
    sign_in("supervisor")
    page = client.get("/supervise/")
    assert page.status_code == 200
    for text in ("督办看板", "签收及时率", "按期办结率", "满意率", "三率 · 按周", "热门分类", "/static/vendor/echarts.min.js"):
        assert text in page.text
    assert 'id="dashboard-data"' in page.text and "/staff/tickets/" in page.text


def test_csv_export_is_the_current_view_with_bom(client, app, sign_in) -> None:  # type: ignore[no-untyped-def]
    _seed(app, 60)
    sign_in("dispatcher")
    body = client.get("/supervise/export.csv", params={"department": "education"})
    assert body.status_code == 200 and body.headers["content-type"].startswith("text/csv")
    assert body.content.startswith(b"\xef\xbb\xbf")
    text = body.content.decode("utf-8-sig")
    assert "武汉市教育局" in text.splitlines()[0] and "按承办单位" in text and "按周" in text
    same = client.get("/supervise/", params={"department": "education", "format": "csv"})
    assert same.content.splitlines()[2:] == body.content.splitlines()[2:]


def test_invalid_filters_fall_back_with_a_message(client, sign_in) -> None:  # type: ignore[no-untyped-def]
    sign_in("admin")
    page = client.get("/supervise/", params={"from": "2026-05-01", "to": "2026-01-01", "department": "nope"})
    assert page.status_code == 200 and "未知的承办单位" in page.text


def test_week_buckets_start_on_mondays() -> None:
    now = datetime(2026, 11, 25, 8, tzinfo=timezone.utc)
    view, message = make_view(None, None, None, default_rules(), now)
    assert message is None and (view.last - view.first).days == 55
    starts = week_starts(View(view.first, view.last))
    assert starts[0] == view.start and all(s.weekday() == 0 for s in starts[1:])
    assert all(b - a == timedelta(days=7) for a, b in zip(starts[1:], starts[2:]))
