"""Request-wide rules of the platform."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def is_privileged(user) -> bool:
    """Superusers reach every collectif and the administration; CRPV editors publish under the platform's name:
    a stolen password of theirs costs most, so they must sign in with a second factor (TOTP)."""
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "is_crpv_editor", False)))


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class PrivilegedMFAMiddleware:
    """Send a superuser or CRPV editor without TOTP to its set-up page before any other page.

    The account pages (/compte/: set-up, reauthentication, logout), static files and the legal pages stay open.
    Off when settings.MFA_REQUIRED_FOR_PRIVILEGED is False (development and most tests).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED_FOR_PRIVILEGED and self._must_set_up(request):
            messages.warning(
                request,
                _(
                    "Votre rôle (administration ou éditeur CRPV) demande une double authentification : "
                    "configurez une application d'authentification pour continuer."
                ),
            )
            logger.info("mfa_required user=%s path_blocked", request.user.pk)
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not is_privileged(user):
            return False
        exempt = ("/compte/", settings.STATIC_URL, settings.MEDIA_URL, *settings.MFA_EXEMPT_PATHS)
        if request.path.startswith(exempt):
            return False
        return not has_totp(user)
