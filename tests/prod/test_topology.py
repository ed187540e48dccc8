"""The production topology answers where it should, and only there."""

from __future__ import annotations

import http.client
import json
import re
import socket
import urllib.parse
import uuid

import pytest
import requests

from tests.support.prod_system import INSTANCES, ProdSystem
from tests.support.staff import CSRF_FIELD

pytestmark = [pytest.mark.postgres, pytest.mark.rasa]


def test_every_instance_and_the_front_answer(prod: ProdSystem) -> None:
    for name in INSTANCES:
        assert prod.alive(name), f"{name} exited:\n{prod.log_tail(name)}"
    health = {name: f"{prod.urls[name]}/api/health" for name in ("ticketing-a", "ticketing-b", "nginx")}
    health |= {name: f"{prod.urls[name]}/health" for name in ("actions-a", "actions-b")}
    health |= {name: f"{prod.urls[name]}/status" for name in ("rasa-a", "rasa-b")}
    for name, url in health.items():
        assert requests.get(url, timeout=10).status_code == 200, f"{name} at {url}"


def test_ticketing_workers_share_postgresql(prod: ProdSystem) -> None:
    filed = requests.post(f"{prod.urls['ticketing-a']}/api/tickets", timeout=30, json={
        "description": "小区楼下餐馆油烟很大，窗户都不敢开", "place": "武昌区中南路12号", "channel": "web"})
    assert filed.status_code in (200, 201), filed.text
    number = filed.json()["number"]
    read = requests.get(f"{prod.urls['ticketing-b']}/api/tickets/{number}", timeout=10,
                        headers={"Authorization": f"Bearer {prod.api_token}"})  # reads need the token
    assert read.status_code == 200
    assert prod.tickets_sql("SELECT count(*) FROM tickets WHERE number = %s", number) == [(1,)]


def test_chat_page_opens_its_socket_on_the_front(prod: ProdSystem) -> None:
    page = requests.get(f"{prod.front_url}/", timeout=10).text
    match = re.search(r"var socket = new URL\((\"[^\"]*\")", page)
    assert match, "no socket address on the chat page"
    assert json.loads(match.group(1)) == prod.front_url
    assert str(prod.config.rasa_ports[0]) not in page and str(prod.config.rasa_ports[1]) not in page


def test_socket_io_through_the_front_reaches_rasa(prod: ProdSystem) -> None:
    handshake = requests.get(f"{prod.front_url}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert handshake.status_code == 200 and handshake.text.startswith("0{"), handshake.text[:200]
    assert "sid" in json.loads(handshake.text[1:])


def test_socket_io_websocket_upgrade_passes_the_proxy(prod: ProdSystem) -> None:
    request = (f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{prod.config.front_port}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n")
    with socket.create_connection(("127.0.0.1", prod.config.front_port), timeout=10) as conn:
        conn.sendall(request.encode())
        status_line = conn.recv(4096).split(b"\r\n", 1)[0]
    assert b" 101 " in status_line, status_line


def test_rasa_api_is_on_the_loopback_balancer_not_the_front(prod: ProdSystem) -> None:
    parsed = requests.post(f"{prod.rasa_api_url}/model/parse", json={"text": "路灯坏了"}, timeout=30)
    assert parsed.status_code == 200 and parsed.json()["intent"]["name"], parsed.text
    exposed = requests.post(f"{prod.front_url}/model/parse", json={"text": "路灯坏了"}, timeout=30)
    assert exposed.status_code in (404, 405), "Rasa's unauthenticated HTTP API must not face the public"


def _from_address(source: str, port: int, method: str, path: str, body: str = "",
                  headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """One HTTP request whose TCP connection comes from ``source`` (any 127.x address is ours)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        conn.request(method, path, body=body.encode(), headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def test_ticketing_sees_the_clients_address_and_not_a_forged_one(prod: ProdSystem) -> None:
    """A client at 127.0.0.5 signs in wrongly through the front claiming to be 203.0.113.9: the audit row
    must name 127.0.0.5 (uvicorn believes nginx's X-Forwarded-For; nginx sets it, never appends)."""
    port, client = prod.config.front_port, "127.0.0.5"
    status, headers, form = _from_address(client, port, "GET", "/login")
    csrf = CSRF_FIELD.search(form)
    assert status == 200 and csrf, "no sign-in form through the front"
    user = f"nobody{uuid.uuid4().hex[:8]}"
    body = urllib.parse.urlencode({"username": user, "password": "wrong", "csrf": csrf.group(1)})
    status, _, _ = _from_address(client, port, "POST", "/login", body, {
        "Cookie": headers.get("set-cookie", headers.get("Set-Cookie", "")).split(";", 1)[0],
        "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.9"})
    assert status == 401
    assert prod.tickets_sql("SELECT ip FROM audit_log WHERE username = %s", user) == [(client,)]
