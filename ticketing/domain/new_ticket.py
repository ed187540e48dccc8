"""Request bodies of the JSON API (pydantic), validated before any rule runs."""
from __future__ import annotations

import hashlib
import json
from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ticketing.domain import contact
from ticketing.domain.privacy import mask_id_numbers
from ticketing.domain.vocabulary import Channel, Kind

Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]
CategoryLevel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


LATER_FIELDS = ("lat", "long", "media_url", "direct_answer", "category_confidence",
                "contact_channel", "contact_email")  # added after the first release


class TicketCreate(BaseModel):
    """A new request from the bot, a hotline operator, a web form or Open311."""

    model_config = ConfigDict(extra="ignore")

    description: Description
    kind: Kind = "投诉"
    category: Optional[list[CategoryLevel]] = Field(default=None, min_length=1, max_length=3)
    # How sure the caller's classifier is of `category` (the bot's first-level confidence, 0..1). Below
    # the routing table's `min_category_confidence` the ticket waits for staff instead of being dispatched.
    category_confidence: Optional[Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, strict=True)]] = None
    place: Optional[Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]] = None
    event_time: Optional[ShortText] = None
    channel: Channel = "web"
    contact_name: Optional[Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]] = None
    contact_phone: Optional[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^[0-9+\-() ]*$")]
    ] = None
    anonymous: bool = False
    # How the resident wants to hear back (sms / email / none, or 短信 / 邮件 / 不需要); anonymous residents
    # may choose too. Unset: nothing is sent (no consent asked). docs/notifications.md
    contact_channel: Optional[str] = None
    contact_email: Optional[Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)]] = None
    urgent: bool = False
    conversation_id: Optional[Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)]] = None
    lat: Optional[Annotated[float, Field(ge=-90, le=90)]] = None
    long: Optional[Annotated[float, Field(ge=-180, le=180)]] = None
    media_url: Optional[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000, pattern=r"^https?://\S+$")]
    ] = None
    # 直接答复: the hotline (the bot's knowledge base, an operator) answered on first contact. The ticket
    # is recorded already answered (已办结) and never dispatched; only token holders and staff may send it.
    direct_answer: Optional[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]] = None

    @field_validator("category", mode="before")
    @classmethod
    def _empty_category_is_none(cls, value: object) -> object:
        """An empty list means "no category given", so the keyword suggestion runs."""
        return None if value == [] else value

    @field_validator("description")
    @classmethod
    def _id_numbers_masked(cls, value: str) -> str:
        """ID card numbers are never stored in clear, whoever files (docs/ticketing-api.md)."""
        return mask_id_numbers(value)

    @field_validator("contact_channel", mode="before")
    @classmethod
    def _channel_code(cls, value: object) -> object:
        try:
            return contact.channel_code(value if value is None else str(value))
        except ValueError as exc:
            raise PydanticCustomError("contact_invalid", "{reason}", {"reason": str(exc)}) from None

    @model_validator(mode="after")
    def _usable_contact(self) -> "TicketCreate":
        """A phone or e-mail that is not one, or a channel without its address, is refused in Chinese."""
        reason = contact.check_contact(self.contact_channel, self.contact_phone, self.contact_email)
        if reason:
            raise PydanticCustomError("contact_invalid", "{reason}", {"reason": reason})
        return self

    @field_validator("place", "event_time", "contact_name", "contact_phone", "conversation_id", "contact_email")
    @classmethod
    def _blank_is_none(cls, value: Optional[str]) -> Optional[str]:
        return value or None

    def fingerprint(self) -> str:
        """Hash of the normalised body: same key + same fingerprint is a replay, not a conflict."""
        later = {name for name in LATER_FIELDS if getattr(self, name) is None}  # keep old fingerprints stable
        canonical = json.dumps(self.model_dump(mode="json", exclude=later), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
