"""Who may see and do what: one answer for the JSON API, the pages, the exports and the tests.

Modelled on django-helpdesk's small user-permission object: every "may this caller …" question of
the service is a method here, so a route asks ``permissions.may_see(ticket)`` instead of comparing
roles itself. Pure: a caller is a ``Principal`` (nobody, the integration token, or a signed-in
account with its role and department); the HTTP edge builds it from the request.

The rules (DESIGN.md, 个人信息保护法):
- Anonymous callers read no ticket through the API. A resident checks one ticket on the lookup page
  (number + last four digits of the phone); Open311 publishes its own public view.
- The hotline (its staff accounts, and integrations holding the API token such as the bot) sees
  every ticket with contact data in full and the internal notes.
- A department officer sees only the tickets their department leads (主办) or assists (协办), with
  contact data masked and no internal notes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ticketing.domain.vocabulary import (ADMIN, DEPT_OFFICER, DISPATCHER, HOTLINE_ACCOUNT_ROLES, SUPERVISOR_ACCOUNT,
                                         WORKFLOW_ROLE_OF_ACCOUNT)
from ticketing.models.tickets import Ticket

DASHBOARD_ROLES = (SUPERVISOR_ACCOUNT, DISPATCHER, ADMIN)  # 督办看板 and its CSV export
ADMIN_ROLES = (ADMIN,)


@dataclass(frozen=True)
class Principal:
    """Who is asking: ``kind`` says how they proved it; accounts carry their role and department."""

    kind: Literal["anonymous", "integration", "account"]
    role: str | None = None
    department: str | None = None


ANONYMOUS = Principal("anonymous")
INTEGRATION = Principal("integration")


def account(role: str, department: str | None = None) -> Principal:
    """A signed-in account; an officer's department is where their tickets come from."""
    if role not in WORKFLOW_ROLE_OF_ACCOUNT:
        raise ValueError(f"unknown account role: {role!r}")
    return Principal("account", role, department if role == DEPT_OFFICER else None)


@dataclass(frozen=True)
class Permissions:
    """Every "may …" question for one caller."""

    principal: Principal

    @property
    def is_hotline(self) -> bool:
        """The hotline's own side: its staff accounts and token-holding integrations (the bot)."""
        p = self.principal
        return p.kind == "integration" or (p.kind == "account" and p.role in HOTLINE_ACCOUNT_ROLES)

    @property
    def is_department(self) -> bool:
        return self.principal.kind == "account" and self.principal.role == DEPT_OFFICER

    @property
    def is_anonymous(self) -> bool:
        return self.principal.kind == "anonymous"

    def may_read_tickets(self) -> bool:
        """Any ticket data through the API (lists, one ticket, its history, its possible actions)."""
        return self.is_hotline or self.is_department

    def list_scope(self) -> str | None:
        """The one department whose tickets a list may show; None: every ticket (the hotline)."""
        return self.principal.department if self.is_department else None

    def may_see(self, ticket: Ticket) -> bool:
        """This ticket: the hotline sees all, a department the ones it leads or assists."""
        if self.is_hotline:
            return True
        return self.is_department and self.principal.department in (ticket.department_code, *ticket.assist_codes)

    def sees_full_contact(self) -> bool:
        """Names and phone numbers in clear (every staff view of them is audited by the pages)."""
        return self.is_hotline

    def sees_internal_notes(self) -> bool:
        return self.is_hotline

    def may_run_actions(self) -> bool:
        """Workflow actions through the API; the state machine then checks role and department per action."""
        return self.principal.kind in ("integration", "account")

    def may_file_direct_answer(self) -> bool:
        """直接答复: record a ticket as answered on first contact (the knowledge base, an operator)."""
        return self.is_hotline

    def may_read_followup(self) -> bool:
        """The 回访 list (answered, unrated tickets waiting for a call): the hotline's own work."""
        return self.is_hotline

    def may_read_statistics(self) -> bool:
        """三率 and hotspots (the dashboard's figures, ``/api/stats``)."""
        p = self.principal
        return p.kind == "integration" or (p.kind == "account" and p.role in DASHBOARD_ROLES)

    def may_export(self) -> bool:
        """The dashboard's CSV export: the same people as the dashboard."""
        return self.may_read_statistics()

    def may_use_console(self) -> bool:
        """The hotline console (queue, list, intake, ticket actions as staff)."""
        return self.principal.kind == "account" and self.principal.role in HOTLINE_ACCOUNT_ROLES

    def may_use_portal(self, department: str) -> bool:
        """The department portal of ``department``: only its own officers."""
        return self.is_department and self.principal.department == department

    def may_administer(self) -> bool:
        """Accounts and the audit log."""
        return self.principal.kind == "account" and self.principal.role in ADMIN_ROLES


def permissions_for(principal: Principal) -> Permissions:
    return Permissions(principal)
