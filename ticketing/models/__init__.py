"""SQLAlchemy tables: tickets with their history and assists (``tickets``), accounts and the audit log
(``accounts``). Importing the package registers every table on ``Base.metadata`` (Alembic, tests)."""
from ticketing.models.accounts import Account, AuditEntry
from ticketing.models.notifications import ContactOptOut, Notification, OutboxEvent
from ticketing.models.rating import FollowUpCall, RatingLink
from ticketing.models.tickets import Ticket, TicketAssist, TicketCounter, TicketEvent

__all__ = ["Account", "AuditEntry", "ContactOptOut", "Notification", "OutboxEvent", "FollowUpCall", "RatingLink", "Ticket", "TicketAssist", "TicketCounter", "TicketEvent"]
