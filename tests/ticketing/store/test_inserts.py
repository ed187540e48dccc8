"""A new ticket is written with plain INSERTs (ticketing/store/inserts.py): the stored rows must be exactly what
the ORM would have stored — every column, the column defaults, the history rows and the assists."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import inspect, select

from ticketing.services import tickets as service
from ticketing.models.tickets import Ticket, TicketAssist, TicketEvent
from ticketing.domain.rules import default_rules
from ticketing.domain.new_ticket import TicketCreate

NOW = datetime(2030, 6, 3, 2, 0, tzinfo=timezone.utc)


def _columns(obj: object) -> dict[str, object]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs}


def _orm_twin(app, created: Ticket) -> Ticket:  # type: ignore[no-untyped-def]
    """The same ticket built again and stored through the ORM unit of work, as before the change."""
    with app.state.sessions() as session, session.begin():
        twin = Ticket(**{k: v for k, v in _columns(created).items() if k not in ("id", "number", "idempotency_key")},
                      number=created.number.replace("-", "-9"), idempotency_key=None)
        twin.events = [TicketEvent(**{k: v for k, v in _columns(e).items() if k not in ("id", "ticket_id")})
                       for e in created.events]
        twin.assists = [TicketAssist(department_code=a.department_code, added_at=a.added_at) for a in created.assists]
        session.add(twin)
        session.flush()
        return twin


def test_inserted_rows_match_the_returned_ticket_and_the_orm(client, app) -> None:  # type: ignore[no-untyped-def]
    data = TicketCreate(description="邻居楼顶违建加盖了一层", category=["城乡建设", "城乡规划", "违法建设"],
                        channel="chat", place="江汉区解放大道688号", contact_name="张先生", contact_phone="13812345678")
    created = service.create_ticket(app.state.sessions, data=data, rules=default_rules(),
                                    idempotency_key="inserts-1", now=NOW).ticket
    assert created.id is not None and [e.seq for e in created.events] == [1, 2] and created.assist_codes
    twin = _orm_twin(app, created)
    with app.state.sessions() as session:
        stored = session.get(Ticket, created.id)
        via_orm = session.get(Ticket, twin.id)
        row = _columns(stored)
        assert row == _columns(created)
        assert row["version"] == 1 and row["reopen_count"] == 0 and row["anonymous"] is False
        differ = {k for k in row if row[k] != _columns(via_orm)[k]}
        assert differ == {"id", "number", "idempotency_key"}
        events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == created.id)
                                 .order_by(TicketEvent.seq)).all()
        assert [_columns(e) for e in events] == [_columns(e) for e in created.events]
        assert [e.id for e in events] == [e.id for e in created.events]
        assists = session.scalars(select(TicketAssist).where(TicketAssist.ticket_id == created.id)).all()
        assert [_columns(a) for a in assists] == [_columns(a) for a in created.assists]
    history = client.get(f"/api/tickets/{created.number}/history").json()["events"]
    assert [e["action"] for e in history] == ["create", "dispatch"]
