"""The unsubscribe (退订) link of an e-mail: a signed notification id, so the URL holds no address."""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from ticketing.core.secret import load_secret
from ticketing.core.settings import load_settings

SALT = "yijian.unsubscribe.v1"
PATH_PREFIX = "/n/unsubscribe/"


def _serializer(secret: str | None) -> URLSafeSerializer:
    return URLSafeSerializer(secret or load_secret(load_settings().secret_key.get_secret_value()), salt=SALT)


def unsubscribe_path(notification_id: int, secret: str | None = None) -> str:
    return PATH_PREFIX + _serializer(secret).dumps(notification_id)


def notification_of(token: str, secret: str | None = None) -> int | None:
    """The notification id the token was made for, or None when it is altered or not ours."""
    try:
        value = _serializer(secret).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
