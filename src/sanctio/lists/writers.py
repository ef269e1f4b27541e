"""Writing a list in an exchange format: format name -> writer, and safe output.

Every writer receives the entities of one list version and a binary stream. A file is
written beside its destination and renamed into place only when the writer finished,
and standard output receives nothing until then: a failed export leaves no half file.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal, TextIO, get_args

from sanctio.errors import InputError, SanctioError
from sanctio.lists import annex_html, ftm_json, simple_csv
from sanctio.lists.files import kind_of
from sanctio.model import Entity

ExportFormat = Literal["ftm-json", "targets-simple-csv", "annex-html", "eu-fsf-xml"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
Writer = Callable[[Sequence[Entity], IO[bytes], str], None]
#: Output kept in memory up to this size before spilling to a temporary file.
_SPOOL_BYTES = 16 * 1024 * 1024


@contextmanager
def _as_text(out: IO[bytes]) -> Iterator[TextIO]:
    """``out`` as a UTF-8 text stream that writes newlines as given."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        yield text
    finally:
        text.detach()  # flushes, and leaves ``out`` open


def _ftm_json(entities: Sequence[Entity], out: IO[bytes], title: str) -> None:
    with _as_text(out) as text:
        ftm_json.write(entities, text)


def _simple_csv(entities: Sequence[Entity], out: IO[bytes], title: str) -> None:
    with _as_text(out) as text:
        simple_csv.write(entities, text)


def _annex_html(entities: Sequence[Entity], out: IO[bytes], title: str) -> None:
    with _as_text(out) as text:
        annex_html.write(entities, text, title or "Annex")


def _eu_fsf_xml(entities: Sequence[Entity], out: IO[bytes], title: str) -> None:
    """The EU Financial Sanctions Files XML, imported only when asked for."""
    try:
        from sanctio.lists.eu_fsf_xml import write
    except ImportError as exc:
        raise SanctioError(f"the eu-fsf-xml writer is not available: {exc}") from None
    write(list(entities), out)


WRITERS: dict[str, Writer] = {
    "ftm-json": _ftm_json,
    "targets-simple-csv": _simple_csv,
    "annex-html": _annex_html,
    "eu-fsf-xml": _eu_fsf_xml,
}


def export(format: str, entities: Sequence[Entity], out: IO[bytes], title: str = "") -> None:
    """Write ``entities`` to ``out`` in ``format`` (one of EXPORT_FORMATS)."""
    if format not in WRITERS:
        raise InputError(
            "--format", f"unknown format {format!r}; expected one of: {', '.join(WRITERS)}"
        )
    WRITERS[format](entities, out, title)


def export_file(format: str, entities: Sequence[Entity], path: Path, title: str = "") -> None:
    """Write to ``path`` atomically: a temporary file beside it, renamed when complete.

    Only a regular file is ever replaced: renaming over a FIFO, a device or a symbolic
    link would put the export where the user did not mean it (or take away what was
    there), so anything else at ``path`` is refused before anything is written.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(path, f"folder {folder} does not exist; expected an existing folder")
    refuse_non_regular(path)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        message = f"cannot write there ({exc.strerror}); expected a writable folder"
        raise InputError(path, message) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            export(format, entities, out, title)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def export_stdout(format: str, entities: Sequence[Entity], title: str = "") -> None:
    """Write to standard output, only once the whole export has succeeded."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as buffer:
        export(format, entities, buffer, title)
        buffer.seek(0)
        try:
            shutil.copyfileobj(buffer, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # the reader stopped early (``| head``), as it may: no error, and silence
            # Python's own report when it flushes standard output at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def refuse_non_regular(path: Path) -> None:
    """InputError when ``path`` exists and is not a regular file (a symbolic link is
    refused as such, wherever it points)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(
            path, f"cannot check it ({exc.strerror}); expected a writable file"
        ) from None
    if stat.S_ISLNK(mode):
        kind = "a symbolic link"
    elif stat.S_ISREG(mode):
        return
    else:
        kind = kind_of(mode)
    raise InputError(
        path, f"is {kind}; expected a regular file to replace, a new file name, or - for stdout"
    )


def _file_mode(path: Path) -> int:
    """The mode the file would get if created normally: kept if it exists, else umask's."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
