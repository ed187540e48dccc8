"""Chinese substring search that an index serves for every length of word, one character included.

pg_trgm (migration 0005) only helps words of three characters or more; the hotline's most common
searches are one or two characters (灯, 噪音). PostgreSQL therefore gets (migration 0011) an
expression GIN index over ``ticket_search_terms(number, description, place, contact_phone)``: the
set of every single character and every pair of adjacent characters of those fields, lower-cased,
as a ``tsvector`` without positions. A word of one character is looked up as itself; a longer word
as all of its character pairs (AND), which every ticket containing the word has; the ``LIKE``
conditions then keep exactly the tickets that contain the word as written, so results are the same
as the plain substring match (the index only narrows the candidates).

The terms are made by PostgreSQL's own text parser (``to_tsvector('simple', …)``) over the text
with a space after every character, and after every pair of characters (two passes, from the first
and from the second character). Every character the index does not hold (``indexed``) is a space
first: left in, the parser reads markup, e-mail addresses, URLs and hyphenated words as tokens of
their own and drops or merges the pairs inside them ("<img src=…" lost its pairs;
tests/hostile/test_corpus.py). Built this way the terms take about 45 µs per ticket in C, against
~550 µs for the same set built with ``generate_series`` in SQL, which matters at intake and when
the index is built.

Why not jieba words: a word index misses substrings that are not words in jieba's dictionary
(a place name, part of a word), and the staff's search is a substring search; pairs and single
characters find every substring, at the price of a larger index. Nothing is written at intake:
the index computes the terms itself, so every writer (API, bot, Open311, the bulk loader) is
covered. SQLite keeps its plain ``LIKE`` scan (``make run`` databases are small).
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, cast, func, or_
from sqlalchemy.dialects.postgresql import TSQUERY

from ticketing.core.timefmt import CHINA_TZ, supported_date
from ticketing.models.tickets import Ticket

FUNCTION = "ticket_search_terms"
SEARCHED = (Ticket.number, Ticket.description, Ticket.place, Ticket.contact_phone)

# The function and index are created by migration 0011; kept here so the migration, the loader and
# the plan test share one text. IMMUTABLE: the result depends on the arguments only (lower() of the
# database's fixed encoding), which an expression index requires.
CREATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION ticket_search_terms(number text, description text, place text, phone text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT strip(to_tsvector('simple'::regconfig,
    regexp_replace(t, '(.)', '\1 ', 'g') || ' ' ||
    regexp_replace(t, '(..)', '\1 ', 'g') || ' ' ||
    regexp_replace(substr(t, 2), '(..)', '\1 ', 'g')))
  FROM (SELECT regexp_replace(lower(concat_ws(' ', number, description, place, phone)),
                              '[^a-z0-9\u4e00-\u9fff\u3400-\u4dbf]+', ' ', 'g') AS t) AS kept
$$
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS ticket_search_terms(text, text, text, text)"
CREATE_INDEX = ("CREATE INDEX IF NOT EXISTS ix_tickets_search_terms ON tickets "
                "USING gin (ticket_search_terms(number, description, place, contact_phone))")
DROP_INDEX = "DROP INDEX IF EXISTS ix_tickets_search_terms"
# A search page looks in the newest two days first, then the newest two weeks, then everywhere
# (``keyset.newest_first_fetch``): a common word fills a page from a span, a word with fewer than a
# page of matches in two weeks has few at all, so the plain read of every match is short. Longer
# spans were tried and dropped: ANDing a quarter's or a year's time index (5 M and 20 M entries at
# 20 M tickets a year) costs more than reading a rare word's matches.
SPANS = (timedelta(days=2), timedelta(days=14))


def like_pattern(q: str) -> str:
    """``%q%`` with LIKE's wildcards escaped (backslash is the escape character)."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def indexed(char: str) -> bool:
    """Characters the index holds as terms: Chinese (CJK unified ideographs) and ASCII letters and
    digits. Punctuation and spaces are dropped by the text parser; other scripts are left to LIKE."""
    return (char.isascii() and char.isalnum()) or "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def grams(q: str) -> list[str]:
    """Index terms every text containing ``q`` has: each of its characters if it has one, else each pair
    of adjacent characters; only characters the index holds (``indexed``), so nothing is missed."""
    text = q.lower()
    if len(text) == 1:
        return [text] if indexed(text) else []
    pairs = [text[i:i + 2] for i in range(len(text) - 1)]
    return list(dict.fromkeys(p for p in pairs if indexed(p[0]) and indexed(p[1])))


def tsquery_text(q: str) -> str | None:
    """``'噪' & ...`` in tsquery syntax, lexemes quoted; None when ``q`` has nothing to look up."""
    return _tsquery(grams(q))


def _tsquery(terms: list[str]) -> str | None:
    if not terms:
        return None
    return " & ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)


# A ticket number (20261101-000123) or a phone number, whole or its start: digits, maybe a dash.
_IDENTIFIER = re.compile(r"[0-9][0-9-]{5,19}")


def identifier_match(q: str, columns: tuple = SEARCHED) -> ColumnElement[bool] | None:
    """For a query of six or more digits (a dash allowed): the tickets whose number or phone starts
    with it, from their B-tree indexes; a date part (``20261101`` or ``20261101-…``) is a number only,
    read within that day; None for any other query.

    Digit pairs are in every ticket (its number carries the date), so the terms index cannot narrow
    such a query: at 20 M tickets a whole number took 1.9 s and a number's first half 20 s. Staff
    type a number or a phone from its start; text that merely contains digits is found by any
    other word of it."""
    if not _IDENTIFIER.fullmatch(q):
        return None
    day = _number_day(q)
    if day is not None:  # a number's date part: that China day's tickets, whose numbers carry it
        start = datetime.combine(day, time.min, CHINA_TZ)
        return and_(_starts_with(Ticket.number, q), Ticket.created_at >= start,
                    Ticket.created_at < start + timedelta(days=1))
    starts = [_starts_with(c, q) for c in columns if c is Ticket.number or c is Ticket.contact_phone]
    return or_(*starts) if starts else None


def _number_day(q: str) -> date | None:
    """The China day of ``YYYYMMDD`` or ``YYYYMMDD-…`` (a ticket number is numbered within the day it
    was created, ``store/numbering.py``), so the time index can serve the page; None otherwise."""
    if not (len(q) == 8 or (len(q) > 8 and q[8] == "-")) or "-" in q[:8]:
        return None
    try:
        day = date(int(q[:4]), int(q[4:6]), int(q[6:8]))
    except ValueError:
        return None
    return day if supported_date(day) else None


def _starts_with(column: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix`` as a range the column's B-tree serves under any collation:
    digits and the dash sort by code point in every locale this runs with, so the next string
    after all those starting with ``prefix`` is ``prefix`` with its last character raised by one."""
    return and_(column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


def substring_match(q: str, dialect: str, columns: tuple = SEARCHED, *, one_term: bool = False) -> ColumnElement[bool]:
    """Tickets whose ``columns`` (a subset of ``SEARCHED``) contain ``q``; on PostgreSQL narrowed by the
    terms index first (its terms cover all of ``SEARCHED``, so they cover any subset).

    ``one_term``: narrow by the first of the word's terms only (the LIKE still decides). PostgreSQL
    estimates an AND of pairs as if they were independent (占道 & 道经 & 经营: a few rows where there
    are 131,000 at 20 M tickets) and then will not combine the search index with the time index; one
    term it estimates from its statistics, and the span reads stay a ``BitmapAnd`` (``SPANS``)."""
    pattern = like_pattern(q)
    exact = or_(*[c.like(pattern, escape="\\") for c in columns])
    terms_wanted = grams(q)[:1] if one_term else grams(q)
    query = _tsquery(terms_wanted) if dialect == "postgresql" else None
    if query is None:
        return exact
    terms = getattr(func, FUNCTION)(*SEARCHED)
    return and_(terms.op("@@")(cast(query, TSQUERY)), exact)
