"""Reads of restitutions that other apps show."""

from __future__ import annotations

from restitutions.models import Restitution


def restitutions_for_reunion(reunion) -> list[Restitution]:
    """The restitutions of an atelier, for its page in reunions (registered into reunions.hooks)."""
    return list(Restitution.objects.for_reunion(reunion).order_by("pk"))
