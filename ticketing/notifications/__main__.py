"""``python -m ticketing.notifications notifier|relay``: the two long-running processes.

`make run` starts the notifier (and the relay when ``YIJIAN_AMQP_URL`` is set); see launcher/.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys

from ticketing.core.db import make_engine, make_sessionmaker
from ticketing.core.secret import load_secret
from ticketing.core.settings import Settings, load_settings
from ticketing.notifications import broker, notifier, relay
from ticketing.notifications.delivery import Deliverer
from ticketing.notifications.devlog import DevMailer, DevSms
from ticketing.notifications.mail import SmtpMailer
from ticketing.notifications.sms import HttpSmsGateway
from ticketing.notifications.templates import Templates

_stopping = False


def build_deliverer(settings: Settings, factory) -> Deliverer:  # type: ignore[no-untyped-def]
    """Real SMTP / SMS gateway where configured, the development log otherwise."""
    templates = Templates.load(settings.config_dir)
    mailer = SmtpMailer(settings.smtp_url, settings.mail_from) if settings.smtp_url else DevMailer(settings.notify_dev_log)
    sms = (HttpSmsGateway(settings.sms_url, settings.sms_access_key, settings.sms_secret.get_secret_value(),
                          templates.sign_name) if settings.sms_url else DevSms(settings.notify_dev_log))
    return Deliverer(factory, templates, mailer, sms, settings.public_base_url,
                     load_secret(settings.secret_key.get_secret_value()), settings.hotline_number)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ticketing.notifications")
    parser.add_argument("role", choices=("notifier", "relay"))
    parser.add_argument("--exchange", default=broker.DEFAULT.exchange, help="topic exchange (benches use their own)")
    parser.add_argument("--queue", default=broker.DEFAULT.queue, help="the notifier's queue")
    args = parser.parse_args(argv)
    topology = broker.Topology(exchange=args.exchange, queue=args.queue)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = load_settings()
    factory = make_sessionmaker(make_engine(settings.database_url))
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    stop = lambda: _stopping  # noqa: E731
    if args.role == "relay":
        if not settings.amqp_url:
            print("relay: YIJIAN_AMQP_URL is not set; without a broker the notifier reads the outbox itself",
                  file=sys.stderr)
            return 2
        relay.run(factory, settings.amqp_url, stop=stop, topology=topology)
        return 0
    deliverer = build_deliverer(settings, factory)
    mode = "RabbitMQ" if settings.amqp_url else "the outbox (no broker)"
    logging.getLogger("yijian.notifier").info("notifier reading %s; mail: %s; SMS: %s", mode,
                                              "SMTP" if settings.smtp_url else f"dev log {settings.notify_dev_log}",
                                              "gateway" if settings.sms_url else f"dev log {settings.notify_dev_log}")
    if settings.amqp_url:
        notifier.run_broker(deliverer, settings.amqp_url, poll=settings.notify_poll_seconds, stop=stop,
                            topology=topology)
    else:
        notifier.run_direct(factory, deliverer, poll=settings.notify_poll_seconds, stop=stop)
    return 0


def _stop(*_: object) -> None:
    global _stopping
    _stopping = True


if __name__ == "__main__":
    sys.exit(main())
