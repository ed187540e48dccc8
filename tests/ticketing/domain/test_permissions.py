"""Every question of ``Permissions`` for every kind of caller, as one table; no database, no web.

Rows: nobody, the integration token (the bot), each account role, a department officer of
gas-supply. Tickets: ORM objects built in memory, never stored.
"""
import pytest

from ticketing.domain.permissions import ANONYMOUS, INTEGRATION, Permissions, Principal, account
from ticketing.domain.vocabulary import ACCOUNT_ROLES, ADMIN, DEPT_OFFICER, DISPATCHER, OPERATOR, SUPERVISOR_ACCOUNT
from ticketing.models.tickets import Ticket, TicketAssist

OWN = "gas-supply"
OTHER = "water-supply"
OFFICER = account(DEPT_OFFICER, OWN)

# The questions without arguments, in the order of the columns below (1 = yes, 0 = no).
QUESTIONS = ("is_hotline", "is_department", "is_anonymous", "may_read_tickets", "sees_full_contact",
             "sees_internal_notes", "may_run_actions", "may_file_direct_answer", "may_read_statistics",
             "may_export", "may_use_console", "may_administer")
TABLE: dict[str, tuple[Principal, str]] = {
    #                                      hot dep ano read full notes act direct stats export console admin
    "anonymous": (ANONYMOUS,               "0   0   1   0    0    0     0   0      0     0      0       0"),
    "integration": (INTEGRATION,           "1   0   0   1    1    1     1   1      1     1      0       0"),
    OPERATOR: (account(OPERATOR),          "1   0   0   1    1    1     1   1      0     0      1       0"),
    DISPATCHER: (account(DISPATCHER),      "1   0   0   1    1    1     1   1      1     1      1       0"),
    SUPERVISOR_ACCOUNT: (account(SUPERVISOR_ACCOUNT),
                                           "1   0   0   1    1    1     1   1      1     1      1       0"),
    ADMIN: (account(ADMIN),                "1   0   0   1    1    1     1   1      1     1      1       1"),
    DEPT_OFFICER: (OFFICER,                "0   1   0   1    0    0     1   0      0     0      0       0"),
}

# may_see(ticket) for a ticket gas-supply leads, one it has no part in, one it assists on;
# may_use_portal(department) for its own department and another; list_scope().
#                 own other assisted  portal(own) portal(other)  scope
TICKETS_AND_PORTAL: dict[str, tuple[str, str | None]] = {
    "anonymous":        ("0 0 0 0 0", None),
    "integration":      ("1 1 1 0 0", None),
    OPERATOR:           ("1 1 1 0 0", None),
    DISPATCHER:         ("1 1 1 0 0", None),
    SUPERVISOR_ACCOUNT: ("1 1 1 0 0", None),
    ADMIN:              ("1 1 1 0 0", None),
    DEPT_OFFICER:       ("1 0 1 1 0", OWN),
}


def _ticket(lead: str, *assisting: str) -> Ticket:
    return Ticket(department_code=lead, assists=[TicketAssist(department_code=code) for code in assisting])


def _flags(row: str) -> list[bool]:
    return [flag == "1" for flag in row.split()]


def test_the_table_covers_every_account_role() -> None:
    assert set(ACCOUNT_ROLES) <= set(TABLE) and set(TABLE) == set(TICKETS_AND_PORTAL)


@pytest.mark.parametrize("caller", list(TABLE))
def test_every_question_without_arguments(caller: str) -> None:
    principal, row = TABLE[caller]
    permissions = Permissions(principal)
    answers = {q: (value() if callable(value := getattr(permissions, q)) else value) for q in QUESTIONS}
    assert answers == dict(zip(QUESTIONS, _flags(row), strict=True))


@pytest.mark.parametrize("caller", list(TABLE))
def test_tickets_portal_and_list_scope(caller: str) -> None:
    permissions = Permissions(TABLE[caller][0])
    row, scope = TICKETS_AND_PORTAL[caller]
    answers = [permissions.may_see(_ticket(OWN)), permissions.may_see(_ticket(OTHER)),
               permissions.may_see(_ticket(OTHER, "power-supply", OWN)),
               permissions.may_use_portal(OWN), permissions.may_use_portal(OTHER)]
    assert answers == _flags(row)
    assert permissions.list_scope() == scope


def test_an_officer_loses_a_ticket_that_leaves_the_department() -> None:
    ticket = _ticket(OWN)
    assert Permissions(OFFICER).may_see(ticket)
    ticket.department_code = "hotline"  # returned (退单)
    assert not Permissions(OFFICER).may_see(ticket)


def test_only_officers_carry_a_department() -> None:
    assert account(ADMIN, OWN).department is None and OFFICER.department == OWN


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown account role"):
        account("mayor")
