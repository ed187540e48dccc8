"""E-mail over SMTP (smtplib): one real SMTP conversation per message.

``YIJIAN_SMTP_URL`` = ``smtp://[user:password@]host[:port][?starttls=1]`` or ``smtps://…``. The
Message-ID is derived from the notification id, so a resend after a crash is recognisable as the same
message by any mail client (and by our tests counting arrivals).
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from ticketing.notifications.templates import Email


class DeliveryError(Exception):
    """The channel refused or failed; ``permanent`` failures are not retried."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmtpMailer:
    """Sends through one SMTP server; a fresh connection per message keeps failure handling simple."""

    def __init__(self, url: str, sender: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"YIJIAN_SMTP_URL must look like smtp://host:25 (got scheme {parts.scheme!r})")
        self.host, self.ssl = parts.hostname, parts.scheme == "smtps"
        self.port = parts.port or (465 if self.ssl else 25)
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.sender, self.timeout = sender, timeout

    def send(self, to: str, mail: Email, *, message_id: str, unsubscribe: str | None = None) -> str:
        message = EmailMessage()
        name, address = parseaddr(self.sender)
        message["From"] = formataddr((name, address))
        message["To"] = to
        message["Subject"] = mail.subject
        message["Message-ID"] = message_id
        if unsubscribe:
            message["List-Unsubscribe"] = f"<{unsubscribe}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058: the link takes a POST
        message.set_content(mail.body)
        try:
            smtp_class = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
            with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"邮件服务器拒收该地址：{exc}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"邮件服务器连接或发送失败（SMTP，{type(exc).__name__}）：{exc}") from exc
        return message_id
