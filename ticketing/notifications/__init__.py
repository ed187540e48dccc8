"""Telling residents: the relay (outbox -> RabbitMQ), the notifier (events -> e-mail and SMS), templates
and the delivery channels. Runs as its own processes (``python -m ticketing.notifications``); the web
service only writes the outbox (``ticketing.services.outbox``). docs/notifications.md."""
