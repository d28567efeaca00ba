"""Reply addresses of the notifications: each e-mail about a new message carries, as its Reply-To, an address signed
for one person and one thread, so that answering the e-mail posts the answer in the thread as that person.

`reply_address(user, thread) -> str` is the one function the notifications call (discussions.services.notify). It
returns the address, e.g. « reponse+<token>@reponses.exemple.org », or "" when replies by e-mail are not set up:
the notification then carries no Reply-To and says « Répondez sur le site » with the link to the thread.

This is a stub that returns "": the reply-by-email work (inbound webhook or SMTP receiver, signature checks,
bounces) replaces it, keeping this signature. Whatever it returns must be safe to put in a header (one address,
no line break) and must stay valid long enough for a daily digest reader to answer the immediate e-mails.
"""

from __future__ import annotations


def reply_address(user, thread) -> str:
    """The address a reply to a notification about `thread` sent to `user` goes to; "" when there is none."""
    return ""
