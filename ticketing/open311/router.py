"""GeoReport v2 endpoints under ``/open311/v2``; the format is the path's extension (json only)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from ticketing.core.errors import ApiError
from ticketing.core.timefmt import CHINA_TZ, DATE_RANGE_MESSAGE, supported_date, utcnow
from ticketing.http import cursors
from ticketing.http.deps import FactoryDep, RulesDep, SessionDep
from ticketing.models.tickets import Ticket
from ticketing.open311.catalog import Catalog, default_catalog
from ticketing.open311.errors import OPEN311_ERRORS, Open311Error
from ticketing.open311.intake import ticket_from_form
from ticketing.open311.models import CreatedRequest, Service, ServiceDefinition, ServiceRequest
from ticketing.open311.views import COLUMNS, request_json
from ticketing.services import tickets
from ticketing.store import filters
from ticketing.store.keyset import Order

router = APIRouter(prefix="/open311/v2", tags=["open311"], responses=OPEN311_ERRORS)


def get_catalog(request: Request) -> Catalog:
    return default_catalog(request.app.state.settings.open311_api_keys)


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def _checks(fmt: str, jurisdiction_id: Optional[str], catalog: Catalog) -> None:
    if fmt != "json":
        raise Open311Error(400, f"不支持的格式：{fmt[:10]}，目前只提供 json。")
    if jurisdiction_id and jurisdiction_id != catalog.jurisdiction_id:
        raise Open311Error(404, f"未知的 jurisdiction_id：{jurisdiction_id[:40]}（本系统为 {catalog.jurisdiction_id}）。")


@router.get("/services.{fmt}")
def services(fmt: str, catalog: CatalogDep, jurisdiction_id: Optional[str] = None) -> list[Service]:
    _checks(fmt, jurisdiction_id, catalog)
    return [Service.model_validate(s.as_json()) for s in catalog.services]


@router.get("/services/{code}.{fmt}")
def service_definition(code: str, fmt: str, catalog: CatalogDep,
                       jurisdiction_id: Optional[str] = None) -> ServiceDefinition:
    _checks(fmt, jurisdiction_id, catalog)
    svc = catalog.by_code.get(code)
    if svc is None:
        raise Open311Error(404, f"未知的服务类型：{code[:40]}。")
    return ServiceDefinition.model_validate({"service_code": svc.service_code, "attributes": [
        {"variable": True, "code": a["code"], "datatype": a["datatype"], "required": bool(a.get("required")),
         "datatype_description": a.get("datatype_description"), "order": i + 1,
         "description": a.get("description"), "values": a.get("values") or []}
        for i, a in enumerate(svc.attributes)]})


NEWEST_REQUESTS = Order("open311-newest", (Ticket.created_at, Ticket.id), True, (datetime, int),
                        lambda row: (row.created_at, row.id))


@router.get("/requests.{fmt}", response_model=list[ServiceRequest])
def list_requests(fmt: str, request: Request, catalog: CatalogDep, session: SessionDep,
                  rules: RulesDep, jurisdiction_id: Optional[str] = None,
                  service_request_id: Optional[str] = None, service_code: Optional[str] = None,
                  start_date: Optional[str] = None, end_date: Optional[str] = None,
                  status: Optional[str] = None, page_size: Optional[int] = None,
                  after: Optional[str] = None) -> Response:
    """Filters per the spec; ``service_request_id`` overrides the others; default window 90 days.

    Extensions for clients that need more than one answer's worth: ``page_size`` (1 to the
    maximum, which is also the default) and, when more requests match, an RFC 8288 ``Link: <…>;
    rel="next"`` header whose URL repeats the filters with a signed ``after`` cursor (keyset: every
    page costs what the first does). The body stays the spec's plain array.
    """
    _checks(fmt, jurisdiction_id, catalog)
    limit = _page_size(page_size, catalog)
    query = select(*COLUMNS)
    if service_request_id:
        ids = [i.strip() for i in service_request_id.split(",") if i.strip()][: catalog.max_results]
        query = query.where(Ticket.number.in_(ids))
    else:
        query = _filtered(query, catalog, service_code, start_date, end_date, status)
    if after:
        try:
            query = query.where(NEWEST_REQUESTS.beyond(cursors.decode(request, after, NEWEST_REQUESTS).key))
        except cursors.CursorError as exc:
            raise Open311Error(400, "after 翻页参数无效或已被修改，请去掉 after 从头查询。") from exc
    rows = session.execute(query.order_by(*NEWEST_REQUESTS.by()).limit(limit + 1)).all()
    body = [request_json(row, catalog, rules.directory) for row in rows[:limit]]
    headers = {}
    if len(rows) > limit:
        token = cursors.encode(request, NEWEST_REQUESTS, NEWEST_REQUESTS.value_of(rows[limit - 1]), before=False, page=2)
        headers["Link"] = f'<{request.url.include_query_params(after=token)}>; rel="next"'
    return JSONResponse(body, headers=headers)


def _page_size(page_size: Optional[int], catalog: Catalog) -> int:
    if page_size is None:
        return catalog.max_results
    if not 1 <= page_size <= catalog.max_results:
        raise Open311Error(400, f"page_size 应在 1 到 {catalog.max_results} 之间。")
    return page_size


def _filtered(query: Any, catalog: Catalog, service_code: Optional[str], start_date: Optional[str],
              end_date: Optional[str], status: Optional[str]) -> Any:
    if service_code:
        if service_code not in catalog.by_code:
            raise Open311Error(400, f"未知的服务类型：{service_code[:40]}。")
        query = query.where(catalog.sql_filter(service_code))
    end = _when(end_date, "end_date")
    start = _when(start_date, "start_date") or (end or utcnow()) - timedelta(days=catalog.window_days)
    if end and end - start > timedelta(days=catalog.window_days):
        raise Open311Error(400, f"查询时间范围不能超过 {catalog.window_days} 天。")
    query = query.where(Ticket.created_at >= start)
    if end:
        query = query.where(Ticket.created_at <= end)
    if status:
        wanted = {s.strip() for s in status.split(",") if s.strip()}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, "status 只能是 open 或 closed。")
        if wanted == {"open"}:
            query = query.where(filters.is_open())
        elif wanted == {"closed"}:
            query = query.where(~filters.is_open())
    return query


def _when(text: Optional[str], name: str) -> Optional[datetime]:
    """W3C datetime; a value without offset is read as China time."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "+") if "T" in text else text.strip())
    except ValueError as exc:
        raise Open311Error(400, f"{name} 不是有效的日期时间（W3C 格式，如 2026-11-25T09:00:00+08:00）。") from exc
    if not supported_date(moment.date()):
        raise Open311Error(400, f"{name}：{DATE_RANGE_MESSAGE}")
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


@router.get("/requests/{request_id}.{fmt}")
@router.get("/request/{request_id}.{fmt}")
def get_request(request_id: str, fmt: str, catalog: CatalogDep, session: SessionDep,
                rules: RulesDep, jurisdiction_id: Optional[str] = None) -> list[ServiceRequest]:
    _checks(fmt, jurisdiction_id, catalog)
    try:
        ticket = tickets.get_ticket(session, request_id)
    except ApiError as exc:  # only "no such ticket": a database outage must stay a 503, not become a 404
        if exc.status != 404:
            raise
        raise Open311Error(404, f"未找到服务请求 {request_id[:40]}。") from exc
    return [ServiceRequest.model_validate(request_json(ticket, catalog, rules.directory))]


@router.post("/requests.{fmt}", response_model=None, responses={
    200: {"model": list[CreatedRequest], "description": "The new request (an array of one, per the spec)"}})
async def create_request(fmt: str, request: Request, catalog: CatalogDep,
                         factory: FactoryDep,
                         rules: RulesDep,
                         idempotency_key: Annotated[Optional[str], Header(alias="Idempotency-Key")] = None) -> JSONResponse:
    """Form-encoded submission; answers an array with the new request (status 200, per the spec)."""
    form = await _form(request)
    _checks(fmt, form.get("jurisdiction_id") or request.query_params.get("jurisdiction_id"), catalog)
    if not catalog.key_ok(form.get("api_key")):
        raise Open311Error(403, "api_key 无效或缺失。")
    data, svc = ticket_from_form(form, catalog)
    key = (idempotency_key or "").strip()[:128] or None
    created = tickets.create_ticket(factory, data=data, rules=rules, idempotency_key=key)
    body = request_json(created.ticket, catalog, rules.directory)
    body["service_notice"] = f"已受理，工单号 {created.ticket.number}；{body['service_notice']}"
    body["account_id"] = None
    return JSONResponse([body], status_code=200)


async def _form(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "")
    if "application/x-www-form-urlencoded" not in kind and "multipart/form-data" not in kind:
        raise Open311Error(400, "请以 application/x-www-form-urlencoded 格式提交。")
    form = await request.form()
    return {k: str(v) for k, v in form.items() if isinstance(v, str)}
