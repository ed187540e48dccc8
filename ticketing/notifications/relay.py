"""The relay: publishes every outbox event to the RabbitMQ topic exchange, then marks it published.

Publisher confirms make "marked" imply "the broker has it" (persistent message, durable queue). A relay
killed between the confirm and the mark publishes that event again on restart: consumers are
idempotent (the notifier's claim; ``event_id`` for others).
"""
from __future__ import annotations

import json
import logging
from typing import Callable

import pika
from pika.adapters.blocking_connection import BlockingChannel
from sqlalchemy.orm import sessionmaker

from ticketing.notifications import broker
from ticketing.notifications.outbox_reader import mark_published, unpublished

log = logging.getLogger("yijian.relay")
POLL_SECONDS = 0.2


def publish_pending(factory: sessionmaker, channel: BlockingChannel,
                    batch: int = 200, topology: broker.Topology = broker.DEFAULT) -> int:
    """One pass: publish what is unpublished (each confirmed by the broker), mark it; returns how many."""
    rows = unpublished(factory, batch)
    done = []
    for row in rows:
        channel.basic_publish(topology.exchange, row.routing_key, json.dumps(row.payload, ensure_ascii=False).encode(),
                              pika.BasicProperties(content_type="application/json", delivery_mode=2,
                                                   message_id=str(row.payload.get("event_id")),
                                                   type=str(row.payload.get("type"))))
        done.append(row.id)
        if len(done) >= 50:
            mark_published(factory, done)
            done = []
    mark_published(factory, done)
    return len(rows)


def run(factory: sessionmaker, amqp_url: str, *, poll: float = POLL_SECONDS,
        stop: Callable[[], bool] = lambda: False, topology: broker.Topology = broker.DEFAULT) -> None:
    """Publish forever; reconnects (broker.serve) while RabbitMQ is away."""
    def session(connection: pika.BlockingConnection, channel: BlockingChannel) -> None:
        channel.confirm_delivery()
        log.info("relay connected to RabbitMQ")
        while not stop():
            if not publish_pending(factory, channel, topology=topology):
                connection.sleep(poll)

    broker.serve(amqp_url, session, name="relay", stop=stop, topology=topology)
