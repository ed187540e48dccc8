"""Request dependencies: a session per request and the app's rule bundle."""
from __future__ import annotations

from typing import Annotated, Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from ticketing.domain.rules import Rules


# get_factory and get_rules are async only so FastAPI calls them on the event loop: a plain `def`
# dependency costs a hop to the thread pool and back (~45 µs of CPU) for reading one attribute.
async def get_factory(request: Request) -> sessionmaker:
    return request.app.state.sessions


def get_session(request: Request) -> Iterator[Session]:
    """A session that lives for one request; the handler decides when to commit."""
    with request.app.state.sessions() as session:
        yield session


async def get_rules(request: Request) -> Rules:
    return request.app.state.rules


# Annotated aliases (as in the FastAPI full-stack template's api/deps.py): a route says
# ``session: SessionDep`` instead of writing out ``Annotated[Session, Depends(get_session)]``.
SessionDep = Annotated[Session, Depends(get_session)]
FactoryDep = Annotated[sessionmaker, Depends(get_factory)]
RulesDep = Annotated[Rules, Depends(get_rules)]
