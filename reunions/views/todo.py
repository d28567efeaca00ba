"""The coordinator's to-do: what waits for the coordination in the collectif."""

from __future__ import annotations

from django.shortcuts import render

from collectifs.access import MANAGE, collectif_view
from reunions.selectors import coordinator_todo
from reunions.views.common import ctx


@collectif_view(MANAGE)
def todo(request):
    return render(request, "reunions/todo.html", ctx(request, **coordinator_todo(request.access.collectif)))
