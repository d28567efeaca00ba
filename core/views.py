from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from core import health, legal
from core.models import LegalPage


def bad_request(request, exception=None):
    message = str(exception) if exception and str(exception) else None
    return render(request, "400.html", {"message": message}, status=400)


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


@require_GET
def legal_page(request, slug: str):
    """Mentions légales, politique de confidentialité, déclaration d'accessibilité: public, linked from the footer."""
    if slug not in legal.TITLES:
        raise Http404
    page = LegalPage.objects.filter(slug=slug).first()
    body = page.body if page else legal.default_text(slug)
    context = {
        "title": legal.TITLES[slug],
        "body": legal.render_text(body),
        "updated_at": page.updated_at if page else None,
    }
    return render(request, "core/legal.html", context)
