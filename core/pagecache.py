"""Rendered pages kept in the shared cache, per person, while nothing they show can have changed.

A page read every few minutes by the same people (a meeting's page, the list of meetings, the month) is rendered
once and then served from Redis until the next write. What "nothing changed" means here is deliberately coarse and
hard to get wrong:

- **The content generation** is one counter in the shared cache. Every statement that writes to the database
  (INSERT, UPDATE, DELETE, TRUNCATE, DDL), from any process (web, Celery worker, beat, management command), moves it
  on: right after the statement, or, inside a transaction, when it commits (and before the same connection reads
  a kept page, so that it sees its own writes); a page rendered meanwhile from the rows of before the commit is
  stored under a generation that the commit leaves behind. The statements are seen by a
  database execute wrapper installed on every connection (`install`), so that queryset `update()`, `bulk_create()`
  and raw SQL count as much as `save()`: no model signal to forget. The only writes that do not move it are those
  to `IGNORED_TABLES` (sessions, the outbox, reminders and notifications queues, written all day by the workers);
  a page that shows them puts their table generations in its key (`cached_page(tables=...)`).
- **A kept page** is stored under the person and the address with its query string, with the generation read
  before rendering it; it is served while the generation is still that one, for at most `PAGE_CACHE_SECONDS`
  (5 minutes): what depends only on the clock (« à venir » / « passées », today's cell in the month) is at most
  that late. One entry per person and address, compressed: Redis holds what the people active in the last
  minutes have read, not one copy per generation.
- **What each response adds** is not stored: the page is rendered with placeholders for the CSRF token and the
  CSP nonce, and each response puts its own in (a new CSRF mask per response, as Django does).
- **Not cached**: anything but a GET of a full page (htmx requests), a page with messages to show, a response other
  than a plain 200 HTML page without cookies, a render during which the session or the generation moved (the view
  wrote something, or someone else did), and any page when the cache is not shared between processes
  (`PAGE_CACHE_SECONDS = 0` without Redis: a per-process cache would not see the other processes' writes).

A write missed by the wrapper (SQL typed by hand in psql) shows at most `PAGE_CACHE_SECONDS` late. One cache round
trip serves a kept page (the generation and the page in one MGET).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import zlib
from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.middleware.csrf import get_token

from core.cache import RedisCache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Alphanumeric, so that autoescaping leaves them as they are wherever a template prints them.
CSRF_PLACEHOLDER = "pagecacheCsrfTokenPlaceholder0b5e2c"
NONCE_PLACEHOLDER = "pagecacheCspNoncePlaceholder7d41a9"
# Writes that no page shows, made all day long: each login sets the user's last login alone (Django's
# update_last_login). Such a statement moves only the generation of its pseudo-table: logins, one every few seconds
# on a national platform, no longer make every kept page be rendered again.
IGNORED_UPDATES = {'UPDATE "membres_user" SET "last_login" = %s WHERE ': "membres_user.last_login"}
# Tables written all day long by the workers: their writes move only their own table generation, which the few
# pages that show them put in their key (a coordinator's view of a reunion shows its e-mails and reminders). And the
# pseudo-tables of IGNORED_UPDATES.
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "core_outboxmessage",
        "reunions_reminderdue",
        "discussions_pendingnotification",
        *IGNORED_UPDATES.values(),
    }
)
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET ", "SHOW", "BEGIN", "COMMIT", "EXPLAIN", "PRAGMA", "FETCH")
WRITES = ("INSERT INTO", "UPDATE", "DELETE FROM")
UNKNOWN_TABLE = "*"
MODIFIES = re.compile(r"\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b", re.IGNORECASE)


# --- The content generation ---------------------------------------------------------------------------------------


def _flush_pending() -> None:
    """A transaction of this thread that has written moves the generations on before this thread reads a kept
    page: its own reads see its writes."""
    connection = connections[DEFAULT_DB_ALIAS]
    pending = getattr(connection, "pagecache_pending", None)
    if pending:
        connection.pagecache_pending = set()
        move_generation(pending)


def _generations(keys: list[str], found: dict | None = None) -> tuple | None:
    """The values of these generation keys (`found`: those already read with something else, in one round trip);
    a missing one gets a new value that nothing kept carries. None when the cache cannot be reached: nothing is
    kept then, pages are rendered as if there were no cache."""
    try:
        found = cache.get_many(keys) if found is None else found
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                cache.add(key, time.time_ns(), None)
            found = {**found, **cache.get_many(missing)}
        return tuple(found.get(key) for key in keys)
    except Exception:
        logger.warning("page cache: generations unreadable", exc_info=True)
        return None


def generation() -> int | None:
    """The current content generation (None when the cache cannot be reached)."""
    _flush_pending()
    values = _generations([GENERATION_KEY])
    return None if values is None else values[0]


def table_key(table: str) -> str:
    return f"pagecache:table:{table}"


def table_generations(tables: list[str]) -> tuple | None:
    """The generations of these tables (and of the writes whose table is not known), for a cache key of content
    read from these tables only: it changes with every write to one of them, whatever process made it. None when
    the cache cannot be reached."""
    _flush_pending()
    return _generations([table_key(t) for t in (*tables, UNKNOWN_TABLE)])


def move_generation(tables=()) -> None:
    """Something was written in these tables: their generations move on, and the content generation too unless
    they are all IGNORED_TABLES (no page cached so far is served again)."""
    keys = [table_key(t) for t in tables]
    if not tables or any(t not in IGNORED_TABLES for t in tables):
        keys.insert(0, GENERATION_KEY)
    try:
        backend = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(backend, RedisCache):  # one round trip (a missing key: a value no kept page carries)
            backend.incr_many(keys, missing=time.time_ns())
            return
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # no generation yet (or evicted): a new value that no cached page carries
                cache.set(key, time.time_ns(), None)
    except Exception:  # the write itself succeeded: a cache outage must not turn it into an error
        logger.warning("page cache: generation not moved on", exc_info=True)


def written_table(sql: str) -> str | None:
    """The table a statement writes to (UNKNOWN_TABLE when it cannot be told: TRUNCATE, DDL, WITH … and anything
    unforeseen), or None for a read."""
    head = sql.lstrip()[:40].upper()
    if head.startswith(READS):
        return None
    for verb in WRITES:
        if head.startswith(verb):
            statement = sql.lstrip()
            for prefix, pseudo_table in IGNORED_UPDATES.items():
                if statement.startswith(prefix):
                    return pseudo_table
            return statement[len(verb) :].split(None, 1)[0].strip('"`').lower()
    if head.startswith("WITH") and not MODIFIES.search(sql):  # a read with common table expressions
        return None
    return UNKNOWN_TABLE


def writes_content(sql: str) -> bool:
    """Whether a statement moves the content generation: a write, unless only to one of IGNORED_TABLES."""
    table = written_table(sql)
    return table is not None and table not in IGNORED_TABLES


def _after_commit(connection) -> None:
    tables, connection.pagecache_committing = getattr(connection, "pagecache_committing", set()), set()
    move_generation(tables)


def content_writes(execute, sql, params, many, context):
    """A database execute wrapper: after a statement that writes content, the generations move on. Inside a
    transaction, no other connection sees the write before the commit: they move on when the transaction commits,
    and before this connection reads a kept page (`generation`), once however many statements wrote."""
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None:
        connection = context["connection"]
        if connection.in_atomic_block:
            connection.__dict__.setdefault("pagecache_pending", set()).add(table)
            connection.__dict__.setdefault("pagecache_committing", set()).add(table)
            if not any(getattr(f, "func", None) is _after_commit for _s, f, _r in connection.run_on_commit):
                connection.on_commit(partial(_after_commit, connection))
        else:
            move_generation([table])
    return result


def install(connection, **kwargs) -> None:
    """Put the wrapper on a connection (signal `connection_created`, and the connections already made)."""
    if content_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(content_writes)


def install_everywhere() -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(install, dispatch_uid="core.pagecache.install")
    for connection in connections.all(initialized_only=True):
        install(connection)


# --- Pages ---------------------------------------------------------------------------------------------------------


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def _has_messages(request) -> bool:
    return len(messages.get_messages(request)) > 0


def page_key(request) -> str:
    address = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    return f"pagecache:page:{request.user.pk}:{address}"


def _cacheable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and set(response.headers) == {"Content-Type"}
        and response["Content-Type"].startswith("text/html")
        and not getattr(getattr(request, "session", None), "modified", False)
    )


def _fill(request, content: bytes) -> bytes:
    """The response's own CSRF token and CSP nonce where the cached page has placeholders."""
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())
    return content


def _render_with_placeholders(view, request, args, kwargs):
    request._pagecache_placeholders = True  # read by core.context_processors.page_cache
    lazy_nonce = getattr(request, "csp_nonce", None)
    request.csp_nonce = NONCE_PLACEHOLDER
    try:
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:  # a TemplateResponse: rendered here, placeholders in
            response.render()
        return response
    finally:
        request._pagecache_placeholders = False
        if lazy_nonce is not None:
            request.csp_nonce = lazy_nonce
        else:
            del request.csp_nonce


def cached_page(view=None, *, tables=None):
    """Decorate a GET view of logged-in people (inside its access decorator, which has checked the access): its
    page is served from the shared cache to the same person at the same address while the content generation is
    the one it was rendered under (for at most PAGE_CACHE_SECONDS). `tables(request)`: the IGNORED_TABLES this
    request's page shows (e.g. the outbox on a coordinator's page), whose generations must be the same too."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                not enabled()
                or request.method != "GET"
                or getattr(request, "htmx", False)
                or not request.user.is_authenticated
                or _has_messages(request)
            ):
                return view(request, *args, **kwargs)
            _flush_pending()
            # What the page is rendered under: the content generation and those of the workers' tables it shows,
            # read with the kept page in one round trip.
            keys = [GENERATION_KEY, *(table_key(t) for t in (tables(request) if tables is not None else []))]
            key = page_key(request)
            try:
                found = cache.get_many([key, *keys])
            except Exception:  # the cache is down: rendered as if there were none
                logger.warning("page cache: unreadable", exc_info=True)
                return view(request, *args, **kwargs)
            before = _generations(keys, found)
            kept = found.get(key)
            if kept is not None and before is not None and kept[0] == before:
                return HttpResponse(_fill(request, zlib.decompress(kept[1])), content_type="text/html; charset=utf-8")
            response = _render_with_placeholders(view, request, args, kwargs)
            _flush_pending()  # the view's own writes, if any, inside a transaction
            if before is not None and _cacheable(request, response) and _generations(keys) == before:
                try:
                    cache.set(key, (before, zlib.compress(response.content, 1)), settings.PAGE_CACHE_SECONDS)
                except Exception:
                    logger.warning("page cache: not stored", exc_info=True)
            if hasattr(response, "content"):
                response.content = _fill(request, response.content)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator
