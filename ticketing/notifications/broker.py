"""RabbitMQ (pika): the topic exchange every domain event goes to, and the notifier's queue on it.

Routing keys: ``ticket.created``, ``ticket.transitioned.<action>``, ``ticket.rated``. Another consumer
(open data, a city's data platform) declares its own durable queue and binds it, e.g. to ``ticket.#``.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError

from ticketing.domain.notices import EXCHANGE


@dataclass(frozen=True)
class Topology:
    """Names on the broker; tests and benches use their own so they never touch a running system's."""

    exchange: str = EXCHANGE
    queue: str = "yijian.notifier"
    binding: str = "ticket.#"


DEFAULT = Topology()


def connect(url: str) -> pika.BlockingConnection:
    params = pika.URLParameters(url)
    params.heartbeat = 30
    params.blocked_connection_timeout = 30
    params.connection_attempts = 1
    params.socket_timeout = 5
    return pika.BlockingConnection(params)


def declare(channel: BlockingChannel, topology: Topology = DEFAULT) -> None:
    """Exchange, the notifier's durable queue and its binding (idempotent; relay and notifier both call it,
    so whichever starts first, no event is published before the notifier's queue exists)."""
    channel.exchange_declare(topology.exchange, exchange_type="topic", durable=True)
    channel.queue_declare(topology.queue, durable=True)
    channel.queue_bind(topology.queue, topology.exchange, routing_key=topology.binding)


Session = Callable[[pika.BlockingConnection, BlockingChannel], None]


def serve(amqp_url: str, session: Session, *, name: str, stop: Callable[[], bool],
          topology: Topology = DEFAULT, while_away: Callable[[], None] = lambda: None) -> None:
    """Connect, declare the topology, run ``session`` until it returns (then close); while RabbitMQ is
    away, call ``while_away`` and retry 1 s, then up to 10 s apart. The relay and the notifier share
    this policy: one reconnect loop, one backoff."""
    log = logging.getLogger(f"yijian.{name}")
    wait = 1.0
    while not stop():
        try:
            connection = connect(amqp_url)
            channel = connection.channel()
            declare(channel, topology)
            wait = 1.0
            session(connection, channel)
            connection.close()
        except AMQPError as exc:
            log.warning("%s: RabbitMQ unavailable (%s); retrying in %.0f s", name, type(exc).__name__, wait)
            while_away()
            time.sleep(wait)
            wait = min(wait * 2, 10.0)
