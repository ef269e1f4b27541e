"""Opening list files safely: only regular files are read.

A named pipe (FIFO) given as a list file would block the reader forever, and a device
(``/dev/zero``) would never end; neither is ever a publisher's list. Each reader opens
its files through ``read_bytes``, which opens without blocking, checks what the opened
file is (so nothing can be swapped in between a check and the read) and refuses
anything but a regular file in one line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from sanctio.errors import InputError

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a file that is not regular is, in a user's words."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


def refuse_special(path: Path, what: str = "list file") -> None:
    """InputError when ``path`` exists and is neither a regular file nor a folder
    (a FIFO, a device, a socket); ``os.stat`` never blocks on one."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # missing or unreadable: the caller reports that in its own words
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InputError(path, f"is {kind_of(mode)}; expected a regular {what}")


def read_bytes(path: Path, what: str = "list file", limit: int | None = None) -> bytes:
    """The content of the regular file ``path`` (its first ``limit`` bytes if given).

    InputError for a FIFO, device or socket; OSError as ``Path.read_bytes`` raises it
    otherwise (missing, no permission, a folder), for callers that word those already.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise InputError(path, f"is {kind_of(mode)}; expected a regular {what}")
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the file object closes it now
            return handle.read() if limit is None else handle.read(limit)
    finally:
        if fd >= 0:
            os.close(fd)
