"""Our tickets in Open311's request shape; rich states go into ``status_notes``."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func

from ticketing.core.timefmt import display_china, iso_china
from ticketing.domain.departments import Directory
from ticketing.domain.vocabulary import OPEN
from ticketing.models.tickets import Ticket
from ticketing.open311.catalog import Catalog

DESCRIPTION_LIMIT = 4000  # request.json allows at most 4000 characters
REPLY_LIMIT = 1000  # of the answer shown in status_notes
# What ``request_json`` reads: a list of a thousand requests selects these plain columns instead of
# loading a thousand ORM tickets with their assists (docs/performance.md, "A city's year").
COLUMNS = (Ticket.id, Ticket.number, Ticket.state, Ticket.category_l1, Ticket.category_l2, Ticket.category_l3,
           Ticket.department_code, func.substr(Ticket.description, 1, DESCRIPTION_LIMIT + 1).label("description"),
           Ticket.merged_into, func.substr(Ticket.reply, 1, REPLY_LIMIT).label("reply"), Ticket.resolve_due_at,
           Ticket.created_at, Ticket.updated_at, Ticket.place, Ticket.lat, Ticket.lon, Ticket.media_url)


def request_json(ticket: Any, catalog: Catalog, directory: Directory) -> dict[str, Any]:
    """One request in GeoReport's shape, from a ``Ticket`` or a row of ``COLUMNS``."""
    service = catalog.for_category([c for c in (ticket.category_l1, ticket.category_l2, ticket.category_l3) if c])
    department = directory.get(ticket.department_code).name
    text = ticket.description if len(ticket.description) <= DESCRIPTION_LIMIT else ticket.description[:DESCRIPTION_LIMIT - 1] + "…"
    return {
        "service_request_id": ticket.number,
        "status": "open" if ticket.state in OPEN else "closed",
        "status_notes": _notes(ticket, department),
        "service_name": service.service_name,
        "service_code": service.service_code,
        "description": text,
        "agency_responsible": department,
        "service_notice": f"办结时限：{display_china(ticket.resolve_due_at)}",
        "requested_datetime": iso_china(ticket.created_at),
        "updated_datetime": iso_china(ticket.updated_at),
        "expected_datetime": iso_china(ticket.resolve_due_at),
        "address": ticket.place,
        "address_id": None,
        "zipcode": None,
        "lat": ticket.lat,
        "long": ticket.lon,
        "media_url": ticket.media_url,
    }


def _notes(ticket: Any, department: str) -> str:
    note = f"{ticket.state}（承办单位：{department}）"
    if ticket.merged_into:
        note += f"，已并入工单 {ticket.merged_into}"
    if ticket.reply and ticket.state not in OPEN:
        note += f"。答复：{ticket.reply[:REPLY_LIMIT]}"
    return note
