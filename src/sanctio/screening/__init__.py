"""Screening: names matched across scripts and spellings, with explainable scores."""

from sanctio.screening.index import NameIndex
from sanctio.screening.query import Query, QueryError
from sanctio.screening.scorer import DEFAULT_THRESHOLD, Comparison
from sanctio.screening.screener import Match, Screener, compare

__all__ = [
    "DEFAULT_THRESHOLD",
    "Comparison",
    "Match",
    "NameIndex",
    "Query",
    "QueryError",
    "Screener",
    "compare",
]
