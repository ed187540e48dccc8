"""`make run`: start the ticketing service, the action server and Rasa; print the URLs.

Everything runs on the embedded defaults (SQLite, in-memory lock store). Ctrl-C stops all three.
Ports come from YIJIAN_TICKETING_PORT, YIJIAN_ACTIONS_PORT and YIJIAN_RASA_PORT when set. Demo
accounts are created and printed; an empty database gets YIJIAN_DEMO_TICKETS (default 300) demo
tickets, from the shared real messages when they are there (0 turns that off).
"""

from __future__ import annotations

import os
import signal
import sys
import time

from launcher import processes
from launcher.model import ensure_model
from launcher.paths import REPO, RUN_LOGS
from launcher.stack import (
    StackConfig, actions_spec, migrate_database, notifier_specs, rasa_spec, seed_demo, ticketing_spec,
    write_endpoints,
)


def _config_from_env() -> StackConfig:
    return StackConfig(
        ticketing_port=int(os.environ.get("YIJIAN_TICKETING_PORT", 8000)),
        actions_port=int(os.environ.get("YIJIAN_ACTIONS_PORT", 5055)),
        rasa_port=int(os.environ.get("YIJIAN_RASA_PORT", 5005)),
        database_url=os.environ.get("DATABASE_URL", ""),
        amqp_url=os.environ.get("YIJIAN_AMQP_URL", ""),
    )


def _banner(config: StackConfig, seconds: float, accounts: str) -> str:
    page = f"http://localhost:{config.ticketing_port}"
    return "\n".join([
        "",
        accounts,
        "",
        f"yijian 一键回应 is up ({seconds:.0f} s):",
        f"  resident chat page   {page}/",
        f"  staff sign-in        {page}/login  (console, department portal, dashboard)",
        f"  hotline staff list   {page}/staff/tickets",
        f"  supervisor dashboard {page}/supervise/",
        f"  ticketing API        {page}/openapi.json  (see docs/ticketing-api.md)",
        f"  Rasa server          http://localhost:{config.rasa_port}  (socket.io, REST webhook)",
        f"  action server        http://localhost:{config.actions_port}",
        f"  notices to residents {page}/staff/dev/notifications  (demo mail and SMS, staff sign-in; "
        f"also var/notifications-dev.jsonl{'; events via RabbitMQ' if config.amqp_url else ''})",
        f"  logs                 {RUN_LOGS.relative_to(REPO)}/*.log",
        "Press Ctrl-C to stop everything.",
        "",
    ])


def _busy_ports(config: StackConfig) -> list[str]:
    ports = {"ticketing": config.ticketing_port, "actions": config.actions_port, "rasa": config.rasa_port}
    return [f"{name} port {port}" for name, port in ports.items() if processes.port_in_use(config.host, port)]


def main() -> int:
    config = _config_from_env()
    busy = _busy_ports(config)
    if busy:
        print(f"[run] already in use: {', '.join(busy)}. Is another `make run` still up? Stop it, or choose "
              "other ports with YIJIAN_TICKETING_PORT, YIJIAN_ACTIONS_PORT, YIJIAN_RASA_PORT.", file=sys.stderr)
        return 1
    model = ensure_model()
    print("[run] migrating the ticket database…", flush=True)
    migrate_database(config)
    accounts = seed_demo(config, int(os.environ.get("YIJIAN_DEMO_TICKETS", 300)))
    endpoints = write_endpoints(config, RUN_LOGS, REPO / "var" / "rasa_tracker.db")
    specs = [ticketing_spec(config), *notifier_specs(config), actions_spec(config), rasa_spec(config, model, endpoints)]
    started = time.monotonic()
    running: list[processes.RunningService] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for spec in specs:
            print(f"[run] starting {spec.name}…", flush=True)
            running.append(processes.start(spec, REPO, RUN_LOGS))
        for service in running:
            seconds = processes.wait_ready(service)
            print(f"[run] {service.spec.name} ready after {seconds:.0f} s", flush=True)
        print(_banner(config, time.monotonic() - started, accounts), flush=True)
        while all(service.process.poll() is None for service in running):
            time.sleep(1)
        dead = next(s for s in running if s.process.poll() is not None)
        print(f"[run] {dead.spec.name} stopped unexpectedly:\n{dead.log_tail()}", file=sys.stderr)
        return 1
    except processes.ServiceFailed as failure:
        print(f"[run] {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n[run] stopping…", flush=True)
        return 0
    finally:
        for service in reversed(running):
            processes.stop(service)


if __name__ == "__main__":
    sys.exit(main())
