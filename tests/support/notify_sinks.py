"""Real receiving ends for the notifier's tests and bench: an SMTP server (aiosmtpd) that keeps every
message, and an HTTP server shaped like an SMS gateway that checks signatures and records requests."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from ticketing.notifications import sms as sms_gateway
from tests.support.ports import free_port


@dataclass
class SmtpSink:
    """aiosmtpd on a free port; ``messages`` in arrival order with their arrival time."""

    port: int = field(default_factory=free_port)
    messages: list[tuple[float, EmailMessage]] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append((time.time(), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def start(self) -> "SmtpSink":
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.time() + timeout
        while len(self.messages) < count and time.time() < deadline:
            time.sleep(0.02)
        return [m for _, m in self.messages]


class SmsSink:
    """A local SMS gateway: verifies the HMAC, records each request; ``fail_next`` answers 500 / a code."""

    def __init__(self, secret: str = "sms-test-secret") -> None:
        self.secret, self.requests, self.fail_next = secret, [], []  # type: ignore[var-annotated]
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                failure = sink.fail_next.pop(0) if sink.fail_next else None
                valid = sms_gateway.verify(body, sink.secret)
                sink.requests.append({**body, "_valid": valid, "_at": time.time()})
                if failure == 500:
                    self._answer(500, {"Code": "ServiceUnavailable"})
                elif failure:
                    self._answer(200, {"Code": failure, "Message": "refused"})
                else:
                    self._answer(200 if valid else 403, {"Code": "OK" if valid else "SignatureDoesNotMatch",
                                                         "BizId": f"biz-{len(sink.requests)}"})

            def _answer(self, status: int, payload: dict[str, str]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "SmsSink":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
