"""One typed settings object: every variable reaches its field, bad values stop the start, and no other
module of ``ticketing/`` reads the environment behind its back."""
from __future__ import annotations

import ipaddress
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from ticketing.app import create_app
from ticketing.core.settings import ENV_NAMES, PACKAGE_DIR, REPO_ROOT, Settings, load_settings

READS_ENVIRONMENT = re.compile(r"\bos\.environ\b|\bgetenv\b|from\s+os\s+import[^\n]*\benviron\b")
ENV_EXAMPLE = PACKAGE_DIR / ".env.example"

# variable, value in the environment, field, value the field must hold
EXAMPLES = [
    ("DATABASE_URL", "postgresql+psycopg://u@db:5432/t", "database_url", "postgresql+psycopg://u@db:5432/t"),
    ("RASA_SOCKET_URL", "https://12345.example.cn", "rasa_socket_url", "https://12345.example.cn"),
    ("WEBCHAT_JS", "/opt/webchat.js", "webchat_js", Path("/opt/webchat.js")),
    ("ECHARTS_JS", "/opt/echarts.min.js", "echarts_js", Path("/opt/echarts.min.js")),
    ("YIJIAN_CONFIG_DIR", "/etc/yijian", "config_dir", Path("/etc/yijian")),
    ("YIJIAN_TZ", "Asia/Urumqi", "timezone", "Asia/Urumqi"),
    ("YIJIAN_HOTLINE_NUMBER", "027-12345", "hotline_number", "027-12345"),
    ("YIJIAN_SECRET_KEY", "s" * 40, "secret_key", "s" * 40),
    ("YIJIAN_COOKIE_SECURE", "1", "cookie_secure", True),
    ("YIJIAN_API_TOKEN", "token-abc", "api_token", "token-abc"),
    ("OPEN311_API_KEYS", "k1, k2,,", "open311_api_keys", frozenset({"k1", "k2"})),
    ("YIJIAN_REDIS_URL", "redis://10.0.0.2:6380/3", "redis_url", "redis://10.0.0.2:6380/3"),
    ("YIJIAN_RATE_LIMIT_PREFIX", "other:rl:", "rate_limit_prefix", "other:rl:"),
    ("YIJIAN_TRUSTED_PROXIES", "10.0.0.0/8, ::1", "trusted_proxies",
     (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1"))),
    ("YIJIAN_PUBLIC_BASE_URL", "https://wh12345.cn", "public_base_url", "https://wh12345.cn"),
    ("YIJIAN_AMQP_URL", "amqp://u:p@mq:5672/%2F", "amqp_url", "amqp://u:p@mq:5672/%2F"),
    ("YIJIAN_SMTP_URL", "smtp://mail:25", "smtp_url", "smtp://mail:25"),
    ("YIJIAN_MAIL_FROM", "热线 <a@b.cn>", "mail_from", "热线 <a@b.cn>"),
    ("YIJIAN_SMS_URL", "https://sms.example.cn/send", "sms_url", "https://sms.example.cn/send"),
    ("YIJIAN_SMS_ACCESS_KEY", "ak-1", "sms_access_key", "ak-1"),
    ("YIJIAN_SMS_SECRET", "sk-1", "sms_secret", "sk-1"),
    ("YIJIAN_NOTIFY_POLL_SECONDS", "0.2", "notify_poll_seconds", 0.2),
    ("YIJIAN_NOTIFY_DEV_LOG", "/tmp/n.jsonl", "notify_dev_log", Path("/tmp/n.jsonl")),
    ("YIJIAN_DEMO_PASSWORD", "demo-pass-123", "demo_password", "demo-pass-123"),
    ("YIJIAN_SEED_OWN_EXAMPLES", "true", "seed_own_examples", True),
    ("YIJIAN_TEST_FAST_HASH", "yes", "test_fast_hash", True),
]


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No variable of ours set (the test suite's own token and hash switch included)."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _plain(value: object) -> object:
    return value.get_secret_value() if hasattr(value, "get_secret_value") else value


def test_no_module_reads_the_environment_but_settings() -> None:
    assert READS_ENVIRONMENT.search('token = os.environ.get("YIJIAN_API_TOKEN", "")'), "the check itself is blind"
    offenders = [f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
                 for path in sorted(PACKAGE_DIR.rglob("*.py")) if path != PACKAGE_DIR / "core" / "settings.py"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if READS_ENVIRONMENT.search(line)]
    assert not offenders, "read it through ticketing.core.settings instead:\n" + "\n".join(offenders)


def test_every_variable_has_an_example_here() -> None:
    assert sorted(name for name, *_ in EXAMPLES) == sorted(ENV_NAMES)


@pytest.mark.parametrize(("name", "raw", "field", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_each_variable_reaches_its_field(clean_env: pytest.MonkeyPatch, name: str, raw: str, field: str,
                                         expected: object) -> None:
    default = getattr(Settings(), field)
    clean_env.setenv(name, raw)
    assert _plain(getattr(load_settings(), field)) == expected != _plain(default)


BAD_VALUES = [("YIJIAN_COOKIE_SECURE", "maybe"), ("YIJIAN_TEST_FAST_HASH", "2"), ("YIJIAN_TZ", "Mars/Olympus"),
              ("YIJIAN_TRUSTED_PROXIES", "10.0.0.0/8,nginx")]


@pytest.mark.parametrize(("name", "raw"), BAD_VALUES)
def test_a_bad_value_fails_naming_the_variable(clean_env: pytest.MonkeyPatch, name: str, raw: str) -> None:
    clean_env.setenv(name, raw)
    with pytest.raises(ValidationError) as failure:
        load_settings()
    assert name in str(failure.value) and raw in str(failure.value)


def test_blank_means_default_except_for_trusted_proxies(clean_env: pytest.MonkeyPatch) -> None:
    defaults = Settings()
    for name in ENV_NAMES:
        clean_env.setenv(name, "  ")
    blank = load_settings()
    assert blank.trusted_proxies == (), "blank proxies: trust nobody"
    assert blank.model_dump(exclude={"trusted_proxies"}) == defaults.model_dump(exclude={"trusted_proxies"})


def test_arguments_win_over_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DATABASE_URL", "sqlite:///from-env.db")
    assert Settings(database_url="sqlite:///given.db").database_url == "sqlite:///given.db"
    assert Settings().database_url == "sqlite:///from-env.db"


def test_env_example_names_exactly_the_settings_with_their_defaults(clean_env: pytest.MonkeyPatch) -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE)
    assert sorted(names) == sorted(ENV_NAMES) and len(names) == len(set(names))
    assert Settings(_env_file=ENV_EXAMPLE) == Settings(), "a value in .env.example is not the default"


def test_the_clock_follows_the_time_zone_setting() -> None:
    script = "from ticketing.core.timefmt import CHINA_TZ; print(CHINA_TZ.key)"
    env = {"PATH": "/usr/bin:/bin", "YIJIAN_TZ": "Asia/Urumqi"}
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "Asia/Urumqi"


def test_the_app_takes_cookie_and_token_from_its_settings(sqlite_url: str) -> None:
    app = create_app(Settings(database_url=sqlite_url, cookie_secure=True, api_token="app-token-0123456789",
                              secret_key="c" * 40))
    try:
        with TestClient(app) as client:
            assert "secure" in client.get("/login").headers["set-cookie"].lower()
            created = client.post("/api/tickets", json={"description": "小区门口路灯坏了"}).json()["number"]
            moved = client.post(f"/api/tickets/{created}/transitions", json={"action": "supplement", "role": "staff",
                                                                              "note": "补充"},
                                headers={"Authorization": "Bearer app-token-0123456789"})
            assert moved.status_code == 200, moved.text
    finally:
        app.state.engine.dispose()
