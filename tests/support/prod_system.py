"""The production topology (`make run-prod`) on free ports with throw-away storage, for tests and benches.

Usage::

    from tests.support.prod_system import ProdSystem, prod_unavailable

    reason = prod_unavailable()          # None, or why it cannot run here (pytest.skip(reason))
    with ProdSystem(log_dir) as prod:    # starts everything and waits until each instance answers
        prod.front_url                   # nginx: pages, API, /webhooks/…, /socket.io/
        prod.urls["rasa-a"]              # one instance directly (also rasa-b, actions-a/b, ticketing-a/b)
        prod.rasa_api_url                # nginx → both Rasa: /model/parse, /conversations/…
        prod.pid("rasa-b")               # process id (the process-group leader) for memory readings
        prod.pids("nginx")               # that process and its descendants (nginx master + worker)
        prod.kill("rasa-a")              # SIGKILL, as a crash would
        prod.restart("rasa-a")           # start it again and wait until it answers; returns seconds
        prod.tickets_sql("SELECT count(*) FROM tickets")  # read the tickets database
        prod.nginx_access_log            # which instance served each request (upstream=…)
    # leaving the block stops every process, drops both databases and deletes its Redis lock keys

Instances: ``ticketing-a``, ``ticketing-b``, ``actions-a``, ``actions-b``, ``rasa-a``, ``rasa-b``,
``nginx``. Each copy has its own PostgreSQL databases (``yijian_t<hex>``, ``yijian_tracker_t<hex>``), its
own Redis lock-key prefix and an otherwise empty Redis database index when one is free, so copies run
beside `make run-prod` and beside each other. ``log_dir`` belongs to this copy alone: logs go to
``log_dir/<instance>.log`` (a restarted instance's previous log is kept as ``<instance>.<n>.log``),
nginx's configuration and access log (``upstream=`` names the instance that answered) live there too.
"""

from __future__ import annotations

import secrets
import time
import uuid
from pathlib import Path
from types import TracebackType

import psutil
import psycopg

from launcher import processes, topology
from launcher.backing import BackingServiceDown, Postgres, Redis
from launcher.model import ensure_model
from launcher.nginx import nginx_available
from launcher.paths import BOT_VENV, REPO, TICKETING_VENV
from launcher.topology import ProdConfig, prepare_storage, service_specs
from tests.support.ports import free_port

INSTANCES = ("ticketing-a", "ticketing-b", "actions-a", "actions-b", "nginx", "rasa-a", "rasa-b")
SPARE_REDIS_DBS = range(8, 16)  # indexes we may take when empty; 0 stays `make run-prod`'s


def prod_unavailable(postgres: Postgres = Postgres(), redis: Redis = Redis()) -> str | None:
    """Why the production topology cannot run here (for a skip message), or None when it can."""
    if not nginx_available():
        return "nginx is missing (make nginx installs Debian's binary)"
    for venv in (BOT_VENV, TICKETING_VENV):
        if not (venv / ".installed").exists():
            return f"{venv.relative_to(REPO)} is not set up (make setup)"
    for service in (postgres, redis):
        try:
            service.check()
        except BackingServiceDown as down:
            return str(down)
    return None


def _spare_redis_db(redis: Redis) -> Redis:
    """An empty database index from SPARE_REDIS_DBS, so the ticketing service's keys do not mix with
    another copy's; the last spare index when none is empty (lock keys stay apart by prefix anyway)."""
    for index in SPARE_REDIS_DBS:
        candidate = Redis(redis.host, redis.port, index, redis.password)
        with candidate.client() as client:
            if client.dbsize() == 0:
                return candidate
    return Redis(redis.host, redis.port, SPARE_REDIS_DBS[-1], redis.password)


class ProdSystem:
    """Two Rasa, two action servers, two ticketing workers and nginx; throw-away PostgreSQL and Redis."""

    def __init__(self, log_dir: Path, *, model: Path | None = None, postgres: Postgres = Postgres(),
                 redis: Redis = Redis()) -> None:
        tag = uuid.uuid4().hex[:10]
        self.log_dir = log_dir
        self.model = model  # None: the current model, trained first when its inputs changed
        front_port = free_port()
        self.config = ProdConfig(
            front_port=front_port, actions_lb_port=free_port(), rasa_api_port=free_port(),
            ticketing_ports=(free_port(), free_port()), rasa_ports=(free_port(), free_port()),
            action_ports=(free_port(), free_port()),
            postgres=postgres, tickets_db=f"yijian_t{tag}", tracker_db=f"yijian_tracker_t{tag}",
            redis=_spare_redis_db(redis), lock_prefix=f"yt{tag}", secret_key=secrets.token_urlsafe(32),
            public_url=f"http://127.0.0.1:{front_port}",
        )
        self.specs: dict[str, processes.ServiceSpec] = {}
        self.running: dict[str, processes.RunningService] = {}
        self._restarts: dict[str, int] = {}

    # --- addresses -------------------------------------------------------------------------------
    @property
    def front_url(self) -> str:
        """nginx's front: pages, API, Rasa's REST webhook and socket.io."""
        return self.config.layout.front_url

    @property
    def rasa_api_url(self) -> str:
        """nginx's loopback listener in front of both Rasa HTTP APIs (round robin)."""
        return self.config.layout.rasa_api_url

    @property
    def urls(self) -> dict[str, str]:
        """Each instance's own base URL, by instance name (nginx: the front)."""
        urls = {"nginx": self.front_url}
        for index, instance in enumerate(("a", "b")):
            stack = self.config.stack(index)
            urls[f"ticketing-{instance}"] = stack.ticketing_url
            urls[f"actions-{instance}"] = stack.actions_url
            urls[f"rasa-{instance}"] = stack.rasa_url
        return urls

    @property
    def tickets_database_url(self) -> str:
        """SQLAlchemy URL of this copy's tickets database."""
        return self.config.postgres.sqlalchemy_url(self.config.tickets_db)

    @property
    def nginx_access_log(self) -> Path:
        """nginx's access log; each line ends with ``upstream=<host:port>`` of the instance that answered."""
        return self.log_dir / "nginx-access.log"

    @property
    def api_token(self) -> str:
        """The token both ticketing workers accept for API reads and workflow actions (Authorization: Bearer …)."""
        return self.config.api_token

    # --- life cycle -------------------------------------------------------------------------------
    def start(self) -> ProdSystem:
        """Create the databases, start every instance and wait until each answers (~1–2 min)."""
        prepare_storage(self.config, demo_tickets=0)
        self.specs = service_specs(self.config, self.model or ensure_model(), self.log_dir)
        for name, spec in self.specs.items():
            self.running[name] = processes.start(spec, REPO, self.log_dir)
        for service in self.running.values():
            topology.wait_ready(service)
        return self

    def stop(self) -> None:
        """Stop every instance, drop both databases and delete this copy's Redis lock keys."""
        for name in reversed(list(self.running)):
            processes.stop(self.running.pop(name))
        for database in (self.config.tickets_db, self.config.tracker_db):
            try:
                self.config.postgres.drop_database(database)
            except psycopg.Error:
                pass
        try:
            self.config.redis.delete_prefix(f"{self.config.lock_prefix}:")
        except Exception:  # noqa: BLE001 - best-effort cleanup after the processes are gone
            pass

    def __enter__(self) -> ProdSystem:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    # --- one instance -----------------------------------------------------------------------------
    def pid(self, name: str) -> int:
        """Process id of the instance (leader of its process group; nginx: the master)."""
        return self._service(name).process.pid

    def pids(self, name: str) -> list[int]:
        """The instance's process and everything it spawned (nginx: master and worker), for memory sums."""
        leader = psutil.Process(self.pid(name))
        return [leader.pid] + [child.pid for child in leader.children(recursive=True)]

    def alive(self, name: str) -> bool:
        return self._service(name).process.poll() is None

    def kill(self, name: str) -> None:
        """SIGKILL the instance and what it spawned, as a crash would."""
        processes.kill(self._service(name))

    def stop_instance(self, name: str) -> None:
        """Stop the instance gracefully (SIGTERM, then SIGKILL after 10 s)."""
        processes.stop(self._service(name))

    def restart(self, name: str) -> float:
        """Start a stopped or killed instance again (stopping it first if it still runs); wait until it
        answers and return how many seconds that took."""
        service = self._service(name)
        processes.stop(service)
        count = self._restarts[name] = self._restarts.get(name, 0) + 1
        if service.log_path.exists():
            service.log_path.rename(service.log_path.with_name(f"{name}.{count}.log"))
        started = time.monotonic()
        self.running[name] = processes.start(self.specs[name], REPO, self.log_dir)
        topology.wait_ready(self.running[name])
        return time.monotonic() - started

    def log_tail(self, name: str, lines: int = 30) -> str:
        return self._service(name).log_tail(lines)

    def tickets_sql(self, query: str, *params: object) -> list[tuple]:
        """Rows of a read query on this copy's tickets database (psycopg placeholders: %s)."""
        postgres = self.config.postgres
        with psycopg.connect(host=postgres.host, port=postgres.port, user=postgres.user,
                             password=postgres.password or None, dbname=self.config.tickets_db) as connection:
            return connection.execute(query, params).fetchall()

    def _service(self, name: str) -> processes.RunningService:
        if name not in self.running:
            raise KeyError(f"no instance {name!r}; instances: {', '.join(self.running) or 'none (not started)'}")
        return self.running[name]
