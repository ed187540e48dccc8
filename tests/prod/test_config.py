"""The production mode's generated configuration, without starting servers (fast, no services)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
import yaml

from launcher.backing import BackingServiceDown, Postgres, Redis
from launcher.nginx import ProxyLayout, check_config, nginx_available, write_config
from launcher import processes
from launcher.paths import REPO
from launcher.processes import ServiceSpec
from launcher.prod import config_from_env, preflight, supervise
from launcher.topology import service_specs
from tests.support.ports import free_port

needs_nginx = pytest.mark.skipif(not nginx_available(), reason="nginx is missing (make nginx)")
LAYOUT = ProxyLayout(front_port=18080, actions_port=18001, rasa_api_port=18000, ticketing_ports=(18010, 18011),
                     rasa_ports=(18020, 18021), action_ports=(18030, 18031))


@needs_nginx
def test_nginx_accepts_the_generated_config(tmp_path: Path) -> None:
    check_config(write_config(LAYOUT, tmp_path))


def test_only_the_front_listens_beyond_the_loopback(tmp_path: Path) -> None:
    listens = re.findall(r"listen (\S+);", write_config(LAYOUT, tmp_path).read_text())
    assert sorted(listens) == ["0.0.0.0:18080", "127.0.0.1:18000", "127.0.0.1:18001"]


def test_every_path_nginx_writes_stays_in_its_run_directory(tmp_path: Path) -> None:
    text = write_config(LAYOUT, tmp_path).read_text()
    paths = re.findall(r"(?:pid|error_log|access_log|_temp_path) (/\S+)", text)
    assert len(paths) == 8 and all(p.startswith(str(tmp_path.resolve())) for p in paths), paths
    assert "daemon off;" in text


def test_environment_overrides_ports_and_storage() -> None:
    config = config_from_env({"YIJIAN_FRONT_PORT": "9090", "YIJIAN_PROD_PORT_BASE": "20000",
                              "YIJIAN_TICKETS_DB": "t1", "YIJIAN_TRACKER_DB": "t2",
                              "YIJIAN_REDIS_URL": "redis://10.0.0.2:6380/3", "YIJIAN_PG_USER": "yj"})
    assert config.front_port == 9090 and config.rasa_ports == (20020, 20021)
    assert config.redis == Redis("10.0.0.2", 6380, 3)
    assert config.stack(1).database_url == "postgresql+psycopg://yj@127.0.0.1:5432/t1"
    assert config.front_public_url == "http://localhost:9090"


@needs_nginx  # service_specs checks the nginx config it writes
def test_rasa_endpoints_share_tracker_and_locks_and_call_actions_through_nginx(tmp_path: Path) -> None:
    config = config_from_env({"YIJIAN_PROD_PORT_BASE": "20000"})
    specs = service_specs(config, tmp_path / "model.tar.gz", tmp_path)
    endpoints = [yaml.safe_load(Path(specs[name].command[specs[name].command.index("--endpoints") + 1]).read_text())
                 for name in ("rasa-a", "rasa-b")]
    assert endpoints[0] == endpoints[1]
    assert endpoints[0]["tracker_store"] == {"type": "SQL", "dialect": "postgresql", "url": "127.0.0.1",
                                             "port": 5432, "db": "yijian_tracker", "username": "postgres"}
    assert endpoints[0]["lock_store"] == {"type": "bot.lock_store.AtomicRedisLockStore", "url": "127.0.0.1",
                                          "port": 6379, "db": 0, "key_prefix": "yijian"}
    assert endpoints[0]["action_endpoint"]["url"] == f"{config.layout.actions_url}/webhook"


@needs_nginx
def test_ticketing_workers_trust_only_the_local_proxy_and_get_redis(tmp_path: Path) -> None:
    config = config_from_env({"YIJIAN_PROD_PORT_BASE": "20000", "YIJIAN_PUBLIC_URL": "https://12345.example.cn/"})
    spec = service_specs(config, tmp_path / "model.tar.gz", tmp_path)["ticketing-b"]
    assert spec.command[-3:] == ["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]
    assert spec.env["YIJIAN_REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert spec.env["RASA_SOCKET_URL"] == "https://12345.example.cn"


def test_postgres_urls_quote_credentials() -> None:
    postgres = Postgres(user="yi jian", password="p@ss/word")
    assert postgres.sqlalchemy_url("db") == "postgresql+psycopg://yi%20jian:p%40ss%2Fword@127.0.0.1:5432/db"


def test_a_silent_postgresql_or_redis_is_named_in_the_error() -> None:
    with pytest.raises(BackingServiceDown, match=r"PostgreSQL does not answer at postgres@127\.0\.0\.1:"):
        Postgres(port=free_port()).check()
    with pytest.raises(BackingServiceDown, match=r"Redis does not answer at 127\.0\.0\.1:"):
        Redis(port=free_port()).check()


@needs_nginx
def test_busy_ports_are_refused_by_name() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        problem = preflight(config_from_env({"YIJIAN_FRONT_PORT": str(port), "YIJIAN_PROD_PORT_BASE": "20000"}))
    assert problem and f"front (nginx) port {port}" in problem


def test_supervisor_restarts_a_dead_instance_then_gives_up_on_one_that_keeps_dying(tmp_path: Path) -> None:
    spec = ServiceSpec("flaky", ["sh", "-c", "echo boom; exit 3"], "http://127.0.0.1:9/")
    running = {"flaky": processes.start(spec, REPO, tmp_path)}
    assert supervise(running, tmp_path) == 1
    kept = sorted(tmp_path.glob("flaky.died-*.log"))
    assert kept and all(path.read_text().strip() == "boom" for path in kept)


@needs_nginx
def test_when_no_instance_answers_residents_read_chinese_not_nginx_english(tmp_path: Path) -> None:
    """Every upstream port is closed: nginx answers for them, in the shape each client expects."""
    import json
    import subprocess
    import time

    import requests

    layout = ProxyLayout(front_port=free_port(), actions_port=free_port(), rasa_api_port=free_port(),
                         ticketing_ports=(free_port(),), rasa_ports=(free_port(),), action_ports=(free_port(),),
                         front_host="127.0.0.1")
    config = write_config(layout, tmp_path)
    command = ["/usr/sbin/nginx", "-p", str(tmp_path.resolve()), "-e", str(tmp_path / "nginx-error.log"),
               "-c", str(config.resolve())]
    nginx = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", layout.front_port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        chat = requests.post(f"{layout.front_url}/webhooks/rest/webhook",
                             json={"sender": "s", "message": "你好"}, timeout=10)
        assert chat.status_code == 502 and chat.headers["content-type"].startswith("application/json")
        assert "请再发送一次" in json.loads(chat.content.decode("utf-8"))[0]["text"]
        page = requests.get(f"{layout.front_url}/staff/tickets", timeout=10)
        assert page.status_code == 502 and "服务暂时不可用" in page.content.decode("utf-8")
        assert "nginx" not in chat.text + page.text
    finally:
        nginx.terminate()
        nginx.wait(10)
