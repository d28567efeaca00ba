"""Walk every URL of the project as every role: anonymous, guest, member, coordinator, member of another
collectif, CRPV editor, superuser (pretix `tests/control/test_permissions.py`)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access import ROLES, Case, World
from tests.helpers import client_for, make_collectif, make_institution, make_person

# Paths not walked here: Django's admin (tested in tests/core) and allauth's pages (its own test suite;
# our login, sign-up refusal and password reset are tested in tests/membres).
EXCLUDED_PREFIXES = ("admin/", "compte/")


def _access_modules():
    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"tests.{info.name}.access"))
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.access":
                    raise
    return modules


MODULES = _access_modules()
CASES: list[Case] = [case for module in MODULES for case in getattr(module, "CASES", [])]


def _project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str, namespace: str | None):
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = p.namespace if p.namespace else namespace
                if namespace and p.namespace:
                    ns = f"{namespace}:{p.namespace}"
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "", None)
    return names


def test_every_url_of_the_project_has_an_access_case():
    covered = {case.url_name for case in CASES}
    missing = sorted(_project_url_names() - covered)
    assert not missing, f"URL sans cas d'accès dans tests/<app>/access.py : {missing}"


@pytest.fixture(scope="module")
def walk_media(tmp_path_factory):
    return tmp_path_factory.mktemp("walk-media")


@pytest.fixture(autouse=True)
def _media_root(settings, walk_media):
    """The world's files (documents, the cycle's PDF) live in one media root for the whole module."""
    settings.MEDIA_ROOT = str(walk_media)
    settings.PRIVATE_MEDIA_ROOT = str(walk_media / "private")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, walk_media):
    """The cast and every app's objects, built once for the module inside a transaction rolled back at the end.

    Each case runs in its own savepoint (the `db` fixture nests in this transaction), so what a case writes (a
    POST that deletes) is gone before the next case.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=str(walk_media), PRIVATE_MEDIA_ROOT=str(walk_media / "private")):
                w = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield w
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _build_world() -> World:
    collectif = make_collectif()
    other_collectif = make_collectif(other=True)
    institution = make_institution(collectif)
    w = World(
        collectif=collectif,
        other_collectif=other_collectif,
        users={
            "anonymous": None,
            "coordinator": make_person("coordinator", collectif, institution),
            "member": make_person("member", collectif, institution),
            "guest": make_person("guest", collectif, institution),
            "other": make_person("other", other_collectif),
            "crpv": make_person("crpv"),
            "superuser": make_person("superuser"),
        },
    )
    for module in MODULES:
        if hasattr(module, "extend_world"):
            module.extend_world(w)
    return w


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_url_answers_each_role_as_expected(case: Case, world, db):
    url = reverse(case.url_name, kwargs=case.kwargs(world)) + case.query
    got = {}
    for role in ROLES:
        client = client_for(world.users[role])
        with transaction.atomic():
            send = client.post if case.method == "post" else client.get
            response = send(url, case.data(world)) if case.method == "post" else send(url)
            got[role] = response.status_code
            transaction.set_rollback(True)
    wrong = {
        role: f"{got[role]} au lieu de {case.expected[role]}" for role in ROLES if got[role] != case.expected[role]
    }
    assert not wrong, f"{case.method.upper()} {url} : {wrong}"
