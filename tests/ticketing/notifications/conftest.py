"""Fixtures: a real SMTP server, a local SMS gateway, and a Deliverer wired to them and to the app's database."""
from __future__ import annotations

from typing import Iterator

import pytest

from ticketing.notifications.delivery import Deliverer
from ticketing.notifications.mail import SmtpMailer
from ticketing.notifications.sms import HttpSmsGateway
from ticketing.notifications.templates import Templates
from tests.support.notify_sinks import SmsSink, SmtpSink



@pytest.fixture()
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture()
def sms_sink() -> Iterator[SmsSink]:
    sink = SmsSink().start()
    yield sink
    sink.stop()


@pytest.fixture()
def deliverer(app, client, smtp_sink: SmtpSink, sms_sink: SmsSink) -> Deliverer:  # type: ignore[no-untyped-def]
    """Delivers through the sinks; depends on ``client`` so the tables start empty."""
    templates = Templates.load()
    return Deliverer(app.state.sessions, templates, SmtpMailer(smtp_sink.url, "12345热线 <noreply@12345.test>"),
                     HttpSmsGateway(sms_sink.url, "ak-test", sms_sink.secret, templates.sign_name),
                     "https://wh12345.cn")  # secret: the app's own, so unsubscribe links made here open in the app
