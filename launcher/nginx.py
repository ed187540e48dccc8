"""The production mode's reverse proxy: our own nginx master with a generated configuration.

We run the Debian nginx *binary* as a child process (`daemon off;`), never the system service: its
configuration, pid file, logs and temporary files all live in one run directory, so several copies
(`make run-prod`, the tests) run side by side and stopping the launcher stops the proxy.

One front port serves everything a browser needs: the pages and the JSON API (ticketing pair), the
REST webhook and socket.io (Rasa pair). Two more listeners stay on the loopback interface: the
action-server pair for Rasa (so one dead action server is masked) and Rasa's HTTP API (`/model/parse`,
`/conversations/…`), which must not face the public because Rasa runs it without a token.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from launcher.processes import ServiceSpec

NGINX = os.environ.get("YIJIAN_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass(frozen=True)
class ProxyLayout:
    """Ports nginx listens on and the instances behind each upstream (all on ``host``)."""

    front_port: int
    actions_port: int  # loopback: Rasa's action endpoint → action-server pair
    rasa_api_port: int  # loopback: Rasa's HTTP API → Rasa pair, for benchmarks and operators
    ticketing_ports: tuple[int, ...]
    rasa_ports: tuple[int, ...]
    action_ports: tuple[int, ...]
    host: str = "127.0.0.1"
    front_host: str = "0.0.0.0"  # the front faces the network; the other listeners never do

    @property
    def front_url(self) -> str:
        return f"http://{self.host}:{self.front_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def rasa_api_url(self) -> str:
        return f"http://{self.host}:{self.rasa_api_port}"


def _servers(host: str, ports: tuple[int, ...]) -> str:
    # max_fails=1: after one refused connection the instance rests for fail_timeout, so a dead
    # instance costs one retried connection every few seconds instead of one per request.
    return "\n".join(f"        server {host}:{port} max_fails=1 fail_timeout=5s;" for port in ports)


def _upstreams(layout: ProxyLayout) -> str:
    h = layout.host
    return f"""
    upstream ticketing {{
{_servers(h, layout.ticketing_ports)}
        keepalive 16;
    }}
    upstream rasa {{
{_servers(h, layout.rasa_ports)}
        # Reused connections: a busy Rasa does not accept while it runs NLU, so fresh connects
        # queued in its backlog and timed out under load, taking both instances out (bench.bot_latency).
        keepalive 32;
    }}
    # socket.io's polling transport sends each request of one session separately: they must all
    # reach the instance that holds the session, so the socket upstream hashes the client address.
    upstream rasa_sticky {{
        hash $remote_addr consistent;
{_servers(h, layout.rasa_ports)}
    }}
    upstream actions {{
{_servers(h, layout.action_ports)}
        keepalive 8;
    }}"""


# nginx is the edge: X-Forwarded-For is *set* to the connecting address, never appended to what the
# client sent, so a forged header cannot choose the address rate limits and audit rows see.
PROXY_HEADERS = """
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;"""

# A dead instance refuses the connection at once; a hung one is given up after the connect timeout.
FAILOVER = """
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;"""


# What a resident or a page reads when no instance could answer (one was killed mid-turn): Chinese,
# in the shape the client expects (Rasa's REST reply list; a plain page), instead of nginx's English
# "502 Bad Gateway". Resending is safe: filings carry idempotency keys.
CHAT_TURN_LOST = ('[{"recipient_id":"","text":"抱歉，刚才这条消息没有处理完成，请再发送一次。'
                  '如仍无回应，请拨打12345热线。"}]')
SERVICE_UNAVAILABLE = ("<!doctype html><html lang=zh-CN><meta charset=utf-8><title>服务暂时不可用</title>"
                       "<p>服务暂时不可用，请稍后刷新重试。紧急情况请拨打12345热线。</p></html>")
UNAVAILABLE = f"""
        location @chat_turn_lost {{
            default_type "application/json; charset=utf-8";
            return 502 '{CHAT_TURN_LOST}';
        }}
        location @service_unavailable {{
            default_type "text/html; charset=utf-8";
            return 502 '{SERVICE_UNAVAILABLE}';
        }}"""


# Rasa runs one message at a time per process: under load a connect may wait behind a parse. A dead
# instance refuses at once, so a patient connect timeout costs nothing when one dies.
RASA_FAILOVER = FAILOVER.replace("proxy_connect_timeout 2s;", "proxy_connect_timeout 10s;")


def _front(layout: ProxyLayout) -> str:
    return f"""
    server {{
        listen {layout.front_host}:{layout.front_port};
        client_max_body_size 2m;

        location /socket.io/ {{
            proxy_pass http://rasa_sticky;{PROXY_HEADERS}
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_buffering off;
            proxy_read_timeout 1h;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
        }}
        location /webhooks/ {{
            proxy_pass http://rasa;{PROXY_HEADERS}
            proxy_set_header Connection "";
            proxy_read_timeout 120s;{RASA_FAILOVER}
            error_page 502 504 = @chat_turn_lost;
        }}
        location / {{
            proxy_pass http://ticketing;{PROXY_HEADERS}
            proxy_set_header Connection "";
            proxy_read_timeout 60s;{FAILOVER}
            error_page 502 504 = @service_unavailable;
        }}{UNAVAILABLE}
    }}"""


def _internal(layout: ProxyLayout) -> str:
    # Action calls are retried on the twin only when they never reached the first server (refused
    # connection): not after sending, since a rating or a supplement has no idempotency key.
    return f"""
    server {{
        listen {layout.host}:{layout.actions_port};
        # Rasa posts the whole tracker to the action server: it grows with the conversation.
        client_max_body_size 32m;
        client_body_buffer_size 1m;
        location / {{
            proxy_pass http://actions;{PROXY_HEADERS}
            proxy_set_header Connection "";
            proxy_read_timeout 60s;{FAILOVER}
        }}
    }}
    server {{
        listen {layout.host}:{layout.rasa_api_port};
        client_max_body_size 2m;
        location / {{
            proxy_pass http://rasa;{PROXY_HEADERS}
            proxy_set_header Connection "";
            proxy_read_timeout 120s;{RASA_FAILOVER}
        }}
    }}"""


def render_config(layout: ProxyLayout, run_dir: Path) -> str:
    """The whole nginx.conf; every path it names lies inside ``run_dir``."""
    d = run_dir.resolve()
    temp = "\n".join(f"    {kind}_temp_path {d}/tmp/{kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must write the temp paths we own
    return f"""# Generated by launcher/nginx.py for one run of yijian's production mode; do not edit.
{user}daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/nginx-error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    # upstream= names the instance that answered: how an operator (and a test) sees the balancing.
    log_format balanced '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                        'upstream=$upstream_addr rt=$request_time urt=$upstream_response_time';
    access_log {d}/nginx-access.log balanced;
{temp}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
{_upstreams(layout)}
{_front(layout)}
{_internal(layout)}
}}
"""


def write_config(layout: ProxyLayout, run_dir: Path) -> Path:
    (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    path = run_dir / "nginx.conf"
    path.write_text(render_config(layout, run_dir), encoding="utf-8")
    return path


def check_config(config: Path) -> None:
    """`nginx -t` on the generated file: a syntax error then names the line, not a dead child."""
    import subprocess

    run_dir = config.parent.resolve()
    result = subprocess.run([NGINX, "-t", "-q", "-p", str(run_dir), "-e", str(run_dir / "nginx-error.log"),
                             "-c", str(config.resolve())], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nginx refuses {config}:\n{result.stderr.strip()}")


def nginx_spec(layout: ProxyLayout, config: Path, name: str = "nginx") -> ServiceSpec:
    """The nginx master as a supervised child; ready when the front answers the health check."""
    run_dir = config.parent.resolve()
    command = [NGINX, "-p", str(run_dir), "-e", str(run_dir / "nginx-error.log"), "-c", str(config.resolve())]
    return ServiceSpec(name, command, f"{layout.front_url}/api/health", {}, 30)


def nginx_available() -> bool:
    return os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)
