"""Open311 errors: an array of ``{"code": <http status>, "description": ...}``."""
from __future__ import annotations

from typing import Any


class Open311Error(Exception):
    """A refusal in Open311's own error shape."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def error_array(status: int, *descriptions: str) -> list[dict[str, Any]]:
    return [{"code": status, "description": d} for d in descriptions]
