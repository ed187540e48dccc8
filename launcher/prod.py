"""`make run-prod`: the production topology on this machine's PostgreSQL and Redis.

Two Rasa servers, two action servers and two ticketing workers behind our own nginx on one front
port (default 8080). Tickets live in PostgreSQL database `yijian`, Rasa's conversations in
`yijian_tracker` (both created when missing), Rasa's conversation locks in Redis; so a conversation
whose turns land on different Rasa instances keeps its state. An instance that dies is restarted
while its twin carries the load; Ctrl-C stops everything. See docs/production.md.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from launcher import processes, topology
from launcher.backing import BackingServiceDown, Postgres, Redis
from launcher.model import ensure_model
from launcher.nginx import nginx_available
from launcher.paths import REPO, RUN_LOGS
from launcher.topology import ProdConfig, prepare_storage, service_specs

RUN_DIR = RUN_LOGS / "prod"
RESTARTS_ALLOWED = 3  # per instance within RESTART_WINDOW; more means it cannot run: give up
RESTART_WINDOW = 300.0


def config_from_env(env: dict[str, str] | None = None) -> ProdConfig:
    """Ports and connections from YIJIAN_* variables (docs/production.md lists them)."""
    env = dict(os.environ if env is None else env)
    base = int(env.get("YIJIAN_PROD_PORT_BASE", 18000))
    postgres = Postgres(env.get("YIJIAN_PG_HOST", "127.0.0.1"), int(env.get("YIJIAN_PG_PORT", 5432)),
                        env.get("YIJIAN_PG_USER", "postgres"), env.get("YIJIAN_PG_PASSWORD", ""))
    return ProdConfig(
        front_port=int(env.get("YIJIAN_FRONT_PORT", 8080)),
        rasa_api_port=base, actions_lb_port=base + 1,
        ticketing_ports=(base + 10, base + 11), rasa_ports=(base + 20, base + 21), action_ports=(base + 30, base + 31),
        postgres=postgres,
        tickets_db=env.get("YIJIAN_TICKETS_DB", "yijian"), tracker_db=env.get("YIJIAN_TRACKER_DB", "yijian_tracker"),
        redis=Redis.from_url(env.get("YIJIAN_REDIS_URL", "redis://127.0.0.1:6379/0")),
        public_url=env.get("YIJIAN_PUBLIC_URL", "").rstrip("/"),
        **({"api_token": env["YIJIAN_API_TOKEN"]} if env.get("YIJIAN_API_TOKEN") else {}),
        secret_key=env.get("YIJIAN_SECRET_KEY", ""),
        amqp_url=env.get("YIJIAN_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"),
    )


def banner(config: ProdConfig, seconds: float, accounts: str) -> str:
    page = config.front_public_url
    layout = config.layout
    pair = lambda ports: " and ".join(f":{port}" for port in ports)  # noqa: E731
    return "\n".join([
        "", accounts, "",
        f"yijian 一键回应 production mode is up ({seconds:.0f} s), all through nginx on port {config.front_port}:",
        f"  resident chat page   {page}/",
        f"  staff sign-in        {page}/login  (console, department portal, dashboard)",
        f"  hotline staff list   {page}/staff/tickets",
        f"  supervisor dashboard {page}/supervise/",
        f"  ticketing API        {page}/openapi.json",
        f"  Rasa REST webhook    {page}/webhooks/rest/webhook  (socket.io at {page}/socket.io/)",
        f"  Rasa HTTP API        {layout.rasa_api_url}  (loopback only: /model/parse, /conversations/…)",
        f"  behind it            ticketing {pair(config.ticketing_ports)}, Rasa {pair(config.rasa_ports)}, "
        f"actions {pair(config.action_ports)} via {layout.actions_url}",
        f"  storage              PostgreSQL {config.postgres.host}:{config.postgres.port} databases "
        f"{config.tickets_db} (tickets) and {config.tracker_db} (conversations); Redis {config.redis.url} (locks)",
        f"  events and notices   RabbitMQ {config.amqp_url.split('@')[-1]} exchange yijian.events (relay, notifier); "
        f"demo mail and SMS at {page}/staff/dev/notifications unless YIJIAN_SMTP_URL / YIJIAN_SMS_URL are set",
        f"  logs                 {RUN_DIR.relative_to(REPO)}/*.log",
        "Press Ctrl-C to stop everything.", "",
    ])


def busy_ports(config: ProdConfig) -> list[str]:
    return [f"{name} port {port}" for name, port in config.all_ports().items()
            if processes.port_in_use("127.0.0.1", port)]


def supervise(running: dict[str, processes.RunningService], run_dir: Path = RUN_DIR) -> int:
    """Restart an instance that died (its twin serves meanwhile); give up on one that keeps dying."""
    deaths: dict[str, list[float]] = {}
    while True:
        time.sleep(1)
        for name, service in list(running.items()):
            if service.process.poll() is None:
                continue
            now = time.monotonic()
            recent = [t for t in deaths.get(name, []) if now - t < RESTART_WINDOW] + [now]
            deaths[name] = recent
            print(f"[prod] {name} exited with code {service.process.returncode}:\n{service.log_tail(10)}",
                  file=sys.stderr, flush=True)
            if len(recent) > RESTARTS_ALLOWED:
                print(f"[prod] {name} died {len(recent)} times in {RESTART_WINDOW:.0f} s; stopping.", file=sys.stderr)
                return 1
            kept = service.log_path.with_name(f"{name}.died-{time.strftime('%H%M%S')}.log")
            service.log_path.rename(kept)  # the restart writes a fresh log; keep the one that explains the death
            print(f"[prod] restarting {name} (its last log: {kept})…", flush=True)
            running[name] = processes.start(service.spec, REPO, run_dir)


def preflight(config: ProdConfig) -> str | None:
    """A message saying why we cannot start, or None."""
    if not nginx_available():
        return "nginx is missing: run `make nginx` (Debian's nginx binary; its service is never started)."
    busy = busy_ports(config)
    if busy:
        return (f"already in use: {', '.join(busy)}. Is another `make run-prod` still up? Stop it, or choose "
                "YIJIAN_FRONT_PORT and YIJIAN_PROD_PORT_BASE (internal ports base … base+31).")
    return None


def run(config: ProdConfig, running: dict[str, processes.RunningService]) -> int:
    """Prepare storage, start every instance into ``running``, print the banner, then supervise."""
    print("[prod] checking PostgreSQL and Redis, migrating and seeding the ticket database…", flush=True)
    accounts = prepare_storage(config, int(os.environ.get("YIJIAN_DEMO_TICKETS", 300)))
    specs = service_specs(config, ensure_model(), RUN_DIR)
    started = time.monotonic()
    for name, spec in specs.items():
        print(f"[prod] starting {name}…", flush=True)
        running[name] = processes.start(spec, REPO, RUN_DIR)
    for name, service in running.items():
        print(f"[prod] {name} ready after {topology.wait_ready(service):.0f} s", flush=True)
    print(banner(config, time.monotonic() - started, accounts), flush=True)
    return supervise(running)


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    config = config_from_env()
    problem = preflight(config)
    if problem:
        print(f"[prod] {problem}", file=sys.stderr)
        return 1
    running: dict[str, processes.RunningService] = {}
    try:
        return run(config, running)
    except (BackingServiceDown, processes.ServiceFailed) as failure:
        print(f"[prod] {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n[prod] stopping…", flush=True)
        return 0
    finally:
        for service in reversed(list(running.values())):
            processes.stop(service)


if __name__ == "__main__":
    sys.exit(main())
