"""The notifier: turns events into e-mails and SMS, with or without a broker; same path after the source.

Without ``YIJIAN_AMQP_URL`` it reads the outbox itself (``outbox_reader``); with it, it consumes its
queue on the topic exchange. Either way each event goes to ``Deliverer.deliver_event``, and a sweep
retries due failures and anything an event did not bring.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Callable

import pika
from pika.adapters.blocking_connection import BlockingChannel
from sqlalchemy.orm import sessionmaker

from ticketing.notifications import broker
from ticketing.notifications.delivery import Deliverer
from ticketing.notifications.outbox_reader import mark_published, unpublished

log = logging.getLogger("yijian.notifier")
SWEEP_EVERY = 1.0  # seconds between retry sweeps


def run_direct(factory: sessionmaker, deliverer: Deliverer, *, poll: float,
               stop: Callable[[], bool] = lambda: False) -> None:
    """No broker: read unpublished outbox events, deliver, mark them handed on; sweep retries."""
    last_sweep = 0.0
    while not stop():
        rows = direct_pass(factory, deliverer)
        if time.monotonic() - last_sweep >= SWEEP_EVERY:
            deliverer.sweep()
            last_sweep = time.monotonic()
        if not rows:
            time.sleep(poll)


def direct_pass(factory: sessionmaker, deliverer: Deliverer) -> int:
    rows = unpublished(factory)
    for row in rows:
        deliverer.deliver_event(row.payload)
        mark_published(factory, [row.id])
    return len(rows)


def run_broker(deliverer: Deliverer, amqp_url: str, *, poll: float,
               stop: Callable[[], bool] = lambda: False, topology: broker.Topology = broker.DEFAULT) -> None:
    """Consume the notifier's queue (ack after delivery); reconnects (broker.serve) while RabbitMQ is
    away, sweeping the retries meanwhile."""
    def session(connection: pika.BlockingConnection, channel: BlockingChannel) -> None:
        channel.basic_qos(prefetch_count=20)
        log.info("notifier consuming %s", topology.queue)
        last_sweep = 0.0
        for method, _props, body in channel.consume(topology.queue, inactivity_timeout=poll):
            if method is not None:
                _handle(deliverer, body)
                channel.basic_ack(method.delivery_tag)
            if time.monotonic() - last_sweep >= SWEEP_EVERY:
                deliverer.sweep()
                last_sweep = time.monotonic()
            if stop():
                break
        channel.cancel()

    broker.serve(amqp_url, session, name="notifier", stop=stop, topology=topology, while_away=deliverer.sweep)


def _handle(deliverer: Deliverer, body: bytes) -> None:
    try:
        payload = json.loads(body)
    except ValueError:
        log.error("notifier: dropped a message that is not JSON")
        return
    if payload.get("schema_version") != 1:
        log.warning("notifier: event schema %r not understood; left to the sweep", payload.get("schema_version"))
        return
    deliverer.deliver_event(payload)
