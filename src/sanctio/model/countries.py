"""Country codes, and the names and nationality adjectives that stand for them.

Lists print nationality as prose ("Belarusian", "Russian Federation", "(a) Algerian
(b) German"); FtM stores country codes. The table in ``data/countries.tsv`` (sources in
``data/SOURCES.md``) maps every spelling to its code.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


@cache
def _spellings() -> dict[str, str]:
    """Lower-cased spelling -> code, read once from the bundled table."""
    table: dict[str, str] = {}
    text = resources.files("sanctio.model").joinpath("data/countries.tsv").read_text("utf-8")
    for line in text.splitlines()[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        code, _, names = line.partition("\t")
        table[code.strip().lower()] = code.strip().lower()
        for name in names.split("|"):
            if name.strip():
                table[_key(name)] = code.strip().lower()
    return table


@cache
def _codes() -> frozenset[str]:
    return frozenset(_spellings().values())


@cache
def _pattern() -> re.Pattern[str]:
    """One alternation of every spelling, longest first, matched on word boundaries.

    Two-letter spellings ("US", "UK") are left out: as lower-case words they are prose.
    """
    names = sorted((n for n in _spellings() if len(n) > 2), key=len, reverse=True)
    body = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


_ACRONYMS = re.compile(r"(?<!\w)(US|UK)(?!\w)")


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("’", "'")).strip().lower()


def is_country_code(code: str) -> bool:
    return code in _codes()


def country_code(name: str) -> str | None:
    """The code for one whole spelling ("Belarusian" -> "by"), or None."""
    return _spellings().get(_key(name))


def countries_in(text: str) -> list[str]:
    """Codes of every country named anywhere in ``text``, in order, without repeats."""
    key = _key(text)
    hits = [(m.start(), _spellings()[m.group(0)]) for m in _pattern().finditer(key)]
    hits += [(m.start(), _spellings()[m.group(0).lower()]) for m in _ACRONYMS.finditer(text)]
    found: list[str] = []
    for _, code in sorted(hits):
        if code not in found:
            found.append(code)
    return found
