from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from core import health


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "500.html", status=500)


# `core` is the lowest layer and cannot use `collectifs.access.public_view`: Django's `require_GET` says the method.
@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database and the broker answer, 503 naming what is down."""
    checks = health.status()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
