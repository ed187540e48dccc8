"""The one client every action uses to reach the ticketing service's REST API.

Why retries are safe: every ticket creation carries an Idempotency-Key derived from the conversation and
the complaint, so a POST repeated after a lost response (or a resident's later retry) returns the ticket
already filed instead of filing a second one.
"""
from __future__ import annotations

import hashlib
import logging
import os
from typing import Any, Dict, Optional

import requests
from urllib3.exceptions import NewConnectionError

logger = logging.getLogger(__name__)

DEFAULT_URL = "http://127.0.0.1:8000"
CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 10.0
RETRIES = 2


class TicketingError(Exception):
    """The service answered but refused the request (4xx other than 404)."""

    def __init__(self, message: str, code: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.code = code  # the API's stable error code, e.g. "transition_not_allowed"
        self.detail = detail  # its Chinese message, safe to show a resident


class TicketingUnavailable(TicketingError):
    """The service could not be reached or failed (connection error, timeout, 5xx) after retries.

    ``maybe_done``: some attempt may have reached the service, so what it asked for may have happened
    (a creation committed after the answer was lost). False only when no attempt ever got through."""

    def __init__(self, message: str, maybe_done: bool = False) -> None:
        super().__init__(message)
        self.maybe_done = maybe_done


def _never_sent(error: requests.RequestException) -> bool:
    """The connection itself failed (refused, unresolvable, connect timeout): the request never left."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


def idempotency_key(conversation_id: str, description: str, place: str) -> str:
    """Same conversation + same complaint => same key, so a retry never files a second ticket."""
    digest = hashlib.sha256(f"{conversation_id}\n{description}\n{place}".encode("utf-8")).hexdigest()
    return f"chat-{digest[:48]}"


class TicketingClient:
    """Thin wrapper over the ticketing REST API with timeouts and bounded retries."""

    def __init__(
        self,
        base_url: Optional[str] = None,
        session: Optional[requests.Session] = None,
        retries: int = RETRIES,
    ) -> None:
        self.base_url = (base_url or os.environ.get("TICKETING_URL") or DEFAULT_URL).rstrip("/")
        self.session = session or requests.Session()
        self.retries = retries
        self.timeout = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S)

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send with retries on connection errors, timeouts and 5xx; raise TicketingUnavailable after."""
        url = f"{self.base_url}{path}"
        problem, maybe_done = "no attempt", False
        for attempt in range(self.retries + 1):
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as error:
                problem = f"{type(error).__name__}: {error}"
                maybe_done = maybe_done or not _never_sent(error)
            else:
                if response.status_code < 500:
                    return response
                problem, maybe_done = f"HTTP {response.status_code}", True
            logger.warning("ticketing %s %s failed (attempt %d): %s", method, path, attempt + 1, problem)
        raise TicketingUnavailable(f"{method} {url}: {problem}", maybe_done=maybe_done)

    @staticmethod
    def _json(response: requests.Response) -> Dict[str, Any]:
        """Decode a success body; a 2xx that is not JSON means a broken service."""
        try:
            body = response.json()
        except ValueError as error:
            raise TicketingUnavailable(f"invalid JSON from ticketing: {error}", maybe_done=True) from error
        if not isinstance(body, dict):
            raise TicketingUnavailable("unexpected JSON shape from ticketing", maybe_done=True)
        return body

    def health(self) -> bool:
        """True when GET /api/health answers {"status": "ok"}."""
        try:
            response = self._request("GET", "/api/health")
        except TicketingUnavailable:
            return False
        return response.ok and self._json(response).get("status") == "ok"

    def create_ticket(self, payload: Dict[str, Any], key: str) -> Dict[str, Any]:
        """POST /api/tickets; returns the ticket (new or replayed)."""
        # The token: the bot is a trusted integration (it may record a 直接答复 and reads contacts whole).
        headers = {"Idempotency-Key": key, **self._auth_headers()}
        response = self._request("POST", "/api/tickets", json=payload, headers=headers)
        if response.status_code in (200, 201):
            return self._json(response)
        logger.error("ticketing refused ticket: HTTP %s %s", response.status_code, response.text[:500])
        raise TicketingError(f"HTTP {response.status_code}")

    def _auth_headers(self) -> Dict[str, str]:
        """The integration token (docs/ticketing-api.md, "Access"): reads and workflow actions need it;
        without it the service answers 401 (only filing a ticket is open to anyone)."""
        token = os.environ.get("YIJIAN_API_TOKEN", "").strip()
        return {"Authorization": f"Bearer {token}"} if token else {}

    def transition(self, number: str, action: str, **fields: Any) -> Dict[str, Any]:
        """POST /api/tickets/{number}/transitions as the resident's integration; returns the ticket.

        Not retried by an idempotency key: transitions have none, so only connection failures are
        retried (a 5xx may have applied the action; the caller reports it as unavailable).
        """
        body = {"action": action, "role": fields.pop("role", "resident"), "actor": fields.pop("actor", "12345智能助手"),
                **{key: value for key, value in fields.items() if value is not None}}
        response = self._request("POST", f"/api/tickets/{number}/transitions", json=body,
                                 headers=self._auth_headers())
        if response.status_code == 200:
            return self._json(response).get("ticket") or {}
        error = _error_of(response)
        logger.error("ticketing refused %s on %s: HTTP %s %s", action, number, response.status_code, response.text[:500])
        raise TicketingError(f"HTTP {response.status_code}", error.get("code", ""), error.get("message", ""))

    def get_ticket(self, number: str) -> Optional[Dict[str, Any]]:
        """GET /api/tickets/{number} with the token; None when the service does not know the number."""
        response = self._request("GET", f"/api/tickets/{number}", headers=self._auth_headers())
        if response.status_code == 404:
            return None
        if response.status_code == 200:
            return self._json(response)
        logger.error("ticketing lookup failed: HTTP %s %s", response.status_code, response.text[:500])
        raise TicketingError(f"HTTP {response.status_code}")


def _error_of(response: requests.Response) -> Dict[str, Any]:
    """The API's error object ({"code", "message", "details"}), or {} when the body is not one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}
