"""Turn an Open311 form submission into our ``TicketCreate`` (validation in Chinese)."""
from __future__ import annotations

from pydantic import ValidationError

from ticketing.domain.contact import EMAIL, SMS, mobile_number
from ticketing.domain.new_ticket import TicketCreate
from ticketing.http.errors import VALIDATION_MESSAGES
from ticketing.open311.catalog import Catalog, Service
from ticketing.open311.errors import Open311Error


def ticket_from_form(form: dict[str, str], catalog: Catalog) -> tuple[TicketCreate, Service]:
    svc = catalog.by_code.get((form.get("service_code") or "").strip())
    if svc is None:
        raise Open311Error(400, "service_code 缺失或未知，请先查询 services.json。")
    lat, lon = _coordinates(form)
    address = (form.get("address_string") or "").strip() or (form.get("address_id") or "").strip()
    if not address and lat is None:
        raise Open311Error(400, "请提供位置：lat 与 long，或 address_string，或 address_id。")
    place = address or f"坐标 {lat:.6f}, {lon:.6f}"
    description = (form.get("description") or "").strip() or svc.service_name
    description += _attribute_lines(form, svc)
    name = ((form.get("last_name") or "").strip() + (form.get("first_name") or "").strip()) or None
    try:
        data = TicketCreate(description=description, category=list(svc.category) or None, place=place[:500],
                            channel="open311", contact_name=name, contact_phone=form.get("phone") or None,
                            **_contact_preference(form),
                            lat=lat, long=lon, media_url=form.get("media_url") or None)
    except ValidationError as exc:
        raise Open311Error(400, _explain(exc)) from exc
    return data, svc


def _contact_preference(form: dict[str, str]) -> dict[str, str | None]:
    """GeoReport has no "how to reach me" field: an e-mail given means updates by e-mail (as FixMyStreet
    does), else a mobile number means SMS; a bad address is refused by ``TicketCreate`` in Chinese."""
    email = (form.get("email") or "").strip() or None
    channel = EMAIL if email else SMS if mobile_number(form.get("phone")) else None
    return {"contact_email": email, "contact_channel": channel}


def _coordinates(form: dict[str, str]) -> tuple[float | None, float | None]:
    raw_lat, raw_lon = (form.get("lat") or "").strip(), (form.get("long") or "").strip()
    if not raw_lat and not raw_lon:
        return None, None
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError as exc:
        raise Open311Error(400, "lat 和 long 必须同时提供且为数字（WGS84）。") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Open311Error(400, "lat 或 long 超出有效范围。")
    return lat, lon


def _attribute_lines(form: dict[str, str], svc: Service) -> str:
    """Service attributes as readable lines appended to the description; required ones enforced."""
    lines = []
    for attr in svc.attributes:
        value = (form.get(f"attribute[{attr['code']}]") or "").strip()
        if not value:
            if attr.get("required"):
                raise Open311Error(400, f"缺少必填属性 attribute[{attr['code']}]。")
            continue
        names = {v["key"]: v["name"] for v in attr.get("values") or []}
        if names and value not in names:
            raise Open311Error(400, f"attribute[{attr['code']}] 的取值无效，可选：{'、'.join(names)}。")
        lines.append(f"【{attr.get('description') or attr['code']}】{names.get(value, value)}")
    return ("\n" + "\n".join(lines)) if lines else ""


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ()))
        template = VALIDATION_MESSAGES.get(err.get("type", ""), "取值无效。")
        try:
            message = template.format(**(err.get("ctx") or {}))
        except (KeyError, IndexError):
            message = template
        parts.append(f"{field}：{message}" if field else message)  # a whole-body rule (contact) has no field
    return "提交的内容有误：" + "；".join(parts)
