"""Place text → district (区) in the hotline's city, for routing and statistics.

Our own table of Wuhan districts and development zones first (short names like "江夏" that cpca
misses), then cpca for full administrative names. A junction or landmark yields no district.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ticketing.core.configfiles import load_yaml


@dataclass(frozen=True)
class Place:
    """What we could read from a place text; ``district`` is None when it cannot be told."""

    district: str | None
    city: str | None
    province: str | None
    adcode: str | None
    in_jurisdiction: bool


NO_PLACE = Place(None, None, None, None, False)


class PlaceResolver:
    """Resolves districts; a bare district name is taken to be in the home city."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.city = data["city"]
        self.province = data["province"]
        self.names: list[tuple[str, str, str]] = []  # (text to find, district, adcode)
        for row in data["districts"]:
            for text in [row["name"], *row.get("aliases", [])]:
                self.names.append((text, row["name"], str(row["adcode"])))
        self.names.sort(key=lambda item: len(item[0]), reverse=True)

    def resolve(self, text: str | None) -> Place:
        if not text or not text.strip():
            return NO_PLACE
        for needle, district, adcode in self.names:
            if needle in text:
                return Place(district, self.city, self.province, adcode, True)
        return self._cpca(text)

    def _cpca(self, text: str) -> Place:
        frame = _cpca_transform(text)
        if frame is None:
            return NO_PLACE
        district, city, province, adcode = (_clean(frame.get(k)) for k in ("区", "市", "省", "adcode"))
        if not district and not city:
            return NO_PLACE
        return Place(district, city, province, adcode, city == self.city)


def _clean(value: Any) -> str | None:
    if value is None or value != value:  # NaN from pandas
        return None
    text = str(value).strip()
    return text or None


def _cpca_transform(text: str) -> dict[str, Any] | None:
    """First row of cpca's answer as a dict; cpca is imported lazily (it loads a large table)."""
    try:
        import cpca

        frame = cpca.transform([text])
    except Exception:
        return None
    return frame.iloc[0].to_dict() if len(frame) else None


@lru_cache(maxsize=1)
def default_resolver() -> PlaceResolver:
    return PlaceResolver(load_yaml("places.yml"))
