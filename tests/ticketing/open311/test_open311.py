"""Open311 GeoReport v2 answers, validated against the community's JSON Schemas."""
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from ticketing.core.settings import REPO_ROOT

SCHEMAS = Path(os.environ.get("YIJIAN_OPEN311_SCHEMAS", REPO_ROOT.parent / "shared" / "open311"))
BASE = "/open311/v2"
FORM = {"service_code": "streetlight", "address_string": "江汉区解放大道688号",
        "description": "路灯不亮已经三天", "first_name": "先生", "last_name": "张", "phone": "13800001234"}


@pytest.fixture(scope="module")
def validate():  # type: ignore[no-untyped-def]
    if not (SCHEMAS / "request.json").is_file():
        pytest.skip(f"Open311 schemas not found in {SCHEMAS}")
    resources = [(f"file:///open311/{p.name}", Resource.from_contents(json.loads(p.read_text()), DRAFT7))
                 for p in SCHEMAS.glob("*.json") if p.name != "swagger.json"]
    registry = Registry().with_resources(resources)

    def check(instance, name: str) -> None:  # type: ignore[no-untyped-def]
        validator = Draft7Validator({"$ref": f"file:///open311/{name}"}, registry=registry)
        errors = [e.message for e in validator.iter_errors(instance)]
        assert errors == [], errors
        for item in instance if isinstance(instance, list) else [instance]:
            for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
                if item.get(field):
                    assert datetime.fromisoformat(item[field]).tzinfo is not None

    return check


def post(client, **fields):  # type: ignore[no-untyped-def]
    return client.post(f"{BASE}/requests.json", data={**FORM, **fields})


def test_services_and_definition(client, validate) -> None:
    services = client.get(f"{BASE}/services.json").json()
    validate(services, "services.json")
    codes = {s["service_code"] for s in services}
    assert {"streetlight", "noise", "other"} <= codes
    noise = client.get(f"{BASE}/services/noise.json").json()
    validate(noise, "service-definition.json")
    assert noise["attributes"][0]["code"] == "noise_period"
    plain = client.get(f"{BASE}/services/streetlight.json").json()
    validate(plain, "service-definition.json")
    missing = client.get(f"{BASE}/services/nothing.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_post_creates_a_routed_ticket(client, validate) -> None:
    response = post(client, lat="30.5928", long="114.3055")
    assert response.status_code == 200, response.text
    body = response.json()
    validate(body, "requests.json")
    number = body[0]["service_request_id"]
    assert body[0]["status"] == "open" and body[0]["service_code"] == "streetlight"
    ticket = client.get(f"/api/tickets/{number}").json()
    assert ticket["channel"] == "open311" and ticket["contact_name"] == "张先生"
    assert ticket["state"] == "已派单" and ticket["district"] == "江汉区"
    one = client.get(f"{BASE}/requests/{number}.json").json()
    validate(one, "requests.json")
    assert one[0]["lat"] == pytest.approx(30.5928) and one[0]["agency_responsible"] == ticket["department"]["name"]
    assert client.get(f"{BASE}/request/{number}.json").json() == one


def test_post_with_attribute_and_coordinates_only(client, validate) -> None:
    body = post(client, service_code="noise", address_string="", lat="30.5", long="114.3",
                description="晚上广场舞音响太响", **{"attribute[noise_period]": "night"}).json()
    validate(body, "requests.json")
    ticket = client.get(f"/api/tickets/{body[0]['service_request_id']}").json()
    assert "夜间" in ticket["description"] and ticket["category"][:2] == ["环境保护", "环境污染"]
    bad = post(client, service_code="noise", **{"attribute[noise_period]": "midnight"})
    assert bad.status_code == 400 and "attribute[noise_period]" in bad.json()[0]["description"]


@pytest.mark.parametrize(("fields", "status"), [
    ({"service_code": "unknown"}, 400),
    ({"address_string": ""}, 400),
    ({"address_string": "", "lat": "abc", "long": "1"}, 400),
    ({"jurisdiction_id": "beijing"}, 404),
    ({"phone": "call me maybe"}, 400),
    ({"media_url": "javascript:alert(1)"}, 400),
])
def test_post_errors_are_arrays(client, fields, status) -> None:
    response = post(client, **fields)
    assert response.status_code == status
    errors = response.json()
    assert isinstance(errors, list) and errors[0]["code"] == status and errors[0]["description"]


def test_post_requires_form_encoding(client) -> None:
    response = client.post(f"{BASE}/requests.json", json=FORM)
    assert response.status_code == 400 and isinstance(response.json(), list)


def test_list_filters(client, validate, make_ticket) -> None:
    light = post(client).json()[0]["service_request_id"]
    noise = post(client, service_code="noise", description="噪音").json()[0]["service_request_id"]
    vague = make_ticket(description="说不清楚的事情")["number"]
    everything = client.get(f"{BASE}/requests.json").json()
    validate(everything, "requests.json")
    assert [r["service_request_id"] for r in everything] == [vague, noise, light]
    assert everything[0]["service_code"] == "other"
    by_code = client.get(f"{BASE}/requests.json", params={"service_code": "streetlight"}).json()
    assert [r["service_request_id"] for r in by_code] == [light]
    other = client.get(f"{BASE}/requests.json", params={"service_code": "other"}).json()
    assert [r["service_request_id"] for r in other] == [vague]
    by_id = client.get(f"{BASE}/requests.json", params={"service_request_id": f"{light},{vague}"}).json()
    assert {r["service_request_id"] for r in by_id} == {light, vague}
    assert client.get(f"{BASE}/requests.json", params={"status": "closed"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", params={"status": "open"}).json()) == 3
    future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    assert client.get(f"{BASE}/requests.json", params={"start_date": future}).json() == []


def test_closed_status_and_notes(client, make_ticket, validate) -> None:
    number = post(client).json()[0]["service_request_id"]
    dept = client.get(f"/api/tickets/{number}").json()["department"]["code"]
    for action, extra in (("sign", {}), ("resolve", {"reply": "已更换灯具"})):
        client.post(f"/api/tickets/{number}/transitions",
                    json={"action": action, "role": "department", "department": dept, **extra})
    closed = client.get(f"{BASE}/requests.json", params={"status": "closed"}).json()
    validate(closed, "requests.json")
    assert closed[0]["status"] == "closed" and "已更换灯具" in closed[0]["status_notes"]


@pytest.mark.parametrize("params", [
    {"start_date": "yesterday"}, {"status": "pending"},
    {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
    {"service_code": "nope"}, {"jurisdiction_id": "nowhere"},
])
def test_list_errors(client, params) -> None:
    response = client.get(f"{BASE}/requests.json", params=params)
    assert response.status_code in (400, 404) and response.json()[0]["code"] == response.status_code


def test_unknown_request_format_and_path(client) -> None:
    assert client.get(f"{BASE}/requests/20200101-000001.json").status_code == 404
    assert client.get(f"{BASE}/requests/garbage.json").json()[0]["code"] == 404
    assert client.get(f"{BASE}/services.xml").status_code == 400
    assert isinstance(client.get(f"{BASE}/nothing").json(), list)


def test_long_description_is_cut_to_schema_limit(client, make_ticket, validate) -> None:
    number = make_ticket(description="路灯" * 3000)["number"]
    body = client.get(f"{BASE}/requests/{number}.json").json()
    validate(body, "requests.json")
    assert len(body[0]["description"]) == 4000


def test_a_database_outage_is_a_503_array_not_a_404() -> None:
    """Regression: ``get_request`` caught every exception, so a dead database answered "not found"."""
    from fastapi.testclient import TestClient

    from ticketing.app import create_app
    from ticketing.core.settings import Settings

    app = create_app(Settings(database_url="postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"))
    with TestClient(app) as client:
        response = client.get(f"{BASE}/requests/20261202-000001.json")
    assert response.status_code == 503 and response.headers["retry-after"] == "2"
    assert response.json() == [{"code": 503, "description": "数据库暂时无法访问，请稍后再试。"}]


def _next_link(response) -> str | None:  # type: ignore[no-untyped-def]
    link = response.headers.get("link")
    if not link:
        return None
    assert link.endswith('>; rel="next"'), link
    return link[1:link.index(">")]


def test_page_size_and_next_links_walk_every_request_once(client, make_ticket, validate) -> None:
    numbers = [make_ticket(description=f"第{i}盏路灯不亮")["number"] for i in range(7)]
    whole = client.get(f"{BASE}/requests.json")
    assert _next_link(whole) is None and [r["service_request_id"] for r in whole.json()] == numbers[::-1]
    seen, url, pages = [], f"{BASE}/requests.json?page_size=3&status=open", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        validate(response.json(), "requests.json")
        assert len(response.json()) <= 3
        seen += [r["service_request_id"] for r in response.json()]
        url, pages = _next_link(response), pages + 1
        assert url is None or ("status=open" in url and "page_size=3" in url)  # the filters travel along
    assert seen == numbers[::-1] and pages == 3


def test_bad_page_size_and_cursor_are_open311_errors(client, make_ticket) -> None:
    for _ in range(3):
        make_ticket()
    link = _next_link(client.get(f"{BASE}/requests.json", params={"page_size": 1}))
    assert link is not None
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    for params in ({"page_size": 0}, {"page_size": 1001}, {"after": "garbage"}):
        response = client.get(f"{BASE}/requests.json", params=params)
        assert response.status_code == 400 and response.json()[0]["code"] == 400, params
    response = client.get(tampered)
    assert response.status_code == 400 and "after" in response.json()[0]["description"]


def test_long_description_in_a_list_is_cut_to_schema_limit(client, make_ticket, validate) -> None:
    make_ticket(description="路灯" * 3000)
    body = client.get(f"{BASE}/requests.json").json()
    validate(body, "requests.json")
    assert len(body[0]["description"]) == 4000 and body[0]["description"].endswith("…")
