"""The SMTP receiver of replies (`manage.py receive_replies`): a small aiosmtpd server that the MX of REPLY_DOMAIN
(or a relay) delivers to. It takes only recipients of REPLY_DOMAIN (550 otherwise: it relays nothing), refuses a
message over REPLY_MAX_BYTES at DATA (552, advertised with SIZE, so that the sender's own server tells them), and
hands each message to discussions.inbound.receive in a worker thread (the ORM is synchronous). A database error
answers 451: the sending server keeps the message and tries again later.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections, connection

from discussions.replies import is_reply_domain, reply_domain

logger = logging.getLogger(__name__)


class ReplyHandler:
    def __init__(self, max_workers: int = 2):
        self.executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="replies")

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options: list[str]) -> str:
        if not reply_domain():
            return "550 5.7.1 Replies by e-mail are turned off here"
        if not is_reply_domain(address):
            return "550 5.7.1 Relaying denied: only reply addresses of this platform"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        content: bytes = envelope.original_content or envelope.content
        if len(content) > settings.REPLY_MAX_BYTES:
            return "552 5.3.4 Message too big for this platform"
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(
                self.executor, _receive, content, list(envelope.rcpt_tos), envelope.mail_from or ""
            )
        except Exception:
            logger.exception("reply_smtp_failed")
            return "451 4.3.0 Temporary failure, please try again later"
        return f"250 2.0.0 {outcome.status}"


def _receive(content: bytes, rcpt_tos: list[str], mail_from: str):
    from discussions.inbound import receive

    # A long-running process with a few replies an hour: a fresh connection per message, closed after it, so that
    # a database restart between two replies costs nothing and no idle connection is kept.
    close_old_connections()
    try:
        return receive(content, envelope_to=rcpt_tos, envelope_from=mail_from)
    finally:
        connection.close()


def reply_controller(host: str, port: int) -> Controller:
    """The receiver, not started yet (`.start()` serves it in a thread of its own, `.stop()` ends it)."""
    return Controller(
        ReplyHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.REPLY_MAX_BYTES,
        server_hostname=reply_domain() or None,
        ident="Perseverance replies",
    )
