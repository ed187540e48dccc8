"""Through a real RabbitMQ: the relay publishes every outbox event to the topic exchange (any consumer
may bind), the notifier consumes and sends; a republished event sends nothing twice. Skipped with a
message where RabbitMQ does not answer."""
from __future__ import annotations

import json
import os
import threading
import time
import uuid

import jsonschema
import pytest

from ticketing.core.settings import REPO_ROOT
from ticketing.models.notifications import OutboxEvent
from ticketing.notifications import broker, notifier, relay
from tests.ticketing.notifications.helpers import EMAIL, outbox, resolve

AMQP_URL = os.environ.get("YIJIAN_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/%2F")
SCHEMA = json.loads((REPO_ROOT / "docs" / "notification-event.schema.json").read_text(encoding="utf-8"))


@pytest.fixture()
def topology():  # type: ignore[no-untyped-def]
    """Own exchange and queues per test, deleted afterwards; skip where RabbitMQ does not answer."""
    try:
        connection = broker.connect(AMQP_URL)
    except Exception as exc:  # noqa: BLE001 - any failure means no broker here
        pytest.skip(f"RabbitMQ at {AMQP_URL} does not answer ({type(exc).__name__}); broker tests skipped")
    tag = uuid.uuid4().hex[:8]
    names = broker.Topology(exchange=f"test.{tag}.events", queue=f"test.{tag}.notifier")
    channel = connection.channel()
    broker.declare(channel, names)
    channel.queue_declare(f"test.{tag}.opendata", durable=True)
    channel.queue_bind(f"test.{tag}.opendata", names.exchange, routing_key="ticket.#")
    yield names, channel, f"test.{tag}.opendata"
    for queue in (names.queue, f"test.{tag}.opendata"):
        channel.queue_delete(queue)
    channel.exchange_delete(names.exchange)
    connection.close()


def test_relay_publishes_and_notifier_delivers_exactly_once(app, client, make_ticket, deliverer, smtp_sink,
                                                            topology) -> None:
    names, channel, opendata = topology
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    resolve(client, ticket)
    events, notes = outbox(app, ticket["number"])
    channel.confirm_delivery()
    assert relay.publish_pending(app.state.sessions, channel, topology=names) == len(events) == 4
    assert relay.publish_pending(app.state.sessions, channel, topology=names) == 0  # marked published
    seen = []
    for _ in range(len(events)):
        method, props, body = channel.basic_get(opendata, auto_ack=True)
        assert method is not None and props.delivery_mode == 2
        payload = json.loads(body)
        jsonschema.validate(payload, SCHEMA)
        seen.append(method.routing_key)
    assert seen == ["ticket.created", "ticket.transitioned.dispatch", "ticket.transitioned.sign",
                    "ticket.transitioned.resolve"]

    stop = threading.Event()
    worker = threading.Thread(target=notifier.run_broker, args=(deliverer, AMQP_URL),
                              kwargs={"poll": 0.1, "stop": stop.is_set, "topology": names}, daemon=True)
    worker.start()
    try:
        assert len(smtp_sink.wait_for(2, timeout=10)) == 2
        with app.state.sessions() as db, db.begin():  # a relay that died before marking: published again
            db.query(OutboxEvent).update({OutboxEvent.published_at: None})
        assert relay.publish_pending(app.state.sessions, channel, topology=names) == 4
        time.sleep(1.0)
        ids = [m["Message-ID"] for m in smtp_sink.wait_for(3, timeout=1)]
        assert sorted(ids) == sorted(f"<notification-{n.id}@yijian>" for n in notes)
    finally:
        stop.set()
        worker.join(timeout=5)
    assert [n.state for n in outbox(app, ticket["number"])[1]] == ["sent", "sent"]


def test_without_a_broker_the_notifier_reads_the_outbox(app, client, make_ticket, deliverer, smtp_sink) -> None:
    ticket = make_ticket(contact_channel="email", contact_email=EMAIL)
    resolve(client, ticket)
    assert notifier.direct_pass(app.state.sessions, deliverer) == 4
    assert notifier.direct_pass(app.state.sessions, deliverer) == 0
    assert len(smtp_sink.wait_for(2)) == 2
