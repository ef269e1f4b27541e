"""List formats: read a publisher's file into entities (and, later, write our own lists)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sanctio.errors import InputError
from sanctio.lists import eu_journal
from sanctio.lists.parsed import ParsedList

#: format name -> (detector on the file's first bytes, reader)
FORMATS: dict[str, tuple[Callable[[bytes], bool], Callable[[Path], ParsedList]]] = {
    eu_journal.FORMAT: (eu_journal.detect, eu_journal.read),
}


def detect_format(path: Path) -> str:
    """The format of ``path`` judged from its content; InputError if none fits."""
    if not path.is_file():
        raise InputError(path, "no such file; expected a list file")
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise InputError(path, "file is empty; expected a list file", 1)
    for name, (detect, _) in FORMATS.items():
        if detect(head):
            return name
    raise InputError(path, f"unrecognised list format; expected one of: {', '.join(FORMATS)}", 1)


def read_list(path: Path, format: str | None = None) -> ParsedList:
    """Read a list file in the given format, or the one its content shows."""
    fmt = format or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(path, f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    return FORMATS[fmt][1](path)


__all__ = ["FORMATS", "ParsedList", "detect_format", "read_list"]
