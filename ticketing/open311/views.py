"""Our tickets in Open311's request shape; rich states go into ``status_notes``."""
from __future__ import annotations

from typing import Any

from ticketing.core.timefmt import display_china, iso_china
from ticketing.domain.departments import Directory
from ticketing.domain.vocabulary import OPEN
from ticketing.models.tickets import Ticket
from ticketing.open311.catalog import Catalog

DESCRIPTION_LIMIT = 4000  # request.json allows at most 4000 characters


def request_json(ticket: Ticket, catalog: Catalog, directory: Directory) -> dict[str, Any]:
    service = catalog.for_category(ticket.category)
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


def _notes(ticket: Ticket, department: str) -> str:
    note = f"{ticket.state}（承办单位：{department}）"
    if ticket.merged_into:
        note += f"，已并入工单 {ticket.merged_into}"
    if ticket.reply and ticket.state not in OPEN:
        note += f"。答复：{ticket.reply[:1000]}"
    return note
