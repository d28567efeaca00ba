"""A fixed-window rate limit per client IP, counted in the cache (Redis in production and tests).

Used where an anonymous request costs real CPU (the public fiche PDF). The client IP is REMOTE_ADDR, or the
address the trusted proxies put in X-Forwarded-For when ALLAUTH_TRUSTED_PROXY_COUNT says there are some (the same
setting allauth's login limits read), so that both limits agree on who the client is.
"""

from __future__ import annotations

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies > 0 and forwarded:
        addresses = [a.strip() for a in forwarded.split(",")]
        if len(addresses) >= proxies:
            return addresses[-proxies][:64]
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def allow(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one hit of `identity` in `scope`; False once it made more than `limit` hits in `window` seconds."""
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit


def too_many_requests(request, message: str):
    return render(request, "429.html", {"message": message}, status=429)


def anonymous_rate_limit(scope: str, *, setting: str, message: str):
    """Limit anonymous visitors of a view per client IP; `setting` names a (limit, window seconds) setting."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                limit, window = getattr(settings, setting)
                if not allow(scope, client_ip(request), limit=limit, window=window):
                    logger.warning("rate_limited scope=%s", scope)
                    return too_many_requests(request, str(message))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
