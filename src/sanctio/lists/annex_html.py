"""A list as the Official Journal prints its annexes: one numbered table row per target.

Columns: the name in every spelling (Latin transliterations, then each Cyrillic spelling
on its own line marked with its language), identifying information (date and place of
birth, nationality, gender, position, identifiers, addresses), the statement of
reasons, and the date of listing. Rows are grouped by annex when the Sanction says
which (``summary`` "Annex I.A", as the EU journal reader records it), else into natural
persons, and legal persons, entities and bodies; they are numbered with the record
number of the annex when every row has one, else 1, 2, 3...

The page is one standalone HTML5 file with its CSS inline; every value is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from html import escape
from importlib import resources
from typing import TextIO

from sanctio.model import Entity
from sanctio.names import cyrillic_language, word_script

FORMAT = "annex-html"

#: (property, label) shown under "Identifying information", in the journal's order.
DETAILS: list[tuple[str, str]] = [
    ("position", "Position(s)"),
    ("birthDate", "DOB"),
    ("birthPlace", "POB"),
    ("nationality", "Nationality"),
    ("citizenship", "Citizenship"),
    ("gender", "Gender"),
    ("passportNumber", "Passport number"),
    ("idNumber", "ID number"),
    ("incorporationDate", "Date of registration"),
    ("registrationNumber", "Registration number"),
    ("taxNumber", "Tax number"),
    ("innCode", "INN"),
    ("ogrnCode", "OGRN"),
    ("okpoCode", "OKPO"),
    ("leiCode", "LEI"),
    ("imoNumber", "IMO number"),
    ("legalForm", "Legal form"),
    ("sector", "Sector"),
    ("jurisdiction", "Jurisdiction"),
    ("country", "Country"),
    ("flag", "Flag"),
    ("address", "Address"),
    ("phone", "Tel."),
    ("email", "Email"),
    ("website", "Website"),
    ("notes", "Other information"),
]
_COUNTRY_PROPS = {"nationality", "citizenship", "jurisdiction", "country", "flag"}
_DATE_PROPS = {"birthDate", "incorporationDate"}
_ANNEX = re.compile(r"^Annex\s+([IVXLC]+)\b\.?\s*(.*)$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
#: Groups for targets whose Sanction names no annex, in the journal's order.
_KINDS = ("Natural persons", "Legal persons, entities and bodies", "Other designated assets")

STYLE = """
body { font-family: Georgia, "Times New Roman", serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #555; padding: 0.4em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
td.no { white-space: nowrap; }
td.names span { display: block; }
td.names .primary { font-weight: bold; }
td.info span { display: block; }
td.date { white-space: nowrap; }
p { margin: 0 0 0.5em 0; }
@media print { body { margin: 0; } th { background: none; } tr { break-inside: avoid; } }
""".strip()


@dataclass
class Row:
    """One target with the records that describe it."""

    target: Entity
    sanctions: list[Entity] = field(default_factory=list)
    identifications: list[Entity] = field(default_factory=list)

    @property
    def record(self) -> int | None:
        """The journal's record number, when the Sanction carries one."""
        for sanction in self.sanctions:
            number = sanction.first("recordId")
            if number and number.isdigit():
                return int(number)
        return None


def write(entities: Iterable[Entity], out: TextIO, title: str = "Annex") -> None:
    """The page for the targets in ``entities``, each with its Sanctions and Identifications."""
    out.write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    out.write('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    out.write(f"<title>{escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n")
    out.write(f"<h1>{escape(title)}</h1>\n")
    for heading, rows in sections(entities):
        out.write(section_html(heading, rows))
    out.write("</body>\n</html>\n")


def sections(entities: Iterable[Entity]) -> list[tuple[str, list[Row]]]:
    """Targets grouped by annex (in the journal's order), each group in record order."""
    items = list(entities)
    rows = {e.id: Row(e) for e in items if e.target}
    for entity in items:
        for ref in entity.get("entity") if entity.schema.is_a("Sanction") else []:
            if ref in rows:
                rows[ref].sanctions.append(entity)
        for ref in entity.get("holder") if entity.schema.is_a("Identification") else []:
            if ref in rows:
                rows[ref].identifications.append(entity)
    groups: dict[str, list[Row]] = {}
    for row in rows.values():
        groups.setdefault(_heading(row), []).append(row)
    for members in groups.values():
        members.sort(key=lambda r: (r.record is None, r.record or 0, r.target.caption))
    return sorted(groups.items(), key=lambda item: _heading_order(item[0]))


def section_html(heading: str, rows: list[Row]) -> str:
    """One annex: its heading and its table."""
    records = [row.record for row in rows]
    numbered = None not in records and len(set(records)) == len(records)
    parts = [
        f"<section>\n<h2>{escape(heading)}</h2>\n<table>\n<thead><tr>"
        '<th scope="col">No</th><th scope="col">Name</th>'
        '<th scope="col">Identifying information</th><th scope="col">Reasons</th>'
        '<th scope="col">Date of listing</th></tr></thead>\n<tbody>\n'
    ]
    for index, row in enumerate(rows, 1):
        number = row.record if numbered else index
        parts.append(row_html(number, row))
    parts.append("</tbody>\n</table>\n</section>\n")
    return "".join(parts)


def row_html(number: int | None, row: Row) -> str:
    """One numbered table row."""
    return (
        f'<tr id="{escape(row.target.id)}"><td class="no">{number}.</td>'
        f'<td class="names">{names_html(row.target)}</td>'
        f'<td class="info">{info_html(row)}</td>'
        f'<td class="reasons">{reasons_html(row)}</td>'
        f'<td class="date">{listing_html(row)}</td></tr>\n'
    )


def names_html(target: Entity) -> str:
    """Every spelling: the name, Latin spellings in brackets, each Cyrillic one on a line
    of its own with its language (``be``, ``ru``, ``uk``), then weak and former names."""
    caption = target.caption or target.first("name") or target.id
    lines = [f'<span class="primary">{escape(caption)}</span>']
    spellings = [n for n in target.get("name") + target.get("alias") if n != caption]
    latin = [n for n in spellings if _script(n) != "cyrillic"]
    if latin:
        lines.append(f"<span>({'; '.join(escape(n) for n in latin)})</span>")
    for name in spellings:
        if _script(name) == "cyrillic":
            lang = cyrillic_language(name)[0]
            lines.append(f'<span lang="{lang}">{escape(name)}</span>')
    lines += [f"<span>a.k.a. {escape(n)}</span>" for n in target.get("weakAlias")]
    lines += [f"<span>formerly {escape(n)}</span>" for n in target.get("previousName")]
    return "".join(lines)


def info_html(row: Row) -> str:
    """Identifying information as the journal labels it: ``DOB: 29.1.1953`` ..."""
    target = row.target
    lines: list[str] = []
    for prop, label in DETAILS:
        values = target.get(prop)
        if prop in _COUNTRY_PROPS:
            values = [country_name(v) for v in values]
        elif prop in _DATE_PROPS:
            values = [journal_date(v) for v in values]
        if values:
            lines.append(f"<span>{escape(label)}: {escape('; '.join(values))}</span>")
    for record in row.identifications:
        label = "Passport" if record.schema.is_a("Passport") else "Identification"
        kind = "; ".join(record.get("type"))
        numbers = "; ".join(record.get("number") + record.get("passportNumber"))
        where = "; ".join(country_name(c) for c in record.get("country"))
        text = " ".join(p for p in (numbers, f"({kind})" if kind else "", where) if p)
        lines.append(f"<span>{label}: {escape(text)}</span>")
    return "".join(lines)


def reasons_html(row: Row) -> str:
    """The statement of reasons of each Sanction, one paragraph each."""
    reasons = [reason for sanction in row.sanctions for reason in sanction.get("reason")]
    return "".join(f"<p>{escape(reason)}</p>" for reason in reasons)


def listing_html(row: Row) -> str:
    """The listing date as the journal prints it, machine-readable in ``datetime``."""
    dates = sorted({d for s in row.sanctions for d in (s.get("listingDate") or s.get("startDate"))})
    return "<br>".join(
        f'<time datetime="{escape(d)}">{escape(journal_date(d))}</time>' for d in dates
    )


def journal_date(value: str) -> str:
    """An ISO date as the Official Journal prints it: 2020-10-02 -> 2.10.2020."""
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[2])}.{int(parts[1])}.{parts[0]}"
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{int(parts[1])}.{parts[0]}"
    return value


def country_name(code: str) -> str:
    """The short English name for a country code (``by`` -> Belarus), else the code."""
    return _country_names().get(code, code.upper())


@cache
def _country_names() -> dict[str, str]:
    """Code -> the first (short) name in the model's country table."""
    text = resources.files("sanctio.model").joinpath("data/countries.tsv").read_text("utf-8")
    names: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            code, _, spellings = line.partition("\t")
            names[code.strip().lower()] = spellings.split("|")[0].strip()
    return names


def _script(name: str) -> str:
    """'cyrillic' when most letters of the name are Cyrillic (Лiдзiя with a Latin i is)."""
    words = [word_script(word) for word in name.split()]
    return "cyrillic" if words.count("cyrillic") > words.count("latin") else "latin"


def _heading(row: Row) -> str:
    for sanction in row.sanctions:
        for summary in sanction.get("summary"):
            if _ANNEX.match(summary):
                return summary
    if row.target.schema.is_a("Person"):
        return _KINDS[0]
    if row.target.schema.is_a("LegalEntity"):
        return _KINDS[1]
    return _KINDS[2]


def _heading_order(heading: str) -> tuple[int, int, str]:
    """Annexes by their Roman number (I.A, I.B, V, IX, XV...), then persons, entities
    and other assets, as the journal orders its parts."""
    found = _ANNEX.match(heading)
    if found:
        return (0, _roman(found.group(1)), found.group(2))
    return (1, _KINDS.index(heading), heading)


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
