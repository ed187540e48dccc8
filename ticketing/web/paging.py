"""Keyset paging for the console's lists: read ``after=`` / ``before=`` cursors, give the pager its links.

A list page reads the cursor of the link that was followed (下一页: ``after``, 上一页: ``before``),
and hands the template the cursors of the pages beside the one it shows. An edited or foreign cursor
is not an error page: the list's first page is shown with a note, status 422.
"""
from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import Query, Request

from ticketing.http import cursors
from ticketing.store.keyset import Order, Seek, Window

Cursor = Annotated[Optional[str], Query(max_length=2000)]


def seek(request: Request, order: Order, after: Optional[str], before: Optional[str]) -> tuple[Seek | None, str]:
    """The requested position and an error message ("" when the cursor, if any, is good)."""
    token = after or before
    if not token:
        return None, ""
    try:
        found = cursors.decode(request, token, order)
    except cursors.CursorError as exc:
        return None, exc.message
    if found.before != (not after):  # an "after" cursor passed as before= or the other way round
        return None, cursors.INVALID
    return found, ""


def context(request: Request, order: Order, page: Window[Any], error: str = "") -> dict[str, Any]:
    """What ``_pager.html``'s ``cursor_pager`` needs."""
    return {"page": page.page, "pages": page.pages, "per_page": page.per_page, "cursor_error": error,
            "next_cursor": cursors.encode(request, order, page.next_key, before=False, page=page.page + 1),
            "prev_cursor": cursors.encode(request, order, page.prev_key, before=True, page=page.page - 1)}
