"""Caches of what queries bring must be bounded: a screening service meets new names
for as long as it runs, and an unbounded cache of them grows its memory without end."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import sanctio.names
import sanctio.screening


def _modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    ]


def test_every_cache_keyed_by_what_a_query_brings_has_a_size() -> None:
    """Every ``functools`` cache of the name and screening code whose function takes
    an argument (a name, a word, a key, a pair of them) holds a bounded number of
    entries; one taking no argument (a data table read once) need not."""
    caches = {
        f"{module.__name__}.{name}": value
        for package in (sanctio.names, sanctio.screening)
        for module in _modules(package)
        for name, value in vars(module).items()
        if hasattr(value, "cache_info") and getattr(value, "__module__", "") == module.__name__
    }
    assert "sanctio.names.parts._name_forms" in caches  # the walk finds them
    unbounded = [
        name
        for name, cached in caches.items()
        if cached.cache_info().maxsize is None and inspect.signature(cached).parameters
    ]
    assert unbounded == []
