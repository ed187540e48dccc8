"""Request dependencies: a session per request and the app's rule bundle."""
from __future__ import annotations

from typing import Iterator

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from ticketing.rules import Rules


def get_factory(request: Request) -> sessionmaker:
    return request.app.state.sessions


def get_session(request: Request) -> Iterator[Session]:
    """A session that lives for one request; the handler decides when to commit."""
    with request.app.state.sessions() as session:
        yield session


def get_rules(request: Request) -> Rules:
    return request.app.state.rules
