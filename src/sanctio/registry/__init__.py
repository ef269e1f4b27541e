"""The registry: lists and their immutable versions, on SQLite or PostgreSQL by URL."""

from sanctio.registry.diff import ListDiff, diff_entities
from sanctio.registry.store import EntityView, ImportResult, Registry, VersionInfo

__all__ = ["EntityView", "ImportResult", "ListDiff", "Registry", "VersionInfo", "diff_entities"]
