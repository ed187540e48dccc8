"""The three yijian servers, wired together on given ports.

One definition serves `make run`, the tests and the production mode (`launcher.prod`): they differ
only in ports, storage, instance names and where logs go.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from launcher.model import rasa_env
from launcher.paths import REPO, bot_bin, ticketing_bin
from launcher.processes import ServiceSpec


@dataclass(frozen=True)
class StackConfig:
    """Ports and storage for one running copy of the system."""

    ticketing_port: int = 8000
    actions_port: int = 5055
    rasa_port: int = 5005
    host: str = "127.0.0.1"
    database_url: str = ""
    public_host: str = "localhost"
    # Shared secret with which the action server runs workflow actions (rating, 直接答复 …) on the
    # ticketing API; one per run unless the operator sets YIJIAN_API_TOKEN.
    api_token: str = field(default_factory=lambda: os.environ.get("YIJIAN_API_TOKEN") or secrets.token_urlsafe(24))
    # Where the chat page's widget opens its socket.io connection; empty: Rasa's own port. Behind a
    # reverse proxy this is the proxy's public address, so the page and the socket share one origin.
    socket_url: str = ""
    # Redis the ticketing service may use for state its workers share (rate limits); empty: none.
    redis_url: str = ""
    # Session-cookie key; empty: the service's own (YIJIAN_SECRET_KEY, else the key saved under var/).
    secret_key: str = ""
    # RabbitMQ for domain events (the relay publishes, the notifier consumes); empty: the notifier reads
    # the outbox itself. Public address in residents' links; empty: http://localhost:<ticketing port>.
    amqp_url: str = ""
    public_base_url: str = ""

    @property
    def ticketing_url(self) -> str:
        return f"http://{self.host}:{self.ticketing_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def public_socket_url(self) -> str:
        return self.socket_url or f"http://{self.public_host}:{self.rasa_port}"


def _ticketing_env(config: StackConfig) -> dict[str, str]:
    env = {"RASA_SOCKET_URL": config.public_socket_url, "YIJIAN_API_TOKEN": config.api_token}
    optional = {"DATABASE_URL": config.database_url, "YIJIAN_REDIS_URL": config.redis_url,
                "YIJIAN_SECRET_KEY": config.secret_key, "YIJIAN_AMQP_URL": config.amqp_url,
                "YIJIAN_PUBLIC_BASE_URL": config.public_base_url or f"http://{config.public_host}:{config.ticketing_port}"}
    env.update({name: value for name, value in optional.items() if value})
    return env


def migrate_database(config: StackConfig) -> None:
    """Create or upgrade the ticket database to the newest Alembic revision."""
    env = {**os.environ, **_ticketing_env(config)}
    subprocess.run([ticketing_bin("python"), "-m", "ticketing.cli", "migrate"], cwd=REPO, env=env, check=True)


def seed_demo(config: StackConfig, tickets: int) -> str:
    """Demo accounts (printed) and, on an empty database, a few hundred demo tickets.

    Returns the account list as the admin command prints it, for the start-up banner.
    """
    env = {**os.environ, **_ticketing_env(config)}
    python = ticketing_bin("python")
    users = subprocess.run([python, "-m", "ticketing.cli", "seed-demo-users"], cwd=REPO, env=env,
                           check=True, capture_output=True, text=True).stdout
    if tickets > 0:
        subprocess.run([python, "-m", "ticketing.cli", "seed", "--count", str(tickets)], cwd=REPO, env=env, check=True)
    return users.rstrip()


def write_endpoints(
    config: StackConfig, run_dir: Path, tracker_db: Path, *, action_url: str = "",
    tracker_store: dict[str, object] | None = None, lock_store: dict[str, object] | None = None,
) -> Path:
    """Rasa's endpoints.yml with the action server's actual address and our tracker store filled in.

    A SQLite tracker store gets an absolute path, so conversations of `make run` live in var/
    and a test run never shares them. The production mode passes its own ``action_url`` (the load
    balancer), a PostgreSQL ``tracker_store`` and a Redis ``lock_store``, which replace the file's.
    """
    endpoints = yaml.safe_load((REPO / "endpoints.yml").read_text(encoding="utf-8")) or {}
    endpoints["action_endpoint"] = {"url": action_url or f"{config.actions_url}/webhook"}
    tracker = tracker_store or endpoints.get("tracker_store") or {}
    if tracker.get("type") == "SQL" and tracker.get("dialect") == "sqlite":
        tracker_db.parent.mkdir(parents=True, exist_ok=True)
        tracker = {**tracker, "db": str(tracker_db)}
    if tracker:
        endpoints["tracker_store"] = tracker
    if lock_store:
        endpoints["lock_store"] = lock_store
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / f"endpoints-{config.rasa_port}.yml"
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return path


def ticketing_spec(config: StackConfig, *, name: str = "ticketing", proxy_ips: str = "") -> ServiceSpec:
    """One uvicorn process. ``proxy_ips``: addresses of a reverse proxy whose X-Forwarded-For and
    X-Forwarded-Proto uvicorn then trusts, so rate limits see the resident's address, not the proxy's."""
    command = [ticketing_bin("uvicorn"), "ticketing.app:app", "--host", config.host,
               "--port", str(config.ticketing_port), "--no-access-log"]
    if proxy_ips:
        command += ["--proxy-headers", "--forwarded-allow-ips", proxy_ips]
    return ServiceSpec(name, command, f"{config.ticketing_url}/api/health", _ticketing_env(config), 60)


def notifier_specs(config: StackConfig, *, suffix: str = "") -> list[ServiceSpec]:
    """The notifier, and the relay when a broker is configured (docs/notifications.md). Neither serves
    HTTP: "ready" is the ticketing service answering, as they only read and write its database."""
    roles = ("notifier", "relay") if config.amqp_url else ("notifier",)
    return [ServiceSpec(f"{role}{suffix}", [ticketing_bin("python"), "-m", "ticketing.notifications", role],
                        f"{config.ticketing_url}/api/health", _ticketing_env(config), 60) for role in roles]


def actions_spec(config: StackConfig, *, name: str = "actions", ticketing_url: str = "") -> ServiceSpec:
    """The action server; ``ticketing_url`` overrides the service it calls (a load balancer)."""
    command = [bot_bin("rasa"), "run", "actions", "--actions", "actions", "--port", str(config.actions_port)]
    # SANIC_HOST: rasa-sdk otherwise listens on every interface, and the action server holds the API token.
    env = {**rasa_env(), "TICKETING_URL": ticketing_url or config.ticketing_url, "YIJIAN_API_TOKEN": config.api_token,
           "SANIC_HOST": config.host}
    return ServiceSpec(name, command, f"{config.actions_url}/health", env, 120)


def rasa_spec(config: StackConfig, model: Path, endpoints: Path, *, name: str = "rasa") -> ServiceSpec:
    command = [
        bot_bin("rasa"), "run", "--model", str(model), "--enable-api", "--cors", "*",
        "--port", str(config.rasa_port), "--interface", config.host,
        "--credentials", str(REPO / "credentials.yml"), "--endpoints", str(endpoints),
    ]
    env = rasa_env()
    env.setdefault("SANIC_BACKLOG", "1024")  # Rasa's default 100 overflowed with 200 residents in flight
    if config.redis_url:  # the chat channels' rate limits (bot/channels) are then shared by every instance
        env["YIJIAN_REDIS_URL"] = config.redis_url
    return ServiceSpec(name, command, f"{config.rasa_url}/status", env, 240)
