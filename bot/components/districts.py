"""District normalisation: "洪山" / "洪山区" / "武汉市洪山区" → 洪山区 (adcode 420111), with cpca's data.

Why cpca and not our own table: cpca (also used by the ticketing service) ships China's administrative
division codes, so every district of every city is known without a hand-written list. cpca itself
only matches full names ("洪山区"; it never strips 区/县, to avoid false hits), so for the hotline's own
city we also accept the short forms residents use ("洪山", "东西湖"), derived from cpca's table, not
typed in. "汉口", "光谷" are areas, not districts: they stay unnormalised (None).

Our public example data is anonymised ("A市", districts "A1区"…"A9区"): such names are districts too,
and normalise to themselves.

No Rasa or spaCy import: the entity component and unit tests use it directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

# Wuhan (武汉市): the city whose districts a bare "洪山" means. A component option (home_city_adcode).
DEFAULT_HOME_CITY_ADCODE = "4201"
_ANONYMISED_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z])(\d{1,2})([区县])")
_ANONYMISED_CITY_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z])市")


@dataclass(frozen=True)
class District:
    """A normalised district: canonical name, its city, and the 6-digit adcode (None when anonymised)."""

    name: str
    city: Optional[str]
    adcode: Optional[str]
    # Where in the text it was named (start, end), so the entity points at the resident's words.
    start: int
    end: int


@lru_cache(maxsize=8)
def home_city_names(city_adcode: str = DEFAULT_HOME_CITY_ADCODE) -> Tuple[Tuple[str, str, str], ...]:
    """(text to find, canonical district, adcode) for the home city, longest text first.

    Full names and short names (without 区/县, at least two characters) come from cpca's table.
    """
    import cpca  # a large table: loaded on first use only

    city = cpca.ad_2_addr_dict.get(f"{city_adcode}00000000")
    found: List[Tuple[str, str, str]] = []
    for adcode, info in cpca.ad_2_addr_dict.items():
        if not adcode.startswith(city_adcode) or info.rank != cpca.AddrInfo.RANK_COUNTY:
            continue
        if info.name == "市辖区":  # a statistical placeholder, not a place
            continue
        found.append((info.name, info.name, adcode[:6]))
        short = re.sub(r"[区县]$", "", info.name)
        if len(short) >= 2 and short != info.name:
            found.append((short, info.name, adcode[:6]))
    found.sort(key=lambda item: len(item[0]), reverse=True)
    return tuple(found)


def home_city_name(city_adcode: str = DEFAULT_HOME_CITY_ADCODE) -> Optional[str]:
    """The home city's name in cpca ("武汉市")."""
    import cpca

    info = cpca.ad_2_addr_dict.get(f"{city_adcode}00000000")
    return info.name if info else None


@lru_cache(maxsize=8)
def _home_umap(city_adcode: str) -> Dict[str, str]:
    """cpca's `umap`: a district name shared by several cities ("青山区") means the home city's."""
    return {name: adcode for text, name, adcode in home_city_names(city_adcode) if text == name}


def normalise_district(text: Optional[str], city_adcode: str = DEFAULT_HOME_CITY_ADCODE) -> Optional[District]:
    """The district a place text names, or None ("汉口", "光谷大道", "我家楼下").

    Order: an anonymised "A3区"; a home-city district by full or short name (first in the text);
    any other Chinese district cpca finds from a full administrative name ("北京市朝阳区").
    """
    if not text:
        return None
    anonymised = _ANONYMISED_RE.search(text)
    if anonymised:
        city = _ANONYMISED_CITY_RE.search(text)
        return District(anonymised.group(0), city.group(0) if city else None, None,
                        anonymised.start(), anonymised.end())
    best: Optional[District] = None
    for needle, name, adcode in home_city_names(city_adcode):
        at = text.find(needle)
        if at >= 0 and (best is None or at < best.start):
            best = District(name, home_city_name(city_adcode), adcode, at, at + len(needle))
    if best:
        return best
    return _cpca_district(text, city_adcode)


def _cpca_district(text: str, city_adcode: str) -> Optional[District]:
    """cpca on the whole text, for districts outside the home city; positions from cpca itself."""
    import cpca

    frame = cpca.transform([text], pos_sensitive=True, umap=_home_umap(city_adcode))
    row = frame.iloc[0].to_dict()
    name, adcode, start = row.get("区"), row.get("adcode"), row.get("区_pos", -1)
    if not isinstance(name, str) or not name or not isinstance(adcode, str) or start is None or start < 0:
        return None
    start = int(start)
    end = start + len(name) if text[start:start + len(name)] == name else start + len(re.sub(r"[区县]$", "", name))
    city = row.get("市") if isinstance(row.get("市"), str) else None
    return District(name, city, adcode[:6], start, end)
