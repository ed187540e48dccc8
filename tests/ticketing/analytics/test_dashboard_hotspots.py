"""The dashboard's hotspots read candidate places through the place-key index (SQLite and PostgreSQL)."""
from datetime import timedelta

from sqlalchemy import select

from ticketing.analytics import dashboard
from ticketing.core.timefmt import china_date, utcnow
from ticketing.models.tickets import Ticket

LAMP = "路灯坏了好几天了，晚上走路看不见，老人孩子出门很危险，请尽快修好"
NOISE = "晚上广场舞音响声音太大，吵得居民睡不着觉，希望管一管"


def _hotspots(app):  # type: ignore[no-untyped-def]
    dashboard._cache.clear()
    now = utcnow()
    view = dashboard.View(china_date(now) - timedelta(days=6), china_date(now))
    with app.state.sessions() as session:
        return dashboard.hotspot_list(session, view, now + timedelta(minutes=1), app.state.rules)


def test_one_place_written_many_ways_is_one_hotspot(client, app, make_ticket) -> None:  # type: ignore[no-untyped-def]
    for place in ("武汉市江汉区新华路23号", "江汉区新华路88号附近", "江汉区新华路"):
        make_ticket(description=LAMP, place=place, category=["城乡建设"])
    make_ticket(description=NOISE, place="江汉区新华路", category=["环境保护"])  # same place, other category
    make_ticket(description=LAMP, place="洪山区珞喻路", category=["城乡建设"])  # same words, other place
    with app.state.sessions() as session:
        keys = set(session.scalars(select(Ticket.place_key)))
    assert keys == {"江汉区新华路", "洪山区珞喻路"}
    spots = _hotspots(app)
    assert [(s["place"], s["category"], s["size"], s["more"]) for s in spots] == [("江汉区新华路", "城乡建设", 3, False)]


def test_a_place_with_more_complaints_than_are_read_says_so(client, app, make_ticket, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dashboard, "HOTSPOT_MEMBERS", 3)
    numbers = [make_ticket(description=LAMP, place="江岸区解放大道", category=["城乡建设"])["number"] for _ in range(5)]
    spots = _hotspots(app)
    assert len(spots) == 1 and spots[0]["size"] == 3 and spots[0]["more"] is True
    assert spots[0]["tickets"] == numbers[:-4:-1]  # the newest three


def test_only_the_newest_window_chooses_candidates(client, app, make_ticket, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The candidates come from the view's newest tickets, so an old place never costs a read of the period."""
    for _ in range(3):
        make_ticket(description=LAMP, place="江岸区解放大道", category=["城乡建设"])
    for _ in range(2):
        make_ticket(description=NOISE, place="武昌区中山路", category=["环境保护"])
    monkeypatch.setattr(dashboard, "HOTSPOT_WINDOW", 2)
    assert [s["place"] for s in _hotspots(app)] == ["武昌区中山路"]
    monkeypatch.setattr(dashboard, "HOTSPOT_WINDOW", 20)
    assert [s["place"] for s in _hotspots(app)] == ["江岸区解放大道", "武昌区中山路"]
