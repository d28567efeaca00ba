"""@mentions: « @Prénom Nom » in a message names a person of the collectif, who then follows the thread and gets
the message.

The syntax is the person's full name as the directory shows it, after an @ (« @Nadia Haddad »), matched without
regard to case; the reply form also offers the list of people as checkboxes, which adds « @Prénom Nom » to the text
(no JavaScript, readable by screen readers, and the mention stays visible to every reader). A name shared by two
people mentions both. Only current members of the collectif (guests included: they read) can be mentioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from membres.models import Membership, person_name


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str


def mentionable(collectif_id: int, *, exclude_user_id: int | None = None) -> list[Person]:
    """The people of the collectif who can be mentioned, by name (one query)."""
    rows = (
        Membership.objects.active()
        .filter(collectif_id=collectif_id, user__isnull=False, user__is_active=True)
        .values_list("user_id", "user__first_name", "user__last_name", "user__email")
        .order_by("user__last_name", "user__first_name", "user_id")
        .distinct()
    )
    people: dict[int, Person] = {}
    for user_id, first, last, email in rows:
        if user_id == exclude_user_id or user_id in people:
            continue
        if not f"{first} {last}".strip():
            continue  # a person without a name cannot be written as « @Prénom Nom »
        people[user_id] = Person(user_id=user_id, name=person_name(first, last, email))
    return list(people.values())


def _pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in name.split()]
    return re.compile(r"(?<![\w@])@" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def mentioned_in(text: str, people: list[Person]) -> set[int]:
    """The ids of the people mentioned in `text` (plain text of the message)."""
    if "@" not in text:
        return set()
    return {p.user_id for p in people if _pattern(p.name).search(text)}


def mention_text(name: str) -> str:
    return f"@{name}"


def replace_mention(text: str, name: str, replacement: str) -> str:
    """`text` with every mention of `name` replaced (the erasure of an account: « @ancien membre »)."""
    return _pattern(name).sub(replacement, text)
