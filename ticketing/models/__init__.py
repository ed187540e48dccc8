"""SQLAlchemy tables: tickets with their history and assists (``tickets``), accounts and the audit log
(``accounts``). Importing the package registers every table on ``Base.metadata`` (Alembic, tests)."""
from ticketing.models.accounts import Account, AuditEntry
from ticketing.models.tickets import Ticket, TicketAssist, TicketCounter, TicketEvent

__all__ = ["Account", "AuditEntry", "Ticket", "TicketAssist", "TicketCounter", "TicketEvent"]
