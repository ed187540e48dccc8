"""The ASGI application: ``uvicorn ticketing.app:app --port 8000`` from the repository root."""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ticketing.api.routes import followup as followup_api
from ticketing.api.routes import meta, stats, tickets, transitions
from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.settings import Settings, load_settings
from ticketing.domain.rules import Rules, default_rules
from ticketing.http import errors
from ticketing.http import sessions as web_auth
from ticketing.http.hygiene import RequestHygiene
from ticketing.open311 import errors as open311_errors
from ticketing.open311.router import router as open311_router
from ticketing.web import actions as web_actions
from ticketing.web import followup_page, rating_page
from ticketing.web import admin_pages, dashboard, intake, pages, portal, resident, signin, staff, templating
from ticketing.web import deliveries, unsubscribe

STATIC_DIR = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings | None = None, rules: Rules | None = None) -> FastAPI:
    """Build an app for the given settings; the schema must already be migrated (manage migrate)."""
    settings = settings or load_settings()
    # /docs and /redoc would load their scripts from a CDN; the schema itself stays at /openapi.json.
    app = FastAPI(title="一键回应 工单服务 (yijian ticketing)", version="0.2.0",
                  description="Tickets, routing, deadlines and history for the 12345 hotline.",
                  docs_url=None, redoc_url=None)
    app.add_middleware(RequestHygiene)  # body size limit and NUL refusal before anything parses
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.rules = rules or default_rules()
    errors.install(app, renderers={open311_errors.PREFIX: open311_errors.render})  # Open311 answers in its array
    web_auth.install(app, forbidden_page=templating.forbidden_page)
    app.include_router(meta.router)
    app.include_router(tickets.router)
    app.include_router(transitions.router)
    app.include_router(stats.router)
    app.include_router(followup_api.router)
    app.include_router(open311_router)
    app.include_router(signin.router)
    app.include_router(pages.router)
    app.include_router(resident.router)
    app.include_router(rating_page.router)
    app.include_router(followup_page.router)
    app.include_router(staff.router)
    app.include_router(intake.router)
    app.include_router(admin_pages.router)
    app.include_router(web_actions.router)
    app.include_router(portal.router)
    app.include_router(dashboard.router)
    app.include_router(deliveries.router)  # staff-only dev page: what the notifier would have sent
    app.include_router(unsubscribe.router)  # 退订 links and SMS replies
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
app = create_app()
