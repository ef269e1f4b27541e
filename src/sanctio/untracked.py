"""Values the cycle collector need not walk: the immutable entries of long-lived caches.

CPython's collector stops walking a plain tuple once all it holds is atomic (strings,
numbers), but never a named tuple or a frozenset. A service's caches of name parts,
name forms and word look-ups held some 115,000 such objects after 30,000 queries,
and every full collection walked them all: 120-160 ms with requests waiting, about
every half minute (docs/benchmarks.md). These values hold only strings, numbers,
arrays and other such values, so no reference cycle can run through them, and the
collector may leave them alone, as it does those tuples: ``PyObject_GC_UnTrack`` of
CPython's C API. Elsewhere (another Python) nothing is done.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable
from typing import TypeVar

Value = TypeVar("Value")


def _c_untrack() -> Callable[[object], None] | None:
    try:
        function = ctypes.pythonapi.PyObject_GC_UnTrack
    except AttributeError:  # not CPython
        return None
    function.argtypes = [ctypes.py_object]
    function.restype = None
    return function


_untrack = _c_untrack()


def untracked(value: Value) -> Value:
    """``value``, no longer walked by the cycle collector. Only for a value that cannot
    be part of a reference cycle: immutable, holding nothing but atomic values and
    other such values (a cycle through it would never be collected)."""
    # a value the collector does not track (a string, or one untracked already) is left
    # as it is: only a tracked object has the header that untracking unlinks
    if _untrack is not None and gc.is_tracked(value):
        _untrack(value)
    return value
