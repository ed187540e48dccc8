"""Staff corrections of the category, as training examples for the bot's category model.

Why: every ticket whose category hotline staff set or corrected (修改分类, or a held ticket they
classified by hand: `category_source == "staff"`) is a labelled message in the residents' own words,
the best training data the city will ever have. The export is masked (phones, landlines, ID
numbers) and written outside the repository; the bot's category component reads it when present
(`corrections_path`, bot/components/category_sources.py) and retrains when it changes.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from personal_data.masking import mask_numbers
from ticketing.models.tickets import Ticket

COLUMNS = ("category", "text", "number")


def staff_labelled(session: Session) -> Iterator[tuple[str, str, str]]:
    """(first-level category, masked description, ticket number) of every ticket staff classified."""
    rows = session.execute(
        select(Ticket.category_l1, Ticket.description, Ticket.number)
        .where(Ticket.category_source == "staff", Ticket.category_l1.is_not(None))
        .order_by(Ticket.id))
    for category, description, number in rows:
        text = mask_numbers(description or "").strip()
        if text:
            yield category, text, number


def export(session: Session, path: Path) -> int:
    """Write the corrections as CSV (category,text,number), replacing the file atomically; return the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    count = 0
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in staff_labelled(session):
            writer.writerow(row)
            count += 1
    partial.replace(path)
    return count
