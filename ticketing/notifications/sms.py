"""SMS through one provider interface; an HTTP adapter shaped like the common Chinese SMS gateways.

Those gateways (Aliyun 短信服务, Tencent Cloud SMS and their like) take a registered template code, the
template's parameters as JSON, the registered signature (签名) and the numbers, in a request signed with
the account's secret. Ours: a JSON POST whose ``Signature`` is base64 HMAC-SHA256 over the other fields
sorted as ``key=value`` pairs joined with ``&``; ``OutId`` carries the notification id so the gateway
can drop a repeat. Success is ``{"Code": "OK", "BizId": ...}``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from typing import Any, Protocol

from ticketing.notifications.mail import DeliveryError
from ticketing.notifications.templates import Sms

PERMANENT_CODES = frozenset({"isv.MOBILE_NUMBER_ILLEGAL", "isv.TEMPLATE_MISSING", "isv.SMS_SIGNATURE_ILLEGAL",
                             "isv.BLACK_KEY_CONTROL_LIMIT", "isv.UNSUBSCRIBED"})


class SmsProvider(Protocol):
    """Anything that can send one templated SMS; returns the provider's message id."""

    def send(self, phone: str, sms: Sms, *, out_id: str) -> str: ...


def canonical(fields: dict[str, Any]) -> str:
    """The string that is signed: every field but the signature, sorted by name, ``k=v`` joined by ``&``."""
    return "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "Signature")


def sign(fields: dict[str, Any], secret: str) -> str:
    digest = hmac.new(secret.encode(), canonical(fields).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(fields: dict[str, Any], secret: str) -> bool:
    """Does ``fields["Signature"]`` match (constant-time)? Used for the gateway's replies (退订) too."""
    return hmac.compare_digest(str(fields.get("Signature", "")), sign(fields, secret))


class HttpSmsGateway:
    """The HTTP adapter: one signed POST per message."""

    def __init__(self, url: str, access_key: str, secret: str, sign_name: str, timeout: float = 10.0) -> None:
        self.url, self.access_key, self.secret, self.sign_name, self.timeout = url, access_key, secret, sign_name, timeout

    def send(self, phone: str, sms: Sms, *, out_id: str) -> str:
        fields: dict[str, Any] = {
            "AccessKeyId": self.access_key, "PhoneNumbers": phone, "SignName": self.sign_name,
            "TemplateCode": sms.code, "TemplateParam": json.dumps(sms.params, ensure_ascii=False, sort_keys=True),
            "OutId": out_id, "SignatureNonce": uuid.uuid4().hex,
            "Timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        fields["Signature"] = sign(fields, self.secret)
        request = urllib.request.Request(self.url, data=json.dumps(fields, ensure_ascii=False).encode(),
                                         headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"短信网关返回 HTTP {exc.code}", permanent=400 <= exc.code < 500 and exc.code != 429) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryError(f"短信网关无法连接（{type(exc).__name__}）") from exc
        code = str(answer.get("Code", ""))
        if code != "OK":
            raise DeliveryError(f"短信网关拒绝发送：{code} {answer.get('Message', '')}"[:300],
                                permanent=code in PERMANENT_CODES)
        return str(answer.get("BizId", ""))
