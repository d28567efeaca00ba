"""What discussions holds about a person (membres.hooks.personal_data) and what goes with their account
(membres.hooks.account_erasure).

The messages a person wrote stay in their threads, signed « ancien membre » (Message.author is set to NULL with the
account), like journal entries: the collectif's exchanges keep their shape. What would still name the person goes:
the « @Prénom Nom » mentions of them in other people's messages become « @ancien membre ». Follows, read marks
and waiting digest rows go with the account (cascade)."""

from __future__ import annotations

from django.db.models import Q

from discussions import mentions
from discussions.models import Follow, Message, Thread
from discussions.text import html_to_text


def export(user) -> dict[str, list[dict]]:
    messages = Message.objects.filter(author=user).select_related("thread__collectif").order_by("created_at", "pk")
    threads = Thread.objects.filter(created_by=user).select_related("collectif").order_by("created_at", "pk")
    follows = Follow.objects.filter(user=user).select_related("thread__collectif").order_by("created_at", "pk")
    return {
        "discussions_ouvertes": [
            {"collectif": t.collectif.name, "sujet": t.title, "ouverte_le": t.created_at.isoformat()} for t in threads
        ],
        "messages_de_discussion": [
            {
                "collectif": m.thread.collectif.name,
                "discussion": m.thread.title,
                "ecrit_le": m.created_at.isoformat(),
                "modifie_le": m.edited_at.isoformat() if m.edited_at else None,
                "envoye_depuis": m.get_source_display(),
                "texte": html_to_text(m.body),
            }
            for m in messages
        ],
        "discussions_suivies": [
            {
                "collectif": f.thread.collectif.name,
                "discussion": f.thread.title,
                "raison": f.get_reason_display(),
                "suit": f.active,
            }
            for f in follows
        ],
    }


def erase(user) -> None:
    """Mentions of the person in the messages of their collectifs become « @ancien membre »."""
    name = f"{user.first_name} {user.last_name}".strip()
    if not name:
        return
    first = name.split()[0]
    # A cheap first filter in SQL (« @Prénom »), then the exact, case-insensitive match in Python.
    for message in Message.objects.filter(Q(body__icontains=f"@{first}")).only("pk", "body"):
        body = mentions.replace_mention(message.body, name, "@ancien membre")
        if body != message.body:
            Message.objects.filter(pk=message.pk).update(body=body)
