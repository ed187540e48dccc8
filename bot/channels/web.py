"""Rasa's socket.io and REST input channels with the guard (limits, failure notice) in front.

Registered in ``credentials.yml`` by module path; URLs, events and the widget's session handling stay
Rasa's own (``/socket.io``, ``/webhooks/rest/webhook``; ``session_persistence`` as configured — see
RASA_NOTES.md for the python-socketio pin it needs).
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from sanic.exceptions import SanicException
from sanic.request import Request

from bot.channels.address import client_address
from bot.channels.guard import CLIENT_ADDRESS, MessageGuard

def _peer(request: Any) -> Optional[str]:
    """The TCP peer of a Sanic request (``request.ip``), whatever proxy headers say."""
    try:
        return request.ip or None
    except Exception:
        return None


class _Guarded:
    """What both channels add to Rasa's: a guard built from their credentials around message handling."""

    guard: MessageGuard

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)  # type: ignore[misc]
        channel.guard = MessageGuard(credentials)
        return channel

    def guarded(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
        if not hasattr(self, "guard"):  # built without credentials (Rasa's defaults, tests)
            self.guard = MessageGuard()
        return self.guard.wrap(on_new_message)


class RestChannel(_Guarded, RestInput):
    """``POST /webhooks/rest/webhook`` as Rasa's, guarded; a body that is not a JSON object is a 400."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        try:
            body = req.json
        except Exception:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("message", ""), (str, type(None))) \
                or not isinstance(body.get("sender", ""), (str, type(None))):
            raise SanicException("请求体应为 JSON 对象：{\"sender\": 字符串, \"message\": 字符串}。", status_code=400)
        CLIENT_ADDRESS.set(client_address(_peer(req), req.headers.get("x-forwarded-for")))
        return body.get("sender")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        return super().blueprint(self.guarded(on_new_message))


class SocketIOChannel(_Guarded, SocketIOInput):
    """The widget's socket.io channel, guarded; the client address is read when each message arrives."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(self.guarded(on_new_message))
        sio = self.sio
        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]

        async def with_address(sid: Text, data: Any) -> None:
            environ = sio.get_environ(sid, namespace) or {}
            peer = _peer(environ.get("sanic.request"))
            CLIENT_ADDRESS.set(client_address(peer, environ.get("HTTP_X_FORWARDED_FOR")))
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), (str, type(None))):
                return  # the widget always sends {"message": text, "session_id": …}; anything else is dropped
            await handle_message(sid, data)

        sio.handlers[namespace][self.user_message_evt] = with_address
        return blueprint
