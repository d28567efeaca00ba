"""The table of who may open which URL, extended by each app in `tests/<app>/access.py`.

An app's module defines `CASES: list[Case]` and, when its URLs need objects, `extend_world(world)`, which
creates them in `world.collectif` (and, for 404 checks, in `world.other_collectif`) and stores them as
attributes of `world`. `tests/test_access_walk.py` requests every case as every role and fails on any URL of
the project that no case covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "guest", "member", "coordinator", "other", "crpv", "superuser")


@dataclass
class World:
    collectif: Any
    other_collectif: Any
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("collectif", "other_collectif", "users", "extra"):
            super().__setattr__(name, value)
        else:
            # Every app extends the same world: two apps storing the same name would silently test each other's
            # objects, so a name can be set only once.
            assert name not in self.extra, f"world.{name} est déjà défini par une autre app"
            self.extra[name] = value


def expect(**statuses: int) -> dict[str, int]:
    missing = set(ROLES) - set(statuses)
    assert not missing, f"statut attendu manquant pour {missing}"
    return statuses


# The usual rules, as expected statuses. 302 = sent to the login page; 404 = not in this collectif.
PUBLIC = expect(anonymous=200, guest=200, member=200, coordinator=200, other=200, crpv=200, superuser=200)
LOGGED_IN = expect(anonymous=302, guest=200, member=200, coordinator=200, other=200, crpv=200, superuser=200)
MEMBERS_READ = expect(anonymous=302, guest=200, member=200, coordinator=200, other=404, crpv=404, superuser=200)
MEMBERS_WRITE = expect(anonymous=302, guest=403, member=200, coordinator=200, other=404, crpv=404, superuser=200)
COORDINATORS = expect(anonymous=302, guest=403, member=403, coordinator=200, other=404, crpv=404, superuser=200)
CRPV_EDITORS = expect(anonymous=302, guest=403, member=403, coordinator=403, other=403, crpv=200, superuser=200)


@dataclass
class Case:
    """One URL: its name, how to build its kwargs from the world, the expected status for each role.

    `method="post"` cases are sent with `data(world)`; each role's request is rolled back afterwards, so a
    POST that changes something does not change what the next role sees.
    """

    url_name: str
    expected: dict[str, int]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: Callable[[World], dict] = lambda w: {}
    query: str = ""
    note: str = ""

    def __post_init__(self):
        assert set(self.expected) == set(ROLES), f"{self.url_name}: un statut par rôle"

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{' ' + self.note if self.note else ''}"
