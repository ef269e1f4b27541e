"""Precinct results read from the files election observers actually publish.

Four formats, detected from the file's header (or forced with ``fmt``):

- ``russia-cik``: the Russian Central Election Commission tables as collected by Kobak,
  Shpilkin & Pshenichnikov (``region,tik,uik,`` then the protocol lines, then one column
  per candidate or party, then ``url``), zipped or not;
- ``belarus-protocols``: the 2020 Belarus protocols transcribed by observers (``Код
  комиссии`` then the protocol lines in Belarusian and the candidates);
- ``belarus-golos``: the "Golos" platform's export, whose official figures lack the
  ballots issued, so it serves vote-share tests only (see ``docs``);
- ``generic``: ``precinct,region,registered,ballots_issued,ballots_found,<candidates>``.

Columns are found by what their header says, not by position, because the same
commission publishes slightly different headers from one election to the next. A row
that cannot be used is not an error: it is left out as an ``Exclusion`` with its line
and reason, so that a few bad protocols do not stop the analysis of 97,000 good ones
and nothing leaves it silently. A header without a required column is an
``InputError``: then nothing in the file can be read correctly.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from sanctio.errors import InputError
from sanctio.forensics.precincts import Counts, Exclusion, Precincts
from sanctio.forensics.reconcile import GOLOS_CANDIDATES

#: The formats ``load_precincts`` reads, in the order detection tries them.
FORMATS = ("russia-cik", "belarus-protocols", "belarus-golos", "generic")
#: A count the format does not carry (e.g. ballots issued in ``belarus-golos``); tests
#: that need it refuse such data rather than read -1 as a number.
UNKNOWN = -1
#: The generic format's fixed columns, in order; every other column is a candidate.
GENERIC_COLUMNS = ("precinct", "region", "registered", "ballots_issued", "ballots_found")
#: Belarus region codes (first two digits of ``RR-DDD-NNNN``), as the commissions name them.
BELARUS_REGIONS = {
    "01": "Брестская область",
    "02": "Витебская область",
    "03": "Гомельская область",
    "04": "Гродненская область",
    "05": "Минская область",
    "06": "Могилевская область",
    "07": "г. Минск",
}


def load_precincts(path: Path, fmt: str | None = None) -> Precincts:
    """Read precinct results from ``path`` in format ``fmt`` (detected when ``None``)."""
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise InputError(path, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    text = _text(path, data)
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if not header:
        raise InputError(path, "the file is empty; expected a header line", line=1)
    header = [h.strip() for h in header]
    chosen = fmt or _detect(path, header)
    table = _collect(header, rows, _LAYOUTS[chosen](path, header))
    return Precincts(
        ids=table.ids,
        regions=table.regions,
        registered=table.registered,
        ballots_issued=table.issued,
        ballots_found=table.found,
        votes=table.votes,
        candidates=table.names,
        source=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        format=chosen,
        excluded=table.excluded,
    )


def _text(path: Path, data: bytes) -> str:
    """The CSV text: the file itself, or the single CSV inside a zip archive."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(members) != 1:
                found = ", ".join(archive.namelist()) or "nothing"
                raise InputError(path, f"expected one .csv inside the zip archive, found {found}")
            data = archive.read(members[0])
    try:
        return codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start}); expected a UTF-8 CSV") from exc


def _detect(path: Path, header: list[str]) -> str:
    """The format whose header this is."""
    lowered = [h.casefold() for h in header]
    if lowered[:3] == ["region", "tik", "uik"]:
        return "russia-cik"
    if header[0] == "Код комиссии":
        return "belarus-protocols"
    if lowered[:2] == ["id", "monitoredvotes"]:
        return "belarus-golos"
    if lowered[0] == GENERIC_COLUMNS[0]:
        return "generic"  # its other columns are checked by name, to say which is missing
    start = ",".join(header[:5])
    raise InputError(
        path,
        f"unrecognised header starting {start!r}; expected one of the formats "
        f"{', '.join(FORMATS)} (generic: {','.join(GENERIC_COLUMNS)},<candidates>)",
        line=1,
    )


@dataclass
class _Layout:
    """Where one format keeps each count: column indices to add up (an empty list:
    the format does not carry that count), the columns whose blank cell stands for a
    number, and how a row names its precinct and region."""

    names: list[str]
    key: Callable[[list[str]], tuple[str, str]]
    registered: list[int]
    issued: list[int]
    found: list[int]
    votes: list[int]
    labels: dict[int, str]
    blank: dict[int, int] = field(default_factory=dict)
    precheck: Callable[[list[str]], str | None] | None = None


@dataclass
class _Table:
    """The accepted rows as columns, and the rows left out."""

    names: list[str]
    ids: list[str]
    regions: list[str]
    registered: Counts
    issued: Counts
    found: Counts
    votes: Counts
    excluded: list[Exclusion]


class _BadRowError(ValueError):
    """A row to leave out, with the reason."""


def _number(text: str, label: str, blank: int | None = None) -> int:
    """The whole number in a cell (``blank`` when empty, if given), or why it is not."""
    text = text.strip()
    if not text and blank is not None:
        return blank
    if text.isascii() and text.isdigit():
        if len(text) > _MAX_DIGITS:
            raise _BadRowError(f"{label} is {text}; implausibly large for a precinct")
        return int(text)
    if not text:
        raise _BadRowError(f"{label} is missing")
    if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
        raise _BadRowError(f"{label} is negative ({text})")
    raise _BadRowError(f"{label} is {text!r}; expected a whole number of 0 or more")


class _Rows(Protocol):
    """A csv reader: rows, and the file line the last one ended on."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


def _collect(header: list[str], rows: _Rows, layout: _Layout) -> _Table:
    """Every data row read through ``layout``, with the checks common to all formats.

    Fast path for 100,000 rows: the number cells of all rows are converted in one pass;
    only rows with a cell that is not plain digits go through the slow path that says
    what is wrong with them."""

    def name(row: list[str]) -> str:
        try:
            return layout.key(row)[0]
        except IndexError:  # a short row: its first cell is the best name it has
            return row[0].strip()

    excluded: list[Exclusion] = []
    kept: list[list[str]] = []
    lines: list[int] = []
    width = len(header)
    end = rows.line_num
    for row in rows:
        # a quoted field may span lines: a row starts just after the previous one ends
        line, end = end + 1, rows.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            reason = f"{len(row)} fields where the header has {width}"
            excluded.append(Exclusion(name(row), line, reason))
            continue
        if layout.precheck is not None:
            problem = layout.precheck(row)
            if problem is not None:
                excluded.append(Exclusion(name(row), line, problem))
                continue
        kept.append(row)
        lines.append(line)

    columns = sorted(
        set(layout.registered + layout.issued + layout.found + layout.votes + list(layout.blank))
    )
    values = _numbers(kept, columns)
    good = np.ones(len(kept), dtype=bool)
    for n in np.flatnonzero(values[:, 0] == _SLOW):
        try:
            values[n] = [
                _number(kept[n][c], layout.labels[c], layout.blank.get(c)) for c in columns
            ]
        except _BadRowError as exc:
            excluded.append(Exclusion(name(kept[n]), lines[n], str(exc)))
            good[n] = False
    position = {c: j for j, c in enumerate(columns)}

    def total(which: list[int]) -> Counts:
        if not which:
            return np.full(len(kept), UNKNOWN, dtype=np.int64)
        if len(which) == 1:
            return values[:, position[which[0]]].copy()
        summed: Counts = values[:, [position[c] for c in which]].sum(axis=1)
        return summed

    registered, issued, found = total(layout.registered), total(layout.issued), total(layout.found)
    votes = values[:, [position[c] for c in layout.votes]].reshape(len(kept), len(layout.votes))
    cast = votes.sum(axis=1)
    over = good & (found != UNKNOWN) & (cast > found)
    for n in np.flatnonzero(over):
        reason = f"votes for the candidates ({cast[n]}) exceed ballots found ({found[n]})"
        excluded.append(Exclusion(name(kept[n]), lines[n], reason))
    good &= ~over

    ids: list[str] = []
    regions: list[str] = []
    seen: dict[str, int] = {}
    for n in np.flatnonzero(good):
        precinct, region = layout.key(kept[n])
        if not precinct:
            excluded.append(Exclusion(precinct, lines[n], "no precinct id"))
            good[n] = False
        elif precinct in seen:
            reason = f"duplicate of precinct {precinct} on line {seen[precinct]}"
            excluded.append(Exclusion(precinct, lines[n], reason))
            good[n] = False
        else:
            seen[precinct] = lines[n]
            ids.append(precinct)
            regions.append(region)
    excluded.sort(key=lambda e: e.line or 0)
    return _Table(
        names=layout.names,
        ids=ids,
        regions=regions,
        registered=registered[good],
        issued=issued[good],
        found=found[good],
        votes=votes[good],
        excluded=excluded,
    )


#: No precinct count has more digits (the fast path converts to int64 safely).
_MAX_DIGITS = 12
#: Marks a row whose numbers need the slow, explaining path.
_SLOW = -(2**62)


def _numbers(rows: list[list[str]], columns: list[int]) -> Counts:
    """The number cells of ``rows`` as integers; a row with any cell that is not plain
    ASCII digits (blank, negative, text, too long) gets ``_SLOW`` in its first cell."""
    flat: list[str] = []
    plain: list[int] = []
    for n, row in enumerate(rows):
        cells = [row[c] for c in columns]
        joined = "".join(cells)
        if joined.isdigit() and joined.isascii() and all(cells):
            flat.extend(cells)
            plain.append(n)
    values = np.full((len(rows), len(columns)), 0, dtype=np.int64)
    values[:, 0] = _SLOW
    try:
        converted = np.fromiter(map(int, flat), dtype=np.int64, count=len(flat))
    except (ValueError, OverflowError):  # thousands of digits: let the slow path say so
        return values
    values[plain] = converted.reshape(len(plain), len(columns))
    values[(values >= 10**_MAX_DIGITS).any(axis=1), 0] = _SLOW
    return values


def _missing(path: Path, column: str) -> InputError:
    """The error for a header without a column the format needs."""
    return InputError(path, "a required column is not in the header", line=1, column=column)


def _find(path: Path, header: list[str], describe: str, test: Callable[[str], bool]) -> int:
    """The one column whose header passes ``test``; an ``InputError`` naming it if none."""
    matches = [i for i, h in enumerate(header) if test(h)]
    if not matches:
        raise _missing(path, describe)
    if len(matches) > 1:
        found = "; ".join(header[i] for i in matches)
        raise InputError(path, f"several columns match {describe}: {found}", line=1)
    return matches[0]


# --- russia-cik --------------------------------------------------------------------------

_RUSSIA_PROTOCOL = {
    "registered": (
        "Число избирателей, внесенных/включенных в список избирателей",
        lambda h: h.startswith("Число избирателей") and "в список избирателей" in h,
    ),
    "early": (
        "Число избирательных бюллетеней, выданных ... досрочно",
        lambda h: "выданных" in h and "досрочно" in h,
    ),
    "station": (
        "Число избирательных бюллетеней, выданных ... в помещении для голосования",
        lambda h: "бюллетеней, выданных" in h and "в помещении" in h,
    ),
    "outside": (
        "Число избирательных бюллетеней, выданных ... вне помещения для голосования",
        lambda h: "бюллетеней, выданных" in h and "вне помещения" in h,
    ),
    "portable": (
        "Число избирательных бюллетеней в переносных ящиках для голосования",
        lambda h: "в переносных ящиках" in h,
    ),
    "stationary": (
        "Число (избирательных) бюллетеней в стационарных ящиках для голосования",
        lambda h: "в стационарных ящиках" in h,
    ),
}


def _russia(path: Path, header: list[str]) -> _Layout:
    """Russian CIK tables: turnout counts every ballot issued (early, in the station,
    outside it); ballots found are both kinds of box, i.e. valid + invalid."""
    lowered = [h.casefold() for h in header]
    fixed: dict[str, int] = {}
    for name in ("region", "tik", "uik"):
        if name not in lowered:
            raise _missing(path, name)
        fixed[name] = lowered.index(name)
    at = {key: _find(path, header, text, test) for key, (text, test) in _RUSSIA_PROTOCOL.items()}
    skip = set(fixed.values()) | {i for i, h in enumerate(lowered) if h == "url"}
    candidates = [
        i for i, h in enumerate(header) if i not in skip and h and not h.startswith("Число")
    ]
    if not candidates:
        raise InputError(path, "no candidate or party columns after the protocol lines", line=1)
    r, t, u = fixed["region"], fixed["tik"], fixed["uik"]

    def key(row: list[str]) -> tuple[str, str]:
        region = row[r].strip()
        return f"{region}/{row[t].strip()}/{row[u].strip()}", region

    return _Layout(
        names=[header[i] for i in candidates],
        key=key,
        registered=[at["registered"]],
        issued=[at["early"], at["station"], at["outside"]],
        found=[at["portable"], at["stationary"]],
        votes=candidates,
        labels=dict(enumerate(header)),
    )


# --- belarus-protocols -------------------------------------------------------------------

_LINE_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.\s")
_NOT_CANDIDATES = ("Код комиссии", "Вложение", "Комментарий")


def _belarus_protocols(path: Path, header: list[str]) -> _Layout:
    """Belarus 2020 protocols: line 1 registered, 2 ballots issued, 3 ballots found
    (participants, counted from the boxes); the candidates are the columns named after
    a person; line 6 is "against all" (blank in about half the transcriptions, read
    as 0, which changes no candidate's share since shares divide by ballots found)."""
    lines: dict[str, int] = {}
    for i, h in enumerate(header):
        match = _LINE_NUMBER.match(h)
        if match:
            lines.setdefault(match.group(1), i)
    if "Код комиссии" not in header:
        raise _missing(path, "Код комиссии")
    code = header.index("Код комиссии")
    needed = {
        "1": "1. Агульная колькасць выбаршчыкаў (registered voters)",
        "2": "2. Колькасць выбаршчыкаў, якія атрымалі бюлетэні (ballots issued)",
        "3": "3. Колькасць выбаршчыкаў, якія прынялі ўдзел у галасаванні (ballots found)",
    }
    for number, describe in needed.items():
        if number not in lines:
            raise _missing(path, describe)
    candidates = [
        i
        for i, h in enumerate(header)
        if h and not _LINE_NUMBER.match(h) and not h.startswith(_NOT_CANDIDATES)
    ]
    if not candidates:
        raise InputError(path, "no candidate columns (named after a person)", line=1)
    names = [header[i] for i in candidates]
    blank: dict[int, int] = {}
    against = lines.get("6")
    if against is not None:
        candidates.append(against)
        names.append("against all")
        blank[against] = 0

    def key(row: list[str]) -> tuple[str, str]:
        precinct = row[code].strip()
        return precinct, BELARUS_REGIONS.get(precinct[:2], precinct[:2])

    return _Layout(
        names=names,
        key=key,
        registered=[lines["1"]],
        issued=[lines["2"]],
        found=[lines["3"]],
        votes=candidates,
        labels={i: h.split(" (")[0] for i, h in enumerate(header)},
        blank=blank,
    )


# --- belarus-golos -----------------------------------------------------------------------


def _belarus_golos(path: Path, header: list[str]) -> _Layout:
    """The Golos export's official figures: ``<key>_officialVotes`` per candidate,
    ``officialVotes`` = ballots found (it equals the sum of the candidates, against all
    and spoilt ballots) and ``officialVoters`` = registered voters (it equals protocol
    line 1 in 1,081 of the 1,114 precincts both files hold; blank: ``UNKNOWN``). Ballots
    issued are not in the file: ``UNKNOWN``, so no turnout. Precincts without a
    published protocol are left out."""
    column = {h: i for i, h in enumerate(header)}
    wanted = ["id", "officialVotes", "officialVoters"] + [
        f"{k}_officialVotes" for k in GOLOS_CANDIDATES
    ]
    for name in wanted:
        if name not in column:
            raise _missing(path, name)
    code, total, voters = column["id"], column["officialVotes"], column["officialVoters"]
    candidates = [column[f"{k}_officialVotes"] for k in GOLOS_CANDIDATES]

    def key(row: list[str]) -> tuple[str, str]:
        precinct = row[code].strip()
        return precinct, BELARUS_REGIONS.get(precinct[:2], precinct[:2])

    def unpublished(row: list[str]) -> str | None:
        if row[total].strip() or any(row[i].strip() for i in candidates):
            return None
        return "no official protocol published"

    return _Layout(
        names=list(GOLOS_CANDIDATES.values()),
        key=key,
        registered=[voters],
        issued=[],
        found=[total],
        votes=candidates,
        labels=dict(enumerate(header)),
        blank={voters: UNKNOWN},
        precheck=unpublished,
    )


# --- generic -----------------------------------------------------------------------------


def _generic(path: Path, header: list[str]) -> _Layout:
    """``precinct,region,registered,ballots_issued,ballots_found`` (any case), then one
    column per candidate, named as the candidate should appear in reports."""
    lowered = [h.casefold() for h in header]
    at: dict[str, int] = {}
    for name in GENERIC_COLUMNS:
        if name not in lowered:
            raise _missing(path, name)
        at[name] = lowered.index(name)
    candidates = [i for i in range(len(header)) if i not in at.values()]
    if not candidates:
        raise InputError(path, "no candidate columns after ballots_found", line=1)
    unnamed = [i + 1 for i in candidates if not header[i]]
    if unnamed:
        raise InputError(path, f"column {unnamed[0]} has no candidate name", line=1)
    names = [header[i] for i in candidates]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise InputError(path, f"candidate named twice: {', '.join(doubled)}", line=1)
    p, r = at["precinct"], at["region"]

    def key(row: list[str]) -> tuple[str, str]:
        return row[p].strip(), row[r].strip()

    return _Layout(
        names=names,
        key=key,
        registered=[at["registered"]],
        issued=[at["ballots_issued"]],
        found=[at["ballots_found"]],
        votes=candidates,
        labels=dict(enumerate(header)),
    )


_LAYOUTS: dict[str, Callable[[Path, list[str]], _Layout]] = {
    "russia-cik": _russia,
    "belarus-protocols": _belarus_protocols,
    "belarus-golos": _belarus_golos,
    "generic": _generic,
}
