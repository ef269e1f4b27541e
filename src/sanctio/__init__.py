"""Sanctio: targeted sanctions from evidence to a published list, and screening against it.

The screening API is here at the top level: ``sanctio.compare(a, b, schema="Person")``
scores two names and says why; ``sanctio.Screener`` screens queries (``sanctio.Query``)
against lists. They are imported on first use, so that the ``sanctio`` command starts
without loading the matcher.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sanctio.screening import DEFAULT_THRESHOLD, Match, Query, Screener, compare

__all__ = ["DEFAULT_THRESHOLD", "Match", "Query", "Screener", "__version__", "compare"]
_SCREENING = frozenset({"DEFAULT_THRESHOLD", "Match", "Query", "Screener", "compare"})


def __getattr__(name: str) -> Any:
    if name in _SCREENING:
        from sanctio import screening

        return getattr(screening, name)
    raise AttributeError(f"module 'sanctio' has no attribute {name!r}")
