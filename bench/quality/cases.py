"""Labelled screening cases built from the real EU lists, deterministically.

Each positive case is a query made from a listed person's real names, one kind of
variation at a time, and the set of names the index holds for that person (for the
cross-script classes only the other script). Each negative case is a query that
must not alert: a listed person screened against the lists without that person
(so every alert is someone else, relatives sharing the surname included), or a
listed person's name with the given name swapped for another person's.

The regimes are split in two: cases from TUNE regimes may be used to set the
threshold and weights; figures are reported on REPORT regimes only, whose names the
matcher was never tuned on.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sanctio.lists import read_list
from sanctio.model import Entity

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "lists" / "eu"
#: Regimes for tuning: Russian names (human rights, hybrid threats, chemical weapons,
#: cyber attacks, Ukraine, Moldova), Arabic names (ISIL/Al-Qaida, Syria) and Korean
#: names (DPRK), so that every family of names the lists hold most of has cases to
#: tune on.
TUNE = {"32024R1485", "32020R1998", "32024R2642", "32018R1542", "32019R0796", "32014R0208",
        "32023R0888", "32002R0881", "32012R0036", "32017R1509"}  # fmt: skip
#: The Belarus regime and every other regime (Iraq, Iran, Afghanistan, Libya, Myanmar,
#: ...) are reported on.
POSITIVE_CLASSES = [
    "cyrillic_to_latin", "latin_to_cyrillic", "other_latin_spelling", "name_order",
    "no_patronymic", "initials", "typo", "homoglyphs", "invisible_characters",
    "case_and_punctuation",
]  # fmt: skip
NEGATIVE_CLASSES = ["other_persons", "other_given_name"]
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "A": "А",
               "E": "Е", "O": "О", "C": "С", "P": "Р", "K": "К", "M": "М", "T": "Т"}  # fmt: skip
_INVISIBLE = ["\u200b", "\u200d", "\u00ad", "\ufeff", "\u2060"]


@dataclass(frozen=True)
class Case:
    kind: str  # a class name
    split: str  # "tune" or "report"
    query: str
    entity_id: str  # the listed person the query is about
    #: names the index keeps for that person (None: all; empty: person left out)
    indexed_names: tuple[str, ...] | None


def load_entities() -> dict[str, list[Entity]]:
    """Targets of every regime, by CELEX."""
    return {p.stem: read_list(p).targets for p in sorted(DATA.glob("*.csv"))}


def _is_cyrillic(name: str) -> bool:
    return bool(_CYRILLIC.search(name))


def _family_index(words: list[str]) -> int | None:
    caps = [i for i, w in enumerate(words) if w.isupper() and len(w) > 1]
    return caps[-1] if caps else None


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    letters = "aeiounrstl" if word[i].lower() in "aeiou" else "bcdfgkmnprstv"
    new = rng.choice([c for c in letters if c != word[i].lower()])
    return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]


def _unlike(a: str, b: str) -> bool:
    """Two given names that are clearly not spellings of one name."""
    from rapidfuzz.distance import Indel

    from sanctio.names import normalize, token_key

    return Indel.normalized_similarity(token_key(normalize(a)), token_key(normalize(b))) < 0.5


def person_cases(
    entity: Entity, split: str, rng: random.Random, given_pool: list[str]
) -> Iterator[Case]:
    latin = [n for n in entity.names if not _is_cyrillic(n)]
    cyrillic = [n for n in entity.names if _is_cyrillic(n)]
    primary = entity.caption
    if not latin or _is_cyrillic(primary):
        return
    words = primary.split()
    family = _family_index(words)
    only_primary = (primary,)

    def case(kind: str, query: str, names: tuple[str, ...] | None) -> Case:
        return Case(kind, split, query, entity.id, names)

    if cyrillic:
        yield case("cyrillic_to_latin", rng.choice(cyrillic), tuple(latin))
        yield case("latin_to_cyrillic", primary, tuple(cyrillic))
    # Another Latin spelling of the same name: the Russian-Latin beside the
    # Belarusian-Latin of persons listed with Cyrillic names. (Other regimes' aliases
    # are often other names altogether, noms de guerre, not spellings.)
    others = [n for n in entity.get("alias") if n != primary and not _is_cyrillic(n)]
    if others and cyrillic:
        yield case("other_latin_spelling", rng.choice(others), only_primary)
    if family is not None and len(words) >= 2:
        reordered = [words[family], *(w for i, w in enumerate(words) if i != family)]
        yield case("name_order", " ".join(reordered), only_primary)
        if len(words) == 3 and family == 2 and cyrillic:
            yield case("no_patronymic", f"{words[0]} {words[2]}", only_primary)
        if len(words) == 3 and family == 2:
            yield case("initials", f"{words[0][0]}. {words[1]} {words[2]}", only_primary)
        if len(words[family]) >= 5:
            changed = list(words)
            changed[family] = _typo(words[family], rng)
            yield case("typo", " ".join(changed), only_primary)
        given = words[0] if family != 0 else words[-1]
        # another person's given name, not a spelling of the same one (Alexey/Aleksei)
        unlike = [g for g in given_pool if _unlike(g, given)]
        swap = rng.choice(unlike)
        swapped = [swap if w == given else w for w in words]
        yield case("other_given_name", " ".join(swapped), None)
    glyphs = "".join(_HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in primary)
    if glyphs != primary:
        yield case("homoglyphs", glyphs, only_primary)
    chars = list(primary)
    for _ in range(2):
        chars.insert(rng.randrange(1, len(chars)), rng.choice(_INVISIBLE))
    yield case("invisible_characters", "".join(chars), only_primary)
    if family is not None:
        rest = [w for i, w in enumerate(words) if i != family]
        yield case(
            "case_and_punctuation",
            f"{words[family].lower()}, {' '.join(rest).lower()}.",
            only_primary,
        )
    yield case("other_persons", primary, ())


def build_cases(regimes: dict[str, list[Entity]], seed: int = 20201002) -> list[Case]:
    """Every case from every regime's persons, the same on every run."""
    rng = random.Random(seed)
    report_names = {
        e.caption.lower() for celex, es in regimes.items() if celex not in TUNE for e in es
    }
    cases: list[Case] = []
    for celex, entities in sorted(regimes.items()):
        split = "tune" if celex in TUNE else "report"
        persons = [e for e in entities if e.schema.name == "Person"]
        givens = sorted({e.caption.split()[0] for e in persons if len(e.caption.split()) > 1})
        for entity in persons:
            if split == "tune" and entity.caption.lower() in report_names:
                continue  # a person on both sides is reported, never tuned on
            cases.extend(person_cases(entity, split, rng, givens or ["Ivan"]))
    return cases
