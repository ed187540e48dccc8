"""The 回访 list at a city's scale (issue #16): keyset paging by cursor, bounded counts, its own index.

Runs on SQLite and PostgreSQL (the ``client`` fixture's two databases). Twelve answered tickets with
five per page is three pages, the last one short; three of them share one answer time, so the key's
``id`` decides their order. An edited cursor shows the first page with a note (422), as the staff list.
"""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, inspect, update

from ticketing.core.timefmt import utcnow
from ticketing.domain.followup import FollowUpPolicy
from ticketing.http import cursors
from ticketing.models.tickets import Ticket
from ticketing.store import followup as store
from ticketing.store.keyset import Seek
from tests.ticketing.rating.helpers import act, age_answer, answered

ANSWERED = 12
PER_PAGE = 5


@pytest.fixture()
def policy(app):  # type: ignore[no-untyped-def]
    app.state.followup = FollowUpPolicy(link_hours=168, queue_after_hours=48, max_unreachable=3)
    yield app.state.followup
    del app.state.followup


@pytest.fixture()
def waiting(client, app, policy) -> list[str]:  # type: ignore[no-untyped-def]
    """Twelve answered, unrated tickets past the wait, in the list's order (the oldest answer first);
    numbers 3, 4 and 5 in that order were answered at the same moment."""
    made = [answered(client) for _ in range(ANSWERED)]
    for i, number in enumerate(made):
        age_answer(app, number, 400 - 10 * i)
    same = utcnow() - timedelta(hours=365)
    with app.state.sessions() as session, session.begin():  # one answer time: ordered by id
        session.execute(update(Ticket).where(Ticket.number.in_(made[3:6])).values(resolved_at=same))
    fresh = answered(client)  # answered just now: not due yet, never listed
    rated = answered(client)
    age_answer(app, rated, 500)
    act(client, rated, "follow_up", "resident", rating="满意")
    assert fresh not in made and rated not in made
    return made


def numbers(page_html: str) -> list[str]:
    return re.findall(r'<tr data-ticket="([^"]+)"', page_html)


def link(page_html: str, text: str) -> str | None:
    found = re.search(r'<a (?:rel="\w+" |class="\w+" )?href="([^"]+)">' + text + "</a>", page_html)
    return html.unescape(found.group(1)) if found else None


def walk(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        pages.append(response.text)
        url = link(response.text, "下一页")
        assert len(pages) < 20, "paging does not end"
    return pages


def test_cursor_walks_every_entry_once_in_order_and_back(client, sign_in, waiting) -> None:
    sign_in("operator")
    pages = walk(client, f"/staff/followup?per_page={PER_PAGE}")
    assert [n for p in pages for n in numbers(p)] == waiting
    assert [len(numbers(p)) for p in pages] == [5, 5, 2]
    assert "第 1 / 3 页" in pages[0] and "第 3 / 3 页" in pages[-1] and "共 12 件" in pages[0]
    assert link(pages[0], "上一页") is None and "回到第一页" not in pages[0]
    assert "after=" in link(pages[0], "下一页") and "per_page=5" in link(pages[0], "下一页")
    back = client.get(link(pages[2], "上一页")).text
    assert numbers(back) == numbers(pages[1]) and "第 2 / 3 页" in back
    first = client.get(link(back, "上一页")).text
    assert numbers(first) == numbers(pages[0]) and "第 1 / 3 页" in first
    assert numbers(client.get(link(pages[2], "回到第一页")).text) == numbers(pages[0])


def test_old_page_links_still_work(client, sign_in, waiting) -> None:
    sign_in("operator")
    second = client.get(f"/staff/followup?page=2&per_page={PER_PAGE}")
    assert second.status_code == 200 and numbers(second.text) == waiting[5:10]
    assert numbers(client.get(link(second.text, "下一页")).text) == waiting[10:]
    assert numbers(client.get(link(second.text, "上一页")).text) == waiting[:5]
    assert numbers(client.get("/staff/followup").text) == waiting  # the default page holds them all
    beyond = client.get(f"/staff/followup?page=9&per_page={PER_PAGE}")
    assert beyond.status_code == 200 and numbers(beyond.text) == [] and "回到第一页" in beyond.text


def test_an_edited_or_foreign_cursor_shows_the_first_page_with_a_note(client, sign_in, waiting) -> None:
    sign_in("operator")
    first = client.get(f"/staff/followup?per_page={PER_PAGE}").text
    after = re.search(r"after=([^&\"]+)", link(first, "下一页")).group(1)
    for bad in ("X" + after[1:], "abc", after + "x"):
        response = client.get("/staff/followup", params={"per_page": PER_PAGE, "after": bad})
        assert response.status_code == 422 and cursors.INVALID in response.text
        assert numbers(response.text) == numbers(first)
    swapped = client.get("/staff/followup", params={"per_page": PER_PAGE, "before": after})
    assert swapped.status_code == 422 and numbers(swapped.text) == numbers(first)
    staff_list = client.get("/staff/tickets?per_page=2").text  # a cursor of another list does not fit
    foreign = re.search(r"after=([^&\"]+)", link(staff_list, "下一页")).group(1)
    assert client.get("/staff/followup", params={"after": foreign}).status_code == 422
    assert client.get("/staff/tickets", params={"after": after}).status_code == 422


def test_store_pages_by_key_while_entries_leave(client, app, policy, waiting) -> None:
    """A rating between two page views takes a ticket off the list without shifting the next page."""
    now = utcnow()
    with app.state.sessions() as session:
        first = store.followup_queue(session, policy, now, limit=PER_PAGE)
        assert [e.ticket.number for e in first.rows] == waiting[:5] and int(first.total) == ANSWERED
        assert first.total.exact and first.prev_key is None
    act(client, waiting[1], "follow_up", "resident", rating="满意")  # seen on page 1, now gone
    seen = [e.ticket.number for e in first.rows]
    key, page = first.next_key, 2
    while key is not None:
        with app.state.sessions() as session:
            shown = store.followup_queue(session, policy, now, limit=PER_PAGE, seek=Seek(key, page=page))
        seen += [e.ticket.number for e in shown.rows]
        key, page = shown.next_key, page + 1
    assert seen == waiting and int(shown.total) == ANSWERED - 1
    with app.state.sessions() as session:  # an offset between pages (the API's offset=): no gap, no key back
        odd = store.followup_queue(session, policy, now, limit=PER_PAGE, offset=3)
        rows, total = odd
    assert [e.ticket.number for e in rows] == [n for n in waiting if n != waiting[1]][3:8]
    assert odd.prev_key is None and odd.next_key is not None and int(total) == ANSWERED - 1
    body = client.get("/api/followup", params={"limit": 4, "offset": 3}).json()
    assert [i["number"] for i in body["items"]] == [n for n in waiting if n != waiting[1]][3:7]
    assert body["total"] == ANSWERED - 1


def test_given_up_count_and_calls_are_about_the_current_answer(client, app, policy, sign_in, waiting) -> None:
    from tests.ticketing.rating.test_followup import call

    sign_in("operator")
    for _ in range(3):
        assert call(client, waiting[0], outcome="unreachable").status_code == 303
    assert call(client, waiting[2], outcome="unreachable").status_code == 303
    with app.state.sessions() as session:
        entries, total = store.followup_queue(session, policy, utcnow(), limit=50)
        given_up = store.given_up_count(session, policy)
    assert [e.ticket.number for e in entries] == waiting[1:] and int(total) == ANSWERED - 1
    assert [e.unreachable for e in entries][:2] == [0, 1] and entries[1].last_call_at is not None
    assert int(given_up) == 1 and given_up.exact
    page = client.get("/staff/followup").text
    assert "已移出 1 件" in page and "共 11 件" in page


def test_migration_0013_creates_the_partial_index(tmp_path) -> None:
    from alembic import command

    from ticketing.store.schema import alembic_config, migrate

    url = f"sqlite:///{tmp_path / 'f.db'}"
    migrate(url)
    assert "ix_tickets_followup" in {i["name"] for i in inspect(create_engine(url)).get_indexes("tickets")}
    command.downgrade(alembic_config(url), "0012")
    assert "ix_tickets_followup" not in {i["name"] for i in inspect(create_engine(url)).get_indexes("tickets")}
    command.upgrade(alembic_config(url), "head")
    assert "ix_tickets_followup" in {i["name"] for i in inspect(create_engine(url)).get_indexes("tickets")}


def test_postgres_reads_the_list_from_the_partial_index(client, app, policy, waiting) -> None:
    """The list's candidates come from ``ix_tickets_followup`` (its predicate matches the query's, with
    the state bound as a parameter). A dozen rows would be read by a sequential scan, so that is
    switched off here; the plan test (tests/ticketing/store/test_query_plans.py) checks 200,000."""
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL plan")
    query = store._queue_query(policy, utcnow()).order_by(*store.FOLLOWUP.by()).limit(PER_PAGE + 1)
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    with engine.connect() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))
    assert "ix_tickets_followup" in plan, plan


def test_past_the_bound_the_total_is_an_estimate_on_postgres(client, app, policy, sign_in, waiting,
                                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Counted up to ``COUNT_BOUND``, then "约 N" / "超过 N" from the planner (SQLite: always exact)."""
    monkeypatch.setattr(store, "COUNT_BOUND", 5)
    sign_in("operator")
    with app.state.sessions() as session:
        total = store.followup_queue(session, policy, utcnow(), limit=PER_PAGE).total
    page = client.get(f"/staff/followup?per_page={PER_PAGE}").text
    if app.state.engine.dialect.name == "postgresql":
        assert not total.exact and ("约" in str(total) or str(total) == "超过 5")
        assert f"共 {total} 件" in page
    else:
        assert total.exact and int(total) == ANSWERED and "共 12 件" in page
    assert numbers(page) == waiting[:5]
