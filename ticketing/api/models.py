"""Response models of the JSON API, so ``/openapi.json`` describes every answer (and clients can generate types).

The routes still build their answers with ``api/serialize.py`` (one shape for the bot, the console and
Open311); these models name and type that shape. Closed sets come from the vocabulary, so a new state
or rating changes the schema with it. Times are ISO 8601 strings with ``+08:00``, as ``iso_china`` writes
them; dates are ``YYYY-MM-DD``.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ticketing.domain.vocabulary import (DUE_STATUSES, PRIORITY_NORMAL, PRIORITY_URGENT, RATINGS, RESOLVED_LATE,
                                         RESOLVED_ON_TIME, STATES, Channel, Kind, WorkflowRole)
from ticketing.http.documented import ErrorBody

# Literal[...] of a tuple is the Literal of its members; built from the vocabulary so it is never retyped.
State = Literal[STATES]  # type: ignore[valid-type]
Priority = Literal[(PRIORITY_NORMAL, PRIORITY_URGENT)]  # type: ignore[valid-type]
Rating = Literal[RATINGS]  # type: ignore[valid-type]
TicketDueStatus = Literal[(*DUE_STATUSES, RESOLVED_ON_TIME, RESOLVED_LATE)]  # type: ignore[valid-type]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class DepartmentRef(BaseModel):
    code: str
    name: str


class TicketPublic(BaseModel):
    """A ticket as ``serialize.ticket_json`` writes it; contact fields may come masked (or null)."""

    number: str = Field(examples=["20261202-000001"])
    state: State
    kind: Kind
    category: list[str] = Field(description="1 to 3 levels; empty when unknown")
    description: str
    place: Optional[str]
    district: Optional[str]
    event_time: Optional[str]
    channel: Channel
    priority: Priority
    department: DepartmentRef
    assist_departments: list[DepartmentRef]
    sign_due_at: Moment
    resolve_due_at: Moment
    resolve_due_display: str = Field(examples=["2026年12月4日（周五）17:30"])
    created_at: Moment
    updated_at: Moment
    contact_name: Optional[str]
    contact_phone: Optional[str]
    anonymous: bool
    contact_channel: Optional[Literal["sms", "email", "none"]] = Field(
        None, description="How the resident hears back (短信 / 邮件 / 不需要); null: not asked (docs/notifications.md)")
    due_status: Optional[TicketDueStatus] = Field(description="null for a merged ticket never answered")
    sign_overdue: bool
    signed_at: Optional[Moment]
    resolved_at: Optional[Moment]
    closed_at: Optional[Moment]
    reply: Optional[str]
    rating: Optional[Rating]
    reopen_count: int
    extension_requested_due_at: Optional[Moment]
    merged_into: Optional[str]
    conversation_id: Optional[str]
    emergency_number: Optional[str]
    deadline_estimated: bool


class TicketList(BaseModel):
    """A page of tickets. ``total`` is exact up to 10,000, past that the planner's estimate; with ``q``
    exact up to 1,000, and 1,000 means "1,000 or more"; ``next_cursor`` / ``prev_cursor`` are opaque: pass one back as ``cursor`` for the page
    after (before) this one, with the same filters; null when there is no such page."""

    items: list[TicketPublic]
    total: int
    page: int
    per_page: int
    next_cursor: Optional[str] = None
    prev_cursor: Optional[str] = None


class EventPublic(BaseModel):
    """One history event; ``action_label`` is the action's Chinese name."""

    seq: int
    action: str
    action_label: str
    from_state: Optional[State]
    to_state: Optional[State]
    actor: str
    role: WorkflowRole
    at: Moment
    reason: Optional[str]
    note: Optional[str]


class TicketHistory(BaseModel):
    number: str
    events: list[EventPublic]


class TransitionResult(BaseModel):
    ticket: TicketPublic
    event: EventPublic


class PossibleAction(BaseModel):
    action: str
    label: str
    to_state: Optional[State] = Field(description="null: the action records an event, the state stays")
    roles: list[WorkflowRole]
    requires: list[str]


class PossibleActions(BaseModel):
    number: str
    state: State
    actions: list[PossibleAction]


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]


class HealthUnavailable(ErrorBody):
    """503: the shared error shape plus the health fields, so a probe reads either."""

    status: Literal["error"]
    database: Literal["unavailable"]


class CalendarYear(BaseModel):
    year: int
    estimated: bool = Field(description="true until the year's official schedule is published")
    source: Literal["override", "holidays"]
    weekday_days_off: list[date]
    weekend_working_days: list[date]


class Department(BaseModel):
    code: str
    name: str
    kind: str
    short: Optional[str]
    district: Optional[str]


class DepartmentList(BaseModel):
    items: list[Department]


class CategoryLeaf(BaseModel):
    name: str


class CategoryBranch(BaseModel):
    name: str
    children: list[CategoryLeaf]


class CategoryRoot(BaseModel):
    name: str
    children: list[CategoryBranch]


class CategoryList(BaseModel):
    items: list[CategoryRoot]


Share = Optional[Annotated[float, Field(ge=0, le=1)]]


class Figures(BaseModel):
    """Counts and rates (shares in [0, 1], null when nothing is there to measure)."""

    received: int
    merged: int
    open: int
    overdue_open: int
    sign_on_time_rate: Share
    resolution_rate: Share
    on_time_rate: Share
    satisfaction_rate: Share
    rated: int
    rated_share: Share = Field(default=None, description="评价率: rated ÷ resolved (tickets with an answer)")


class DepartmentFigures(Figures):
    code: str
    name: str


class Hotspot(BaseModel):
    name: str
    count: int


class Stats(BaseModel):
    """``/api/stats``: the period (China dates, inclusive) and its figures."""

    model_config = ConfigDict(populate_by_name=True)

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    overall: Figures
    by_state: dict[State, int]
    departments: list[DepartmentFigures]
    hot_categories: list[Hotspot]
    hot_districts: list[Hotspot]
