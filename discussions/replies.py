"""Reply addresses: each notification of a thread carries, as its Reply-To, an address signed for its recipient and
that thread, `reponse+<token>@<REPLY_DOMAIN>`. Whoever holds the address can only post in that thread, as that person,
and only from that person's own address (discussions/inbound.py checks the sender too).

The token is 32 characters of lowercase base32 (letters and 2–7): some mail servers lowercase the local part, and a
local part has at most 64 characters. It packs the user's id, the thread's id and the day it was issued (10 bytes),
then 80 bits of an HMAC-SHA256 keyed from SECRET_KEY with a salt of its own (Django's `salted_hmac`; the keys of
SECRET_KEY_FALLBACKS are accepted too, so rotating the secret does not break the addresses already sent). The day
makes the address expire after REPLY_ADDRESS_MAX_AGE_DAYS; one address per person, thread and day, so a thread's
notifications of one day share it.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hmac
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

if TYPE_CHECKING:
    from discussions.models import Thread
    from membres.models import User

SALT = "discussions.replies.reply_address"
LOCAL_PREFIX = "reponse"
EPOCH = datetime.date(2020, 1, 1)
_PAYLOAD = struct.Struct(">IIH")  # user id, thread id, day issued (days since EPOCH)
_MAC_BYTES = 10
TOKEN_LENGTH = 32  # (10 + 10 bytes) * 8 / 5 bits: base32 without padding
# What a notification may print above the quoted text: the reply's text ends where this line is quoted.
REPLY_ABOVE_MARKER = "Répondez au-dessus de cette ligne"


class ReplyAddressError(Exception):
    """An address of our reply domain that does not lead to a thread: `reason` is FORGED or EXPIRED."""

    FORGED = "forged"
    EXPIRED = "expired"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ReplyToken:
    user_id: int
    thread_id: int
    issued_on: datetime.date


def reply_domain() -> str:
    return (settings.REPLY_DOMAIN or "").strip().lower()


def _mac(payload: bytes, secret: str) -> bytes:
    return salted_hmac(SALT, payload, secret=secret, algorithm="sha256").digest()[:_MAC_BYTES]


def make_token(*, user_id: int, thread_id: int, issued_on: datetime.date) -> str:
    payload = _PAYLOAD.pack(user_id, thread_id, (issued_on - EPOCH).days)
    raw = payload + _mac(payload, settings.SECRET_KEY)
    return base64.b32encode(raw).decode().lower()


def reply_address(user: User, thread: Thread) -> str:
    """The Reply-To of a notification of `thread` sent to `user`; "" when replies by e-mail are off (REPLY_DOMAIN
    empty): the notification then has no Reply-To."""
    domain = reply_domain()
    if not domain:
        return ""
    token = make_token(user_id=user.pk, thread_id=thread.pk, issued_on=timezone.localdate())
    return f"{LOCAL_PREFIX}+{token}@{domain}"


def is_reply_domain(address: str) -> bool:
    domain = reply_domain()
    return bool(domain) and address.strip().lower().rpartition("@")[2] == domain


_TOKEN_RE = re.compile(rf"(?:^|\+)([a-z2-7]{{{TOKEN_LENGTH}}})$")


def read_reply_address(address: str, *, today: datetime.date | None = None) -> ReplyToken:
    """The person and thread a reply address was issued for; ReplyAddressError(FORGED) when it was not signed by us
    (or was altered), ReplyAddressError(EXPIRED) past REPLY_ADDRESS_MAX_AGE_DAYS. Case does not matter."""
    local = address.strip().lower().rpartition("@")[0]
    match = _TOKEN_RE.search(local)
    if not match:
        raise ReplyAddressError(ReplyAddressError.FORGED)
    try:
        raw = base64.b32decode(match.group(1).upper())
    except (binascii.Error, ValueError):
        raise ReplyAddressError(ReplyAddressError.FORGED) from None
    payload, mac = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(hmac.compare_digest(mac, _mac(payload, secret)) for secret in secrets):
        raise ReplyAddressError(ReplyAddressError.FORGED)
    user_id, thread_id, day = _PAYLOAD.unpack(payload)
    issued_on = EPOCH + datetime.timedelta(days=day)
    today = today or timezone.localdate()
    if (today - issued_on).days > settings.REPLY_ADDRESS_MAX_AGE_DAYS:
        raise ReplyAddressError(ReplyAddressError.EXPIRED)
    return ReplyToken(user_id=user_id, thread_id=thread_id, issued_on=issued_on)
