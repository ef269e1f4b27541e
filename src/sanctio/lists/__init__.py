"""List formats: read a publisher's file into entities; write lists in the formats others read.

Each format is a module with ``FORMAT`` (its name), ``detect(head, path)`` (judges the
first 4 KiB of a file, or a folder with an empty ``head``) and ``read(path)``. Adding a
format is adding its module to ``_READERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sanctio.errors import InputError
from sanctio.lists import (
    eu_fsf_xml,
    eu_journal,
    ftm_json,
    ofac_csv,
    ofac_xml,
    simple_csv,
    uk_csv,
    uk_xml,
    un_xml,
    xmlfile,
)
from sanctio.lists.files import read_bytes, refuse_special
from sanctio.lists.parsed import ParsedList

Detector = Callable[[bytes, Path], bool]
Reader = Callable[[Path], ParsedList]

_READERS = [
    eu_journal,
    un_xml,
    eu_fsf_xml,
    uk_xml,
    uk_csv,
    ofac_csv,
    ofac_xml,
    ftm_json,
    simple_csv,
]

#: format name -> (detector, reader)
FORMATS: dict[str, tuple[Detector, Reader]] = {
    module.FORMAT: (module.detect, module.read) for module in _READERS
}


def detect_format(path: Path) -> str:
    """The format of ``path`` (a file, or a folder of files) judged from its content;
    InputError if none fits (also for a FIFO or device, refused before it is read)."""
    refuse_special(path)
    if path.is_dir():
        head = b""
    elif path.is_file():
        try:
            head = read_bytes(path, limit=4096)
        except OSError as exc:
            raise InputError(
                path, f"cannot read: {exc.strerror}; expected a readable file"
            ) from None
        if not head.removeprefix(b"\xef\xbb\xbf").strip():
            raise InputError(path, "file is empty; expected a list file", 1)
    else:
        raise InputError(path, "no such file; expected a list file")
    for name, (detect, _) in FORMATS.items():
        if detect(head, path):
            return name
    if path.is_file() and xmlfile.declares_dtd(head):
        xmlfile.parse_xml(path)  # says the DTD is refused, whatever the root element
    what = "folder" if path.is_dir() else "list format"
    raise InputError(
        path,
        f"unrecognised {what}; expected one of: {', '.join(FORMATS)}",
        None if path.is_dir() else 1,
    )


def read_list(path: Path, format: str | None = None) -> ParsedList:
    """Read a list file in the given format, or the one its content shows.

    A file that cannot be read (missing, a folder where a file is expected, no
    permission, a FIFO or device that would never end) is an InputError naming it,
    also when the format is given.
    """
    fmt = format or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(path, f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    refuse_special(path, f"{fmt} list file")
    if not path.exists():
        raise InputError(path, f"no such file; expected a {fmt} list file")
    try:
        return FORMATS[fmt][1](path)
    except OSError as exc:
        where = Path(exc.filename) if isinstance(exc.filename, str) else path
        problem = "a folder" if where.is_dir() else f"cannot read: {exc.strerror}"
        raise InputError(where, f"{problem}; expected a readable {fmt} list file") from None


__all__ = ["FORMATS", "ParsedList", "detect_format", "read_list"]
