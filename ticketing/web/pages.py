"""Public pages: the resident chat page and the local copy of the chat widget."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ticketing.web import csrf
from ticketing.web.templating import TEMPLATES

router = APIRouter(include_in_schema=False)
CITY = "武汉市"


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    """Resident page: the city's hotline, privacy notice, the chat widget and the ticket lookup form."""
    settings = request.app.state.settings
    return TEMPLATES.TemplateResponse(request, "chat.html", {
        "socket_url": settings.rasa_socket_url, "hotline": settings.hotline_number, "city": CITY,
        "csrf": csrf.token_for(request)})


@router.get("/static/vendor/webchat.js")
def webchat_js(request: Request) -> Response:
    """The rasa-webchat bundle from node_modules, served by us (no CDN)."""
    path: Path = request.app.state.settings.webchat_js
    if not path.is_file():
        return Response("/* rasa-webchat not installed: run npm ci */", status_code=404,
                        media_type="application/javascript")
    return Response(_offline_bundle(path, path.stat().st_mtime_ns), media_type="application/javascript",
                    headers={"Cache-Control": "public, max-age=3600"})


# The bundle's CSS imports the Inter font from Google: every resident's browser would contact Google
# (a privacy leak, and a stalled request where that host is blocked). Our page sets its own fonts.
_REMOTE_FONT_IMPORT = re.compile(r"@import url\(https://fonts\.googleapis\.com/[^)]*\);?")


@lru_cache(maxsize=2)
def _offline_bundle(path: Path, mtime_ns: int) -> bytes:
    """The widget bundle without its remote font imports (cached per file version)."""
    return _REMOTE_FONT_IMPORT.sub("", path.read_text(encoding="utf-8")).encode("utf-8")
