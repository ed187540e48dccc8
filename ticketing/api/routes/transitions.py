"""``/api/tickets/{number}/transitions``: run a workflow action, or list the ones now possible."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends
from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints

from ticketing.api.models import PossibleAction, PossibleActions, TransitionResult
from ticketing.api.serialize import event_json, ticket_json
from ticketing.domain import workflow
from ticketing.domain.vocabulary import WORKFLOW_ROLE_LABELS, WorkflowRole
from ticketing.http.api_caller import ApiCaller, PermissionsDep, TicketReaderDep, api_caller, contact_for
from ticketing.http.deps import FactoryDep, RulesDep, SessionDep
from ticketing.http.documented import api_errors
from ticketing.services import tickets as service
from ticketing.services.transitions import run_transition

router = APIRouter(prefix="/api/tickets", tags=["workflow"])

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Role = WorkflowRole


class TransitionRequest(BaseModel):
    """One action; which optional fields are required depends on the action (see the docs)."""

    model_config = ConfigDict(extra="ignore")

    action: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    role: Role = "staff"
    actor: Optional[Short] = None
    department: Optional[Short] = None
    reason: Optional[Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]] = None
    note: Optional[Text] = None
    reply: Optional[Text] = None
    target_department: Optional[Short] = None
    requested_due_at: Optional[AwareDatetime] = None
    rating: Optional[Short] = None
    parent_number: Optional[Short] = None
    category: Optional[list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]]] = None
    urgent: Optional[bool] = None

    def command(self) -> workflow.Command:
        actor = self.actor or WORKFLOW_ROLE_LABELS[self.role]
        return workflow.Command(
            action=self.action, actor=actor, role=self.role, department=self.department or None,
            reason=self.reason or None, note=self.note or None, reply=self.reply or None,
            target_department=self.target_department or None, requested_due_at=self.requested_due_at,
            rating=self.rating or None, parent_number=self.parent_number or None,
            category=tuple(self.category) if self.category is not None else None, urgent=self.urgent)


@router.post("/{number}/transitions", responses=api_errors(400, 401, 403, 404, 409, 413, 422))
def post_transition(number: str, body: TransitionRequest,
                    factory: FactoryDep,
                    rules: RulesDep,
                    caller: Annotated[ApiCaller, Depends(api_caller)],
                    permissions: PermissionsDep) -> TransitionResult:
    """200 with the updated ticket and the history event written; 409 ``transition_not_allowed``.

    Needs ``Authorization: Bearer <YIJIAN_API_TOKEN>`` or a signed-in session (401 otherwise); for a
    session, role/actor/department come from the account, not from the body. A ticket the caller may
    not see is 404, and the answer masks contact data as the reads do.
    """
    command = body.model_copy(update=caller.overrides()).command()
    ticket, event = run_transition(factory, number=number, command=command, rules=rules,
                                   visible=permissions.may_see)
    return TransitionResult.model_validate(
        {"ticket": contact_for(permissions, ticket_json(ticket, rules.directory), ticket.anonymous),
         "event": event_json(event)})


@router.get("/{number}/transitions", responses=api_errors(401, 403, 404, 422))
def get_transitions(number: str, permissions: TicketReaderDep, session: SessionDep,
                    role: Optional[Role] = None, department: Optional[str] = None) -> PossibleActions:
    """Actions possible from the ticket's current state (optionally for one role)."""
    ticket = service.get_ticket(session, number, permissions.may_see)
    return PossibleActions(number=ticket.number, state=ticket.state, actions=[
        PossibleAction(action=t.action, label=t.label, to_state=t.target, roles=sorted(t.roles),
                       requires=list(t.requires))
        for t in workflow.allowed_actions(ticket, role, department if role == "department" else None)])
