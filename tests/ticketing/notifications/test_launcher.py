"""`make run` starts the notifier beside the other servers, and the relay only when a broker is set."""
from __future__ import annotations

from launcher.stack import StackConfig, notifier_specs


def test_notifier_alone_without_a_broker_and_relay_with_one() -> None:
    plain = notifier_specs(StackConfig(ticketing_port=8123))
    assert [s.name for s in plain] == ["notifier"]
    assert plain[0].command[-2:] == ["ticketing.notifications", "notifier"]
    assert plain[0].env["YIJIAN_PUBLIC_BASE_URL"] == "http://localhost:8123" and "YIJIAN_AMQP_URL" not in plain[0].env
    broker = notifier_specs(StackConfig(amqp_url="amqp://guest:guest@127.0.0.1:5672/%2F"))
    assert [s.name for s in broker] == ["notifier", "relay"]
    assert all(s.env["YIJIAN_AMQP_URL"].startswith("amqp://") for s in broker)
