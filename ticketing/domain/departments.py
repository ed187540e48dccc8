"""The department directory (承办单位) read from ``config/departments.yml``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ticketing.core.configfiles import ConfigError, load_yaml

HOTLINE = "hotline"


@dataclass(frozen=True)
class Department:
    """A unit that can receive tickets; ``district`` is set for district governments."""

    code: str
    name: str
    kind: str
    short: str | None = None
    district: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "short": self.short,
                "district": self.district}


class Directory:
    """Lookup by code; unknown codes still get a readable name so old tickets never break pages."""

    def __init__(self, departments: list[Department]) -> None:
        self._by_code: dict[str, Department] = {}
        for dept in departments:
            if dept.code in self._by_code:
                raise ConfigError(f"duplicate department code: {dept.code}")
            self._by_code[dept.code] = dept
        if HOTLINE not in self._by_code:
            raise ConfigError("departments.yml must define the hotline's own queue 'hotline'")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Directory":
        return cls([Department(**row) for row in data.get("departments", [])])

    def all(self) -> list[Department]:
        return list(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Department:
        """The department, or a placeholder named after the code for codes no longer configured."""
        return self._by_code.get(code) or Department(code=code, name=code, kind="unknown")

    def for_district(self, district: str) -> Department | None:
        """The district government responsible for ``district`` (属地), if configured.

        Only ``kind: district`` rows count: street offices also carry a district, but the 属地 answer
        for a whole district is its government, which then hands work to its streets.
        """
        return next((d for d in self._by_code.values() if d.district == district and d.kind == "district"), None)

    def district_governments(self) -> dict[str, str]:
        """District name → code of its government, for territorial (属地) routing rules."""
        return {d.district: d.code for d in self._by_code.values() if d.district and d.kind == "district"}


@lru_cache(maxsize=1)
def default_directory() -> Directory:
    """Directory from the packaged configuration."""
    return Directory.from_data(load_yaml("departments.yml"))
