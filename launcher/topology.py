"""The production topology: two of each server behind one nginx, on PostgreSQL and Redis.

`launcher.prod` (`make run-prod`) and the tests' `ProdSystem` both build their processes here, so
the tests exercise exactly what an operator starts. Instances are named ``rasa-a``/``rasa-b``,
``actions-a``/``actions-b``, ``ticketing-a``/``ticketing-b`` and ``nginx``.

Why two ticketing *processes* rather than ``uvicorn --workers 2``: each one is then an nginx
upstream of its own, so a crashed or hung worker is skipped by the proxy and can be killed,
restarted and measured (memory, latency) on its own — the same shape as the Rasa and action pairs.
"""

from __future__ import annotations

import json
import secrets
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from launcher import nginx, processes
from launcher.backing import Postgres, Redis
from launcher.processes import ServiceSpec
from launcher.stack import (
    StackConfig, actions_spec, migrate_database, notifier_specs, rasa_spec, seed_demo, ticketing_spec, write_endpoints,
)

INSTANCES = ("a", "b")
PROXY_IPS = "127.0.0.1"  # uvicorn trusts X-Forwarded-For only from our own nginx


@dataclass(frozen=True)
class ProdConfig:
    """Everything one production copy needs: ports, databases, Redis, shared secrets."""

    front_port: int
    actions_lb_port: int
    rasa_api_port: int
    ticketing_ports: tuple[int, int]
    rasa_ports: tuple[int, int]
    action_ports: tuple[int, int]
    postgres: Postgres = Postgres()
    tickets_db: str = "yijian"
    tracker_db: str = "yijian_tracker"
    redis: Redis = Redis()
    lock_prefix: str = "yijian"  # Rasa's lock keys: "<prefix>:lock:<conversation id>"
    public_url: str = ""  # the address residents type; empty: http://localhost:<front_port>
    api_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    secret_key: str = ""  # empty: the service's YIJIAN_SECRET_KEY or its saved key under var/ (shared)
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"  # RabbitMQ: the relay publishes, the notifier consumes

    @property
    def front_public_url(self) -> str:
        return self.public_url or f"http://localhost:{self.front_port}"

    @property
    def layout(self) -> nginx.ProxyLayout:
        return nginx.ProxyLayout(self.front_port, self.actions_lb_port, self.rasa_api_port,
                                 self.ticketing_ports, self.rasa_ports, self.action_ports)

    def all_ports(self) -> dict[str, int]:
        ports = {"front (nginx)": self.front_port, "actions balancer (nginx)": self.actions_lb_port,
                 "Rasa API balancer (nginx)": self.rasa_api_port}
        for index, instance in enumerate(INSTANCES):
            ports[f"ticketing-{instance}"] = self.ticketing_ports[index]
            ports[f"rasa-{instance}"] = self.rasa_ports[index]
            ports[f"actions-{instance}"] = self.action_ports[index]
        return ports

    def stack(self, index: int) -> StackConfig:
        """The dev stack's configuration for instance ``index`` of each pair."""
        return StackConfig(
            ticketing_port=self.ticketing_ports[index], actions_port=self.action_ports[index],
            rasa_port=self.rasa_ports[index], database_url=self.postgres.sqlalchemy_url(self.tickets_db),
            api_token=self.api_token, socket_url=self.front_public_url, redis_url=self.redis.url,
            secret_key=self.secret_key, amqp_url=self.amqp_url, public_base_url=self.front_public_url,
        )


def prepare_storage(config: ProdConfig, demo_tickets: int) -> str:
    """Check PostgreSQL and Redis, create both databases when missing, migrate, seed demo data.

    Returns the demo-account list for the banner. Raises `BackingServiceDown` with an operator's
    message when a backing service does not answer.
    """
    config.postgres.check()
    config.redis.check()
    for database in (config.tickets_db, config.tracker_db):
        config.postgres.ensure_database(database)
    migrate_database(config.stack(0))
    return seed_demo(config.stack(0), demo_tickets)


def service_specs(config: ProdConfig, model: Path, run_dir: Path) -> dict[str, ServiceSpec]:
    """Every process of the topology by instance name, in a sensible start order."""
    specs: dict[str, ServiceSpec] = {}
    front = config.layout.front_url
    for index, instance in enumerate(INSTANCES):
        stack = config.stack(index)
        specs[f"ticketing-{instance}"] = ticketing_spec(stack, name=f"ticketing-{instance}", proxy_ips=PROXY_IPS)
    for index, instance in enumerate(INSTANCES):
        specs[f"actions-{instance}"] = actions_spec(config.stack(index), name=f"actions-{instance}",
                                                    ticketing_url=front)
    for spec in notifier_specs(config.stack(0)):  # one relay and one notifier (claims make more safe too)
        specs[spec.name] = spec
    nginx_config = nginx.write_config(config.layout, run_dir)
    nginx.check_config(nginx_config)
    specs["nginx"] = nginx.nginx_spec(config.layout, nginx_config)
    for index, instance in enumerate(INSTANCES):
        stack = config.stack(index)
        endpoints = write_endpoints(
            stack, run_dir, run_dir / "unused-sqlite-tracker.db",
            action_url=f"{config.layout.actions_url}/webhook",
            tracker_store=config.postgres.rasa_tracker_store(config.tracker_db),
            lock_store=config.redis.rasa_lock_store(config.lock_prefix),
        )
        specs[f"rasa-{instance}"] = rasa_spec(stack, model, endpoints, name=f"rasa-{instance}")
    return specs



def wait_ready(service: processes.RunningService) -> float:
    """Wait until the instance answers; for Rasa also insist that its model loaded.

    Rasa keeps serving after a failed model load (e.g. a truncated archive) and then ignores every
    message, while `/status` still answers (409): behind a balancer that would be a silent half-outage.
    """
    seconds = processes.wait_ready(service)
    if service.spec.name.startswith("rasa"):
        status_url = service.spec.ready_url
        try:
            with urllib.request.urlopen(status_url, timeout=10) as response:
                model = json.load(response).get("model_file")
        except (OSError, ValueError):
            model = None
        if not model:
            raise processes.ServiceFailed(f"{service.spec.name} answers but has no model loaded:\n"
                                          f"{service.log_tail()}")
    return seconds
