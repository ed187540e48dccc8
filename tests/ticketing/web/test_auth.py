"""Accounts and sign-in: argon2 hashes, lock-out, sessions, CSRF, roles, the admin command."""
from datetime import timedelta
from urllib.parse import unquote

import pytest

from ticketing.services import accounts

from ticketing.cli import main as cli_main
from ticketing.demo import accounts as admin
from ticketing.models.accounts import AuditEntry
from ticketing.core.timefmt import utcnow
from tests.support.accounts import PASSWORD, csrf_from, ensure_account


def _post_login(client, username: str, password: str, **extra):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf": token, **extra},
                       follow_redirects=False)


def test_password_is_stored_as_argon2(app) -> None:
    username = ensure_account(app, "operator")
    with app.state.sessions() as db:
        stored = accounts.find(db, username).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_new_account_rules(app) -> None:
    with app.state.sessions() as db:
        for kwargs in ({"username": "A B", "role": "operator"}, {"username": "x1", "role": "boss"},
                       {"username": "x2", "role": "dept_officer"}, {"username": "x3", "role": "operator",
                                                                   "department": "housing"}):
            with pytest.raises(accounts.AccountError):
                accounts.create_account(db, password="long-enough-1", **kwargs)
        with pytest.raises(accounts.AccountError):
            accounts.create_account(db, username="x4", role="operator", password="short")


def test_sign_in_redirects_by_role_and_signs_out(client, app) -> None:
    response = _post_login(client, ensure_account(app, "operator"), PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/staff/queue"
    assert client.get("/staff/queue").status_code == 200
    stolen = dict(client.cookies)
    token = csrf_from(client.get("/staff/queue").text)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/staff/queue", follow_redirects=False).status_code == 303
    client.cookies.update(stolen)  # a copy of the old cookie is worthless after sign-out
    assert client.get("/staff/queue", follow_redirects=False).headers["location"].startswith("/login")


def test_officer_lands_on_own_department(client, app) -> None:
    response = _post_login(client, ensure_account(app, "dept_officer", "housing"), PASSWORD)
    assert response.headers["location"] == "/dept/tickets"
    assert client.get("/dept/tickets", follow_redirects=False).headers["location"] == "/dept/housing/tickets"


def test_next_is_only_a_local_path(client, app) -> None:
    username = ensure_account(app, "operator")
    location = _post_login(client, username, PASSWORD, next="/staff/tickets?state=已受理").headers["location"]
    assert unquote(location) == "/staff/tickets?state=已受理"
    client.cookies.clear()
    assert _post_login(client, username, PASSWORD, next="//evil.example/x").headers["location"] == "/staff/queue"


def test_sign_in_needs_csrf(client, app) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": ensure_account(app, "operator"), "password": PASSWORD,
                                           "csrf": "forged"}, follow_redirects=False)
    assert response.status_code == 403 and "页面已过期" in response.text


def test_five_failures_lock_for_fifteen_minutes(client, app) -> None:
    username = ensure_account(app, "dispatcher")
    for _ in range(4):
        assert "用户名或密码不正确" in _post_login(client, username, "wrong-password").text
    fifth = _post_login(client, username, "wrong-password")
    assert fifth.status_code == 401 and "已锁定" in fifth.text
    assert "已锁定" in _post_login(client, username, PASSWORD).text  # even the right password
    with app.state.sessions() as db:
        account = accounts.find(db, username)
        assert account.locked_until - utcnow() <= timedelta(minutes=15)
        account.locked_until = utcnow() - timedelta(seconds=1)  # time passes
        db.commit()
    assert _post_login(client, username, PASSWORD).status_code == 303
    with app.state.sessions() as db:
        actions = [e.action for e in db.query(AuditEntry).filter_by(username=username)]
    assert "sign_in_locked" in actions and actions[-1] == "sign_in"


def test_unknown_user_gets_the_same_answer(client) -> None:
    response = _post_login(client, "nobody-here", "whatever-1234")
    assert response.status_code == 401 and "用户名或密码不正确" in response.text


def test_pages_need_sign_in_and_the_right_role(client, app, sign_in) -> None:
    for path in ("/staff/queue", "/staff/tickets", "/staff/intake", "/dept/tickets"):
        assert client.get(path, follow_redirects=False).headers["location"].startswith("/login?next=")
    sign_in("dept_officer", "housing")
    assert client.get("/staff/queue").status_code == 403
    sign_in("operator")
    assert client.get("/dept/housing/tickets").status_code == 403


def test_api_transitions_need_a_token_or_session(client, make_ticket, app) -> None:
    ticket = make_ticket(description="说不清楚")
    url = f"/api/tickets/{ticket['number']}/transitions"
    body = {"action": "dispatch", "role": "staff", "target_department": "housing"}
    anonymous = client.post(url, json=body, headers={"Authorization": ""})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_signed_in"
    wrong = client.post(url, json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_session_identity_overrides_the_body(client, make_ticket, app, sign_in) -> None:
    ticket = make_ticket()
    sign_in("dept_officer", "housing")
    url = f"/api/tickets/{ticket['number']}/transitions"
    body = {"action": "sign", "role": "department", "department": ticket["department"]["code"], "actor": "冒名"}
    response = client.post(url, json=body, headers={"Authorization": ""})
    # The session says housing, whatever the body claims: another department's ticket is not even found.
    assert response.status_code == 404 and response.json()["error"]["code"] == "ticket_not_found"
    assert client.get(f"/api/tickets/{ticket['number']}").json()["state"] == ticket["state"]  # token: unchanged


def test_admin_command_creates_and_seeds(tmp_path, capsys, monkeypatch) -> None:
    from ticketing.store.schema import migrate

    url = f"sqlite:///{tmp_path / 'admin.db'}"
    migrate(url)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-strong-password\n"))
    assert cli_main(["--database-url", url, "create-user", "--username", "zhang", "--role", "dept_officer",
                       "--department", "housing", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-strong-password\n"))
    assert cli_main(["--database-url", url, "create-user", "--username", "zhang", "--role", "operator",
                       "--password-stdin"]) == 2
    assert cli_main(["--database-url", url, "seed-demo-users"]) == 0
    assert cli_main(["--database-url", url, "seed-demo-users"]) == 0  # idempotent
    out = capsys.readouterr().out
    assert out.count("operator    话务员") == 2 and admin.DEMO_PASSWORD in out


def test_secret_key_from_env_or_saved_file(tmp_path) -> None:
    from ticketing.core.secret import load_secret

    assert load_secret("k" * 40, tmp_path / "unused") == "k" * 40
    with pytest.raises(RuntimeError):
        load_secret("short", tmp_path / "unused")
    path = tmp_path / "var" / "secret_key"
    first = load_secret("", path)
    assert len(first) >= 32 and load_secret("", path) == first and (path.stat().st_mode & 0o777) == 0o600


def test_private_pages_are_not_cached_or_framed(client, sign_in) -> None:
    sign_in("operator")
    response = client.get("/staff/queue")
    assert response.headers["cache-control"] == "no-store" and response.headers["x-frame-options"] == "DENY"
    client.cookies.clear()
    cookie = client.get("/login").headers["set-cookie"].lower()  # a fresh visitor gets a session (CSRF)
    assert cookie.startswith("yj_session=") and "httponly" in cookie and "samesite=lax" in cookie


def test_api_reads_need_a_caller_and_mask_contact_for_departments(client, make_ticket, sign_in) -> None:
    ticket = make_ticket(contact_name="张三", contact_phone="13812345678")
    anonymous = make_ticket(contact_name="李四", contact_phone="13900001111", anonymous=True)
    plain = {"Authorization": ""}
    nobody = client.get(f"/api/tickets/{ticket['number']}", headers=plain)
    assert nobody.status_code == 401 and nobody.json()["error"]["code"] == "not_signed_in"
    assert client.get("/api/tickets", headers=plain).status_code == 401
    sign_in("dept_officer", ticket["department"]["code"])
    masked = client.get(f"/api/tickets/{ticket['number']}", headers=plain).json()
    assert masked["contact_phone"] == "138****5678" and masked["contact_name"] == "张*"
    hidden = client.get(f"/api/tickets/{anonymous['number']}", headers=plain).json()
    assert hidden["contact_phone"] is None and hidden["contact_name"] is None
    listing = client.get("/api/tickets", headers=plain).json()["items"]
    assert listing and "13812345678" not in str(listing) and "13900001111" not in str(listing)
    assert client.get(f"/api/tickets/{ticket['number']}").json()["contact_phone"] == "13812345678"  # token
    sign_in("operator")
    assert client.get(f"/api/tickets/{ticket['number']}", headers=plain).json()["contact_phone"] == "13812345678"


def test_many_failures_from_one_address_are_slowed_down(client, app) -> None:
    from ticketing.web import signin

    username = ensure_account(app, "operator")
    for i in range(30):
        _post_login(client, f"nobody-{i}", "wrong-password-1")
    blocked = _post_login(client, username, PASSWORD)
    assert blocked.status_code == 429 and "过于频繁" in blocked.text
    signin.FAILURES.clear()
