"""The signed-in user comes from the shared cache while the session matches it (membres.middleware)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from membres.middleware import user_cache_key

HOME = "/"


def user_queries(client, path=HOME):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q["sql"] for q in queries.captured_queries if 'FROM "membres_user"' in q["sql"]]


def test_the_user_row_is_read_once_then_from_the_cache(member, member_client):
    first, read = user_queries(member_client)
    assert first.status_code == 200 and len(read) == 1
    assert cache.get(user_cache_key(member.pk)) is not None
    second, read = user_queries(member_client)
    assert second.status_code == 200 and read == []
    assert second.wsgi_request.user == member


def test_a_saved_user_is_read_again(member, member_client):
    user_queries(member_client)
    member.first_name = "Renommée"
    member.save()
    assert cache.get(user_cache_key(member.pk)) is None
    _, read = user_queries(member_client)
    assert len(read) == 1


def test_a_copy_read_before_a_change_is_never_used_after_it(member, member_client, client):
    """The race: a request reads the user, the password changes (the copy is dropped), then the request caches
    what it read. The generation moved on: the old session is refused."""
    user_queries(member_client)
    stale = cache.get(user_cache_key(member.pk))
    member.set_password("un-autre-mot-de-passe")
    member.save()
    cache.set(user_cache_key(member.pk), stale)
    assert not member_client.get(HOME).wsgi_request.user.is_authenticated

    client.force_login(member)
    user_queries(client)
    stale = cache.get(user_cache_key(member.pk))
    member.is_active = False
    member.save(update_fields=["is_active"])
    cache.set(user_cache_key(member.pk), stale)
    assert not client.get(HOME).wsgi_request.user.is_authenticated
