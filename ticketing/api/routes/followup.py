"""``GET /api/followup``: the 回访 list (answered, unrated, waiting for a phone call) as JSON.

For the hotline's side only (its accounts and the integration token), like the console page it
mirrors: phones come masked here; the call page shows them in full, audited.
"""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from ticketing.core.timefmt import iso_china, utcnow
from ticketing.domain.followup import FollowUpPolicy, default_followup
from ticketing.domain.permissions import Permissions
from ticketing.domain.privacy import mask_phone
from ticketing.http.api_caller import requiring
from ticketing.http.deps import RulesDep, SessionDep
from ticketing.http.documented import api_errors
from ticketing.store import followup as store

router = APIRouter(prefix="/api", tags=["follow-up"])
HotlineDep = Annotated[Permissions, Depends(requiring(Permissions.may_read_followup))]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class FollowUpItem(BaseModel):
    number: str = Field(examples=["20261202-000001"])
    resolved_at: Moment
    department: str
    contact_phone: Optional[str] = Field(description="masked, e.g. 138****5678")
    unreachable_attempts: int = Field(description="无法联系 calls about the current answer")
    last_call_at: Optional[Moment]


class FollowUpList(BaseModel):
    """Tickets answered at least ``after_hours`` ago, still unrated, with fewer than ``max_unreachable``
    failed calls; the oldest answer first."""

    after_hours: int
    max_unreachable: int
    total: int
    items: list[FollowUpItem]


@router.get("/followup", responses=api_errors(401, 403, 422))
def get_followup(_reader: HotlineDep, request: Request, session: SessionDep, rules: RulesDep,
                 limit: Annotated[int, Query(ge=1, le=200)] = 50,
                 offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> FollowUpList:
    """The 回访 list, as on ``/staff/followup``."""
    policy = getattr(request.app.state, "followup", None)
    policy = policy if isinstance(policy, FollowUpPolicy) else default_followup()
    entries, total = store.followup_queue(session, policy, utcnow(), limit=limit, offset=offset)
    return FollowUpList(after_hours=policy.queue_after_hours, max_unreachable=policy.max_unreachable, total=total,
                        items=[FollowUpItem(number=e.ticket.number, resolved_at=iso_china(e.ticket.resolved_at) or "",
                                            department=rules.directory.get(e.ticket.department_code).name,
                                            contact_phone=mask_phone(e.ticket.contact_phone),
                                            unreachable_attempts=e.unreachable,
                                            last_call_at=iso_china(e.last_call_at)) for e in entries])
