"""Failures become one problem, written by the renderer registered for the path (JSON API by default)."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from ticketing.core.errors import ApiError
from ticketing.http import errors
from ticketing.http.errors import Problem
from ticketing.open311 import errors as open311_errors


def test_each_path_answers_in_its_own_shape(client) -> None:
    assert client.get("/api/nothing").json() == {
        "error": {"code": "not_found", "message": "请求的地址不存在。", "details": []}}
    assert client.get("/open311/v2/nothing").json() == [{"code": 404, "description": "请求的地址不存在。"}]
    page = client.get("/nothing", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "请求的地址不存在。" in page.text
    assert client.get("/api/nothing", headers={"Accept": "text/html"}).json()["error"]["code"] == "not_found"


def test_a_refused_method_names_the_allowed_ones_in_both_shapes(client) -> None:
    api = client.delete("/api/health")
    open311 = client.delete("/open311/v2/services.json")
    assert (api.status_code, open311.status_code) == (405, 405)
    assert api.headers["allow"] == open311.headers["allow"] == "GET"
    assert open311.json() == [{"code": 405, "description": "不支持该请求方法。"}]


def test_open311_writes_a_refused_request_as_one_line_per_field() -> None:
    problem = Problem(422, errors.VALIDATION_ERROR, "提交的内容有误：…", [
        {"field": "lat", "type": "float_parsing", "message": "应为数字。"},
        {"field": "phone", "type": "string_pattern_mismatch", "message": "格式不正确。"}])
    response = open311_errors.render(None, problem)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.body.decode() == '[{"code":400,"description":"lat：应为数字。"},{"code":400,"description":"phone：格式不正确。"}]'


def test_a_registered_renderer_writes_every_failure_under_its_prefix() -> None:
    app = FastAPI()

    def plain(_request: Request, problem: Problem) -> PlainTextResponse:
        return PlainTextResponse(f"{problem.status} {problem.code}", status_code=problem.status)

    errors.install(app, renderers={"/plain/": plain})

    @app.get("/plain/refused")
    @app.get("/json/refused")
    def refused() -> None:
        raise ApiError(409, "conflict", "冲突。")

    @app.get("/plain/broken")
    def broken() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/plain/refused").text == "409 conflict"
        assert client.get("/plain/missing").text == "404 not_found"
        assert client.get("/plain/broken").text == "500 internal_error"
        assert client.get("/json/refused").json() == {"error": {"code": "conflict", "message": "冲突。", "details": []}}
