"""Romanization systems held out from tuning: listed persons' Russian names written in
every system ``iuliia`` implements and in Lithuanian and Latvian practice, screened
against lists that hold their Latin names only.

    python bench/quality/schemes.py [--per-scheme N] [--sanctio-only]

- Persons: those of the EU REPORT regimes (``cases.TUNE`` is the other side) whose
  Cyrillic name is Russian (no Belarusian і, ў or Ukrainian і, ї, є, ґ).
- Query: that Cyrillic name written by one system. ``iuliia`` (maintained, MIT)
  implements the Russian ones: BGN/PCGN, ICAO Doc 9303 (passports since 2013), the
  older passport systems (MVD 310 of 1997, its French variant, MVD 782 of 2000,
  GOST 52535 of 2006), ISO 9 (GOST 7.79), scholarly, UNGEGN, ALA-LC, BS 2979 and the
  press's (Wikipedia). Lithuanian and Latvian practice, which no library implements,
  is written here from its rules (below) with the case endings those languages add.
- Index: every EU regime, each person keeping only the names that are not Cyrillic
  (as OFAC and the UN list hold them): the query's system must be read, not looked up.
- Found: the person among the results (limit 10) at or above the threshold. Logic-v2
  scores the query against the person directly (an upper bound).

Lithuanian (Valstybinė lietuvių kalbos komisija, rules for Russian personal names):
ж ž, х ch, ц c, ч č, ш š, щ šč, й j, ы y, е je after a vowel or first, ё jo, ю ju,
я ja; a man's name ending in a consonant takes -as (Aleksandras, Putinas), in й
-jus (Sergejus), a patronymic in -ич -ičius. Latvian (Cabinet regulation No. 114 of
2004, annex on Russian): ж ž, х h, ц c, ч č, ш š, щ šč, й j, ы i, е je after a vowel
or first, ё jo, ю ju, я ja; a man's name ending in a consonant takes -s (Aleksandrs,
Putins), in й -s (Sergejs), a patronymic in -ич -ičs.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sanctio.model import Entity
from sanctio.screening import DEFAULT_THRESHOLD, Query, Screener

sys.path.insert(0, str(Path(__file__).parent))
import nomenklatura_matcher
from cases import TUNE, load_entities
from evaluate import restricted

#: iuliia's systems for persons' names, by its names.
IUILIA_SCHEMES = [
    "bgn_pcgn", "icao_doc_9303", "mvd_310", "mvd_310_fr", "mvd_782", "gost_52535",
    "gost_779", "scientific", "ungegn_1987", "ala_lc", "bs_2979", "wikipedia",
]  # fmt: skip
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NOT_RUSSIAN = re.compile("[іўїєґІЎЇЄҐ]")
_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_BALTIC_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "ž", "з": "z", "и": "i",
    "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "ц": "c", "ч": "č", "ш": "š", "щ": "šč",
    "ъ": "", "ь": "", "э": "e", "ё": "jo", "ю": "ju", "я": "ja",
}  # fmt: skip
BALTIC = {
    "lithuanian": (_BALTIC_COMMON | {"х": "ch", "ы": "y"}, ("ičius", "as")),
    "latvian": (_BALTIC_COMMON | {"х": "h", "ы": "i"}, ("ičs", "s")),
}


def baltic(name: str, language: str) -> str:
    """A Russian name as Lithuanian or Latvian write it, a man's with its endings."""
    letters, (patronymic, consonant) = BALTIC[language]
    words = name.split()
    female = any(w.lower().endswith(("а", "я", "на")) for w in words)
    out = []
    for word in words:
        latin = []
        for i, char in enumerate(word):
            lower = char.lower()
            if lower == "е":
                first = i == 0 or word[i - 1] in _VOWELS or word[i - 1] in "ьъЬЪ"
                latin.append("je" if first else "e")
            else:
                latin.append(letters.get(lower, lower))
        text = "".join(latin)
        if not female and text:
            if text.endswith("ič"):
                text = text[:-2] + patronymic
            elif text.endswith(("ij", "yj")):
                text = text[:-2] + ("ijus" if language == "lithuanian" else "ijs")
            elif text.endswith("j"):
                text += "us" if language == "lithuanian" else "s"
            elif text[-1] not in "aeiouy":
                text += consonant
        out.append(text.upper() if word.isupper() else text.capitalize())
    return " ".join(out)


@dataclass(frozen=True)
class Case:
    scheme: str
    query: str
    entity_id: str


def russian_persons(
    regimes: dict[str, list[Entity]], split: str = "report"
) -> list[tuple[Entity, str]]:
    """(person, Russian Cyrillic name) of the REPORT (or TUNE) regimes, in a fixed order."""
    found = []
    for celex, entities in sorted(regimes.items()):
        if (celex in TUNE) != (split == "tune"):
            continue
        for entity in entities:
            if entity.schema.name != "Person":
                continue
            names = [n for n in entity.names if _CYRILLIC.search(n) and not _NOT_RUSSIAN.search(n)]
            if names:
                found.append((entity, names[0]))
    return found


def build_cases(persons: list[tuple[Entity, str]], per_scheme: int) -> list[Case]:
    import iuliia  # type: ignore[import-untyped]

    cases = []
    for scheme in IUILIA_SCHEMES:
        schema = iuliia.schemas.get(scheme)
        for entity, name in persons[:per_scheme]:
            latin = schema.translate(name)
            # iuliia 0.13 leaves ё as it is in some systems (BGN/PCGN, ISO 9,
            # scholarly); each of them writes it ë
            latin = latin.replace("ё", "ë").replace("Ё", "Ë")
            cases.append(Case(scheme, latin, entity.id))
    for language in BALTIC:
        for entity, name in persons[:per_scheme]:
            cases.append(Case(language, baltic(name, language), entity.id))
    return cases


def latin_only(regimes: dict[str, list[Entity]]) -> dict[str, list[Entity]]:
    """Every regime with its entities' Cyrillic names left out."""
    kept: dict[str, list[Entity]] = {}
    for celex, entities in regimes.items():
        kept[celex] = []
        for entity in entities:
            names = tuple(n for n in entity.names if not _CYRILLIC.search(n))
            if names:
                kept[celex].append(restricted(entity, names))
    return kept


def run(
    name: str, cases: list[Case], found: Callable[[Case], bool]
) -> tuple[dict[str, list[bool]], float]:
    start = time.perf_counter()
    results: dict[str, list[bool]] = {}
    for case in cases:
        results.setdefault(case.scheme, []).append(found(case))
    seconds = time.perf_counter() - start
    print(f"  {name}: {len(cases)} cases, {seconds:.0f} s", file=sys.stderr)
    return results, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-scheme", type=int, default=150)
    parser.add_argument("--sanctio-only", action="store_true")
    parser.add_argument(
        "--tune",
        action="store_true",
        help="the TUNE regimes' persons instead, with K misses a system (--examples)",
    )
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    regimes = latin_only(load_entities())
    by_id = {e.id: e for es in regimes.values() for e in es}
    split = "tune" if args.tune else "report"
    persons = [(e, n) for e, n in russian_persons(load_entities(), split) if e.id in by_id]
    cases = build_cases(persons, args.per_scheme)
    screener = Screener(threshold=0.0)
    for celex, entities in regimes.items():
        screener.add(entities, celex)

    def sanctio(case: Case) -> bool:
        matches = screener.screen(Query.make(case.query), DEFAULT_THRESHOLD, limit=10)
        return any(m.entity.id == case.entity_id and m.score >= DEFAULT_THRESHOLD for m in matches)

    columns = {f"sanctio @{DEFAULT_THRESHOLD:.2f}": run("sanctio", cases, sanctio)[0]}
    if not args.sanctio_only and nomenklatura_matcher.available():
        logic = nomenklatura_matcher.LogicV2Matcher(regimes)
        threshold = 0.7

        def logic_v2(case: Case) -> bool:
            return logic.positive(case, by_id[case.entity_id]) >= threshold

        columns[f"logic-v2 @{threshold:.2f}"] = run("logic-v2", cases, logic_v2)[0]
    schemes = list(dict.fromkeys(c.scheme for c in cases))
    print(f"\n{len(persons)} persons with a Russian name in the EU {split.upper()} regimes; "
          f"up to {args.per_scheme} a system; `python bench/quality/schemes.py`\n")  # fmt: skip
    print("| system | n | " + " | ".join(columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    for scheme in schemes:
        cells = [f"{sum(r[scheme]) / len(r[scheme]):.3f}" for r in columns.values()]
        n = len(next(iter(columns.values()))[scheme])
        print(f"| {scheme} | {n} | " + " | ".join(cells) + " |")
    totals = [sum(sum(v) for v in r.values()) / len(cases) for r in columns.values()]
    print(f"| all | {len(cases)} | " + " | ".join(f"{t:.3f}" for t in totals) + " |")
    if args.tune:  # misses are looked at on the tune regimes only
        results = next(iter(columns.values()))
        for scheme in schemes:
            ofscheme = [c for c in cases if c.scheme == scheme]
            misses = [c for c, ok in zip(ofscheme, results[scheme], strict=True) if not ok]
            for case in misses[: args.examples]:
                print(f"  miss {scheme}: {case.query!r} -> {by_id[case.entity_id].caption!r}")


if __name__ == "__main__":
    main()
