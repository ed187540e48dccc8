"""Indexed Chinese search finds exactly what the plain substring match finds; totals past the bound
are marked as estimates."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterator

import pytest
from sqlalchemy import func, or_, select
from sqlalchemy.orm import sessionmaker

from tests.support import postgres_db
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.rules import default_rules
from ticketing.models.tickets import Ticket
from ticketing.services import tickets as service
from ticketing.store import search
from ticketing.store.counting import Total, bounded_total

TEXTS = ("小区门口的路灯坏了快两个星期，晚上出行很不安全。", "工地夜里施工噪音太大！Noise at NIGHT 22:30",
         "楼下餐馆油烟直排，窗户都不敢开", "公交站台顶棚破损（3号线）", "路灯、井盖、护栏都坏了", "50%的住户反映_停水",
         # what the text parser reads as tokens of its own when left in: markup, e-mail, URL, hyphens
         '<img src=x onerror="alert(1)">楼道堆物', "联系邮箱wang.li@example.com，网址http://a.cn/x?y=1",
         "well-known噪音e-bike充电")
QUERIES = ("灯", "路灯", "噪音", "噪音太大", "noise", "NIGHT", "22:30", "，晚上", "（3号", "3号线", "坏了", "50%",
           "_停", "反映_停水", "一", "小区门口的路灯坏了快两个星期", "不存在的词", "油", "窗户都", "星期，晚",
           "<img src=x", "onerror", "wang.li@example", "example.com", "http://a.cn", "well-known", "e-bike充电")


def test_terms_of_a_query() -> None:
    assert search.grams("灯") == ["灯"]
    assert search.grams("噪音") == ["噪音"]
    assert search.grams("占道经营") == ["占道", "道经", "经营"]
    assert search.grams("NIGHT") == ["ni", "ig", "gh", "ht"]
    assert search.grams("，") == [] and search.grams("，晚上") == ["晚上"]
    assert search.tsquery_text("it's") == "'it'" and search.tsquery_text("，。") is None


@pytest.fixture(scope="module")
def factory() -> Iterator[sessionmaker]:
    with postgres_db.migrated_sessions("yijian_search") as sessions:
        yield sessions


@pytest.mark.postgres
def test_indexed_search_equals_substring_match(factory: sessionmaker) -> None:
    rules = default_rules()
    at = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    for i, description in enumerate(TEXTS):
        service.create_ticket(factory, data=TicketCreate(description=description, place="武汉市洪山区珞喻路",
                                                         contact_phone=f"1380000{i:04d}"), rules=rules, now=at)
    with factory() as session:
        number = session.scalar(select(Ticket.number))
        for q in (*QUERIES, number[3:7], "3800"):
            plain = or_(*[c.like(search.like_pattern(q), escape="\\") for c in search.SEARCHED])
            expected = set(session.scalars(select(Ticket.id).where(plain)))
            got = set(session.scalars(select(Ticket.id).where(search.substring_match(q, "postgresql"))))
            assert got == expected, q
            narrowed = select(Ticket.id).where(search.substring_match(q, "postgresql", one_term=True))
            assert set(session.scalars(narrowed)) == expected, q  # one term narrows less; the LIKE decides
        assert session.scalar(select(func.count()).select_from(Ticket).where(search.substring_match("灯", "postgresql"))) == 2


@pytest.mark.postgres
def test_totals_past_the_bound_are_estimates(factory: sessionmaker) -> None:
    with factory() as session:
        total = bounded_total(session, select(Ticket), bound=3)
        assert not total.exact and int(total) >= 3 and (str(total).startswith("约 ") or str(total) == "超过 3")
        exact = bounded_total(session, select(Ticket), bound=1000)
        assert exact.exact and str(exact) == str(int(exact))
    assert str(Total(123456, exact=False)) == "约 120,000"
    assert str(Total(1000, exact=False, at_least=True)) == "超过 1,000"


@pytest.mark.postgres
def test_search_pages_span_by_span_equal_the_plain_newest_first_order(factory: sessionmaker) -> None:
    """``keyset.newest_first_fetch`` (the newest two days, then longer spans, then all) gives exactly the
    pages of the plain query, walked by cursor, whether the matches are recent, old or spread out."""
    from datetime import timedelta

    from ticketing.store.keyset import Seek
    from ticketing.store.queries import Filters, ticket_list

    rules = default_rules()
    now = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
    ages_in_days = (0, 0.5, 1.9, 2.1, 3, 10, 13.9, 15, 40, 89, 91, 200, 365, 367, 500, 900)  # around every span's edge
    for age in ages_in_days:
        for text in ("楼顶水箱漏水，整栋楼停水", "晚上施工的噪音太大了"):
            service.create_ticket(factory, data=TicketCreate(description=text), rules=rules, now=now - timedelta(days=age))
    with factory() as session:
        expected = [t for t in session.scalars(select(Ticket.number).where(Ticket.description.like("%漏水%"))
                                               .order_by(Ticket.created_at.desc(), Ticket.id.desc()))]
        assert len(expected) >= len(ages_in_days)
        for per_page in (1, 3, 7, 20):
            seen, seek, page = [], None, 1
            while True:
                result = ticket_list(session, Filters(q="漏水"), page=1, per_page=per_page, seek=seek, now=now)
                seen += [t.number for t in result.rows]
                if result.next_key is None:
                    break
                page += 1
                seek = Seek(result.next_key, page=page)
            assert seen == expected, per_page
            api = service.list_tickets(session, q="漏水", per_page=per_page, now=now)
            assert [t.number for t in api.rows] == expected[:per_page]
        assert str(ticket_list(session, Filters(q="漏水"), per_page=5, now=now).total) == str(len(expected))
        four_pairs = ticket_list(session, Filters(q="整栋楼停水"), per_page=5, now=now)  # pairs narrowed to one
        assert [t.number for t in four_pairs.rows] == expected[:5] and four_pairs.total == len(expected)


@pytest.mark.postgres
def test_a_search_total_past_the_bound_says_more_than(factory: sessionmaker, monkeypatch) -> None:
    """A recent span holding more matches than the bound is enough to say "超过 N"; no planner guess."""
    from ticketing.store import queries

    from datetime import timedelta

    monkeypatch.setattr(queries, "SEARCH_COUNT_BOUND", 3)
    now = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
    for age in (0, 0.5, 1, 1.5, 30, 300):
        service.create_ticket(factory, data=TicketCreate(description="小区下水道堵塞，污水漫到路上"), rules=default_rules(),
                              now=now - timedelta(days=age))
    with factory() as session:
        total = queries.ticket_list(session, queries.Filters(q="下水道堵塞"), per_page=5, now=now).total
        assert not total.exact and total.at_least and str(total) == "超过 3"  # the last two days alone hold four
        monkeypatch.setattr(queries, "SEARCH_COUNT_BOUND", 6)
        assert str(queries.ticket_list(session, queries.Filters(q="下水道堵塞"), per_page=5, now=now).total) == "6"
        assert str(queries.ticket_list(session, queries.Filters(q="不存在的词"), per_page=5, now=now).total) == "0"


@pytest.mark.postgres
def test_digits_find_the_tickets_whose_number_or_phone_starts_with_them(factory: sessionmaker) -> None:
    """Six or more digits (a dash allowed) are a ticket or phone number, whole or its start, read from
    B-tree indexes (the same condition on SQLite)."""
    with factory() as session:
        rows = session.execute(select(Ticket.id, Ticket.number, Ticket.contact_phone)).all()
        number, phone = rows[0].number, rows[0].contact_phone
        assert phone

        def found(q: str) -> set[int]:
            condition = search.identifier_match(q)
            assert condition is not None, q
            return set(session.scalars(select(Ticket.id).where(condition)))

        assert found(number) == {rows[0].id}
        assert found(number[:11]) == {r.id for r in rows if r.number.startswith(number[:11])}
        assert found(phone) == {r.id for r in rows if r.contact_phone == phone}
        assert found(phone[:7]) == {r.id for r in rows if (r.contact_phone or "").startswith(phone[:7])} | \
            {r.id for r in rows if r.number.startswith(phone[:7])}
        assert found(number[4:12]) == set()  # the middle of a number is not its start
        assert found(number[:8]) == found(number[:9]) == {r.id for r in rows if r.number.startswith(number[:9])}
        assert "created_at" in str(search.identifier_match(number[:9]))  # that day only: the time index serves it
        assert "contact_phone" not in str(search.identifier_match(number[:8]))
        assert found("999999") == set()
    assert search.identifier_match("噪音") is None and search.identifier_match("12345") is None
    assert search.identifier_match("22:30") is None and search.identifier_match("3号线") is None
    api_columns = (Ticket.number, Ticket.description, Ticket.place)
    assert "contact_phone" not in str(search.identifier_match("13800001234", api_columns))
