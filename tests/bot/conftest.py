"""Fixtures for the bot's unit tests (the helpers they use live in tests/bot/helpers.py)."""
from __future__ import annotations

import pytest

from actions import consultation, filing, rating, status, ticket_ops
from tests.bot.helpers import FakeTicketing


@pytest.fixture
def ticketing(monkeypatch: pytest.MonkeyPatch) -> FakeTicketing:
    """Replace the ticketing client in the actions with an in-memory fake."""
    fake = FakeTicketing()
    monkeypatch.setattr(filing, "TicketingClient", fake)
    monkeypatch.setattr(status, "TicketingClient", fake)
    monkeypatch.setattr(consultation, "TicketingClient", fake)
    monkeypatch.setattr(ticket_ops, "TicketingClient", fake)
    monkeypatch.setattr(rating, "TicketingClient", fake)
    return fake
