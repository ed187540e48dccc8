"""The staff and department tables mark due dates computed on presumed holidays."""
from datetime import datetime, timedelta, timezone

from ticketing.models.tickets import Ticket
from ticketing.domain.rules import default_rules
from ticketing.web.views import ticket_row

RULES = default_rules()


def _ticket(due: datetime) -> Ticket:
    now = due - timedelta(days=9)
    return Ticket(number="20261225-000001", state="已派单", kind="投诉", description="路灯坏了", channel="web",
                  priority="普通", deadline_policy="ordinary", department_code="urban-management",
                  sign_due_at=now + timedelta(hours=4), resolve_due_at=due, created_at=now, updated_at=now,
                  reopen_count=0, anonymous=False)


def test_due_in_a_presumed_year_is_marked_and_a_published_one_is_not() -> None:
    calendar = RULES.deadlines.calendar
    published = next(y for y in range(2024, 2040) if not calendar.is_estimated(y))
    presumed = next(y for y in range(published, 2040) if calendar.is_estimated(y))
    for year, marked in ((published, False), (presumed, True)):
        row = ticket_row(_ticket(datetime(year, 3, 10, 2, tzinfo=timezone.utc)), RULES.directory,
                         estimated_year=calendar.is_estimated)
        assert row.due_estimated is marked, year


def test_rows_without_a_calendar_are_never_marked() -> None:
    row = ticket_row(_ticket(datetime(2039, 3, 10, 2, tzinfo=timezone.utc)), RULES.directory)
    assert row.due_estimated is False
