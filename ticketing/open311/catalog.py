"""Open311 service types (``config/open311.yml``) and their mapping to our category paths."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, true

from ticketing.core.configfiles import ConfigError, load_yaml
from ticketing.models.tickets import Ticket

LEVEL_COLUMNS = (Ticket.category_l1, Ticket.category_l2, Ticket.category_l3)


@dataclass(frozen=True)
class Service:
    """One Open311 service type; an empty category is the catch-all ``other``."""

    service_code: str
    service_name: str
    category: tuple[str, ...]
    description: str | None = None
    group: str | None = None
    keywords: str | None = None
    attributes: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {"service_code": self.service_code, "service_name": self.service_name,
                "description": self.description, "metadata": bool(self.attributes), "type": "realtime",
                "keywords": self.keywords or None, "group": self.group}


class Catalog:
    """Services by code, the jurisdiction, and the category ↔ service mapping."""

    def __init__(self, data: dict[str, Any], api_keys: frozenset[str]) -> None:
        self.jurisdiction_id: str = data["jurisdiction_id"]
        self.max_results = int(data.get("max_results", 1000))
        self.window_days = int(data.get("default_window_days", 90))
        self.api_keys = api_keys
        self.services = [_service(row) for row in data.get("services", [])]
        self.by_code = {s.service_code: s for s in self.services}
        if len(self.by_code) != len(self.services):
            raise ConfigError("open311.yml: duplicate service_code")
        self.fallback = next((s for s in self.services if not s.category), None)
        if self.fallback is None:
            raise ConfigError("open311.yml needs one service with an empty category (the catch-all)")

    def for_category(self, category: list[str]) -> Service:
        """The service whose category is the longest prefix of ``category``."""
        best = self.fallback
        for service in self.services:
            n = len(service.category)
            if n and tuple(category[:n]) == service.category and n > len(best.category):
                best = service
        return best

    def sql_filter(self, code: str) -> ColumnElement[bool]:
        """Tickets this service would be reported under (the inverse of ``for_category``)."""
        service = self.by_code[code]
        if service is self.fallback:
            return not_(or_(false(), *[_prefix(s.category) for s in self.services if s.category]))
        deeper = [s for s in self.services if len(s.category) > len(service.category)
                  and s.category[: len(service.category)] == service.category]
        return and_(_prefix(service.category), not_(or_(false(), *[_prefix(s.category) for s in deeper])))

    def key_ok(self, key: str | None) -> bool:
        return not self.api_keys or (key or "") in self.api_keys


def _prefix(category: tuple[str, ...]) -> ColumnElement[bool]:
    """Category starts with ``category``; NULL levels compare as empty so NOT() stays two-valued."""
    return and_(true(), *[func.coalesce(col, "") == name for col, name in zip(LEVEL_COLUMNS, category)])


def _service(row: dict[str, Any]) -> Service:
    return Service(service_code=str(row["service_code"]), service_name=row["service_name"],
                   category=tuple(row.get("category") or ()), description=row.get("description"),
                   group=row.get("group"), keywords=row.get("keywords"),
                   attributes=tuple(row.get("attributes") or ()))


@lru_cache(maxsize=4)
def default_catalog(api_keys: frozenset[str] = frozenset()) -> Catalog:
    """``open311.yml``; POST needs one of ``api_keys`` (``Settings.open311_api_keys``) when there are any."""
    return Catalog(load_yaml("open311.yml"), api_keys)
