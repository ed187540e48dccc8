"""Expected failures of the domain, with a machine code and a Chinese explanation.

Pure (no web imports) so rule modules can raise them; the web layer turns them into the shared
error shape.
"""
from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failure the caller can act on: HTTP-like status, stable code, message in Chinese."""

    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


class TransitionError(ApiError):
    """A workflow action refused by the state machine."""
