"""Extension points: how a lower app shows or calls something of a higher app without importing it.

The lower app declares a `Hook` (in its own `hooks.py`); the higher app imports that object — an import that
points down — and registers its function in `AppConfig.ready()`. A misspelt hook is an AttributeError at start-up
and a misspelt function a NameError, instead of a section silently skipped.

    # collectifs/hooks.py
    home_panels = Hook("collectifs.home_panels", "Panels of the collectif's home: fn(access) -> dict | None")

    # reunions/apps.py, in ready()
    from collectifs.hooks import home_panels
    home_panels.register(next_reunions_panel, order=10)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


class Hook:
    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._entries: list[tuple[int, str, Callable[..., Any]]] = []

    def register(self, fn: Callable[..., Any] | None = None, *, order: int = 100):
        """Register `fn` (or decorate it); registering the same function twice changes nothing."""

        def add(fn: Callable[..., Any]) -> Callable[..., Any]:
            key = f"{fn.__module__}.{fn.__qualname__}"
            if all(existing != key for _, existing, _ in self._entries):
                self._entries.append((order, key, fn))
                self._entries.sort(key=lambda entry: (entry[0], entry[1]))
            return fn

        return add(fn) if fn is not None else add

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter([fn for _, _, fn in self._entries])

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[str]:
        return [key for _, key, _ in self._entries]

    def call(self, *args, **kwargs) -> list[Any]:
        """Call every registered function in order; returns their results."""
        return [fn(*args, **kwargs) for fn in self]

    def sections(self, *args, **kwargs) -> list[str]:
        """For hooks whose functions return rendered HTML: the non-empty results, in order."""
        return [html for html in self.call(*args, **kwargs) if html]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self)} registered>"


demo_loaders = Hook(
    "core.demo_loaders",
    "Demonstration data, loaded by `manage.py load_demo` in order: fn(stdout) -> None, safe to run twice.",
)
