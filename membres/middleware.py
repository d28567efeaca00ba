"""The signed-in user read from the shared cache instead of the database on every request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

# A copy may be stale only if a row is changed without save() (a queryset update): never longer than this.
USER_CACHE_SECONDS = 300


def user_cache_key(user_id) -> str:
    return f"auth-user:{user_id}"


def user_generation_key(user_id) -> str:
    return f"auth-user-gen:{user_id}"


def user_cache_forget(sender, instance, **kwargs) -> None:
    """Every save or deletion of a user drops its cached copy and moves its generation on (receiver of post_save
    and post_delete): a copy read from the database before the change and cached after it is never used."""
    cache.delete(user_cache_key(instance.pk))
    try:
        cache.incr(user_generation_key(instance.pk))
    except ValueError:  # no generation yet (or evicted): a new value no copy carries
        cache.set(user_generation_key(instance.pk), time.time_ns(), None)


def cached_user(request):
    """django.contrib.auth.get_user, with the user row from the cache when the session still matches it.

    A cached copy is used only when it carries the user's current generation (see `user_cache_forget`), the session
    names an enabled backend and carries the hash of the copy's password (the same constant-time check as Django's),
    and the backend would still let the user in (is_active). Anything else (no copy, another generation or hash, a
    rotated SECRET_KEY) goes through Django's own get_user, which also flushes a session that no longer matches; the
    user it finds is then cached with the generation read before it.
    """
    session = request.session
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = session[auth.BACKEND_SESSION_KEY]
        session_hash = session[auth.HASH_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    key, generation_key = user_cache_key(user_id), user_generation_key(user_id)
    found = cache.get_many([key, generation_key])
    generation, entry = found.get(generation_key), found.get(key)
    if generation is not None and entry is not None:
        entry_generation, user = entry
        if (
            entry_generation == generation
            and user.pk == user_id
            and session_hash
            and constant_time_compare(session_hash, user.get_session_auth_hash())
            and auth.load_backend(backend_path).user_can_authenticate(user)
        ):
            return user
    if generation is None:
        cache.add(generation_key, time.time_ns(), None)
        generation = cache.get(generation_key)
    user = auth.get_user(request)
    if user.is_authenticated and generation is not None:
        cache.set(key, (generation, user), USER_CACHE_SECONDS)
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, whose request.user comes through `cached_user`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_user(request))
