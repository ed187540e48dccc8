"""Public pages: the resident chat page and the local copy of the chat widget."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

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
    return FileResponse(path, media_type="application/javascript")
