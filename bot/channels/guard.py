"""What every guarded channel does around Rasa's message handling.

Before: refuse messages that are too long, and messages beyond the token bucket of the conversation
(sender id) or of the client address — the resident is told in Chinese, nothing reaches the model;
mask ID card numbers in the text (personal_data), so none is kept in clear anywhere.
After: when a custom action failed while the message was handled (Rasa logs "Encountered an exception
while running action" and carries on silently — the action server is down or broken), or handling
raised, tell the resident the service is temporarily unavailable and how to reach the hotline.
Whatever the bot would say after the failure in the same turn is held back: it comes from a dialogue
that lacks the failed action's events (a lost form validation led to "目前没有待提交的诉求", contradicting
the place the resident had just given, in tests/faults/test_rasa_killed.py).
"""
from __future__ import annotations

import logging
import os
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

from bot.channels.address import is_trusted
from bot.channels.limits import BucketSpec, Buckets
from personal_data import mask_id_numbers

logger = logging.getLogger(__name__)

HOTLINE = os.environ.get("YIJIAN_HOTLINE_NUMBER", "12345")
TOO_FAST = f"您发送消息太快了，请稍等片刻再发。如情况紧急，请直接拨打 {HOTLINE} 热线。"
TOO_LONG = "您的消息太长了（超过 {limit} 字），请精简后分几条发送。"
UNAVAILABLE = (f"抱歉，系统暂时出现故障，您刚才的消息没有办理成功。请稍后再试，"
               f"或直接拨打 {HOTLINE} 热线反映。")
MAX_MESSAGE_CHARS = 10000  # the ticket's description limit: longer cannot be filed anyway

SENDER_DEFAULT = BucketSpec("sender", burst=10, per_minute=30)
ADDRESS_DEFAULT = BucketSpec("address", burst=60, per_minute=120)

# Set by the channel before Rasa handles the message (same asyncio task, or tasks copied from it).
CLIENT_ADDRESS: ContextVar[Optional[str]] = ContextVar("yijian_client_address", default=None)
_FAILURES: ContextVar[Optional[list[str]]] = ContextVar("yijian_action_failures", default=None)
ACTION_FAILED = "Encountered an exception while running action"


class _ActionFailureWatcher(logging.Handler):
    """Notes Rasa's "action failed, bot will continue" log record for the message being handled."""

    def emit(self, record: logging.LogRecord) -> None:
        failures = _FAILURES.get()
        if failures is not None and str(record.msg).startswith(ACTION_FAILED):
            failures.append(record.getMessage()[:200])


_WATCHER = _ActionFailureWatcher(level=logging.ERROR)


def _watch_rasa_processor() -> None:
    processor_logger = logging.getLogger("rasa.core.processor")
    if _WATCHER not in processor_logger.handlers:
        processor_logger.addHandler(_WATCHER)


class _SilentAfterFailure:
    """The turn's output channel, dropping bot messages once an action of the turn has failed.

    Rasa sends each action's messages as soon as the action ends (``send_response``), so holding back
    has to happen here, before they reach the REST collector or the socket."""

    def __init__(self, channel: Any, failures: list[str]) -> None:
        self._channel, self._failures = channel, failures

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if self._failures:
            logger.info("after a failed action, held back: %s", str(message.get("text", ""))[:80])
            return
        await self._channel.send_response(recipient_id, message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._channel, name)


class MessageGuard:
    """Limits and failure notice around ``on_new_message``; one per channel instance."""

    def __init__(self, credentials: Optional[dict[str, Any]] = None) -> None:
        credentials = credentials or {}
        self.sender = BucketSpec.from_credentials("sender", credentials.get("limit_per_sender"), SENDER_DEFAULT)
        self.address = BucketSpec.from_credentials("address", credentials.get("limit_per_address"), ADDRESS_DEFAULT)
        self.max_chars = int(credentials.get("max_message_chars", MAX_MESSAGE_CHARS))
        self.buckets = Buckets()
        _watch_rasa_processor()

    async def allowed(self, sender_id: str, address: Optional[str]) -> bool:
        if not await self.buckets.take(self.sender, sender_id or "-"):
            return False
        if address and not is_trusted(address):  # loopback without forwarding: local tools, not residents
            return await self.buckets.take(self.address, address)
        return True

    def wrap(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
        async def guarded(message: UserMessage) -> None:
            output, sender = message.output_channel, message.sender_id
            text = message.text if isinstance(message.text, str) else ""
            if len(text) > self.max_chars:
                await output.send_text_message(sender, TOO_LONG.format(limit=self.max_chars))
                return
            if not await self.allowed(sender, CLIENT_ADDRESS.get()):
                logger.info("chat rate limit: message of %s refused", sender)
                await output.send_text_message(sender, TOO_FAST)
                return
            # ID card numbers never reach the model, the tracker store or a ticket in clear.
            message.text = mask_id_numbers(text) if text else message.text
            failures: list[str] = []
            token = _FAILURES.set(failures)
            message.output_channel = _SilentAfterFailure(output, failures)
            try:
                await on_new_message(message)
            except Exception:  # Rasa itself failed on this message: the resident must still hear something
                logger.exception("handling a message of %s failed", sender)
                failures.append("exception")
            finally:
                _FAILURES.reset(token)
            if failures:
                await output.send_text_message(sender, UNAVAILABLE)

        return guarded
