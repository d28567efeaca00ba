"""What the pages of reunions share."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from reunions.models import Reunion


def ctx(request, **extra) -> dict:
    return {"collectif": request.access.collectif, "access": request.access, **extra}


def to_detail(reunion: Reunion, anchor: str = "") -> HttpResponse:
    return redirect(reunion.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def to_minutes(reunion: Reunion, anchor: str = "") -> HttpResponse:
    url = reverse("reunions:minutes", kwargs={"collectif_slug": reunion.collectif.slug, "pk": reunion.pk})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def decision_action_url(collectif, decision) -> str:
    try:
        return reverse(
            "actions:create_from_decision", kwargs={"collectif_slug": collectif.slug, "decision_pk": decision.pk}
        )
    except NoReverseMatch:
        return ""
