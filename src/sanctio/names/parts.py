"""Names split into parts (given name, patronymic, family name) with comparison keys.

East Slavic names carry a patronymic: ``Aliaksandr Ryhoravich LUKASHENKA`` is
Aliaksandr, son of Ryhor. A patronymic is recognised by its ending and reduced to the
father's given name, so ``Ryhoravich`` and ``Grigorievich`` can be compared as
Ryhor = Grigory through the given-name table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sanctio.names.keys import token_key
from sanctio.names.normalize import normalize
from sanctio.names.translit import romanizations, romanize

_PATRONYMIC = re.compile(
    r"(?P<stem>.{2,}?)(?:[aeo]viC|iviC|eviC|iC|[aeo]vna|[aoe]una|iCna|iniCna|ina)$"
)
#: Russian -ovich/-evna, Belarusian -avich/-auna (Mihailauna), Ukrainian -ivna.
_PATRONYMIC_ENDINGS = re.compile(r"(?:[aoe]viC|eviC|[aoei]vna|[aoe]una|iCna)$")


@dataclass(frozen=True)
class NamePart:
    """One word of a name: as written, its key, its role, and for a patronymic the
    key of the father's name."""

    text: str
    key: str
    role: str  # "given", "patronymic", "family", or "other"
    group: int | None = None  # given-name group, for given names and patronymics


@dataclass(frozen=True)
class NameForm:
    """A name in one Latin form, split into parts; ``system`` says which romanization."""

    original: str
    system: str
    parts: tuple[NamePart, ...]


@cache
def _given_names() -> tuple[dict[str, int], dict[str, int]]:
    """Key -> group id, and stem -> group id, from ``data/given_names.tsv``."""
    text = resources.files("sanctio.names").joinpath("data/given_names.tsv").read_text("utf-8")
    by_key: dict[str, int] = {}
    by_stem: dict[str, int] = {}
    for number, line in enumerate(text.splitlines()[1:]):
        if not line.strip() or line.startswith("#"):
            continue
        cyrillic, _, latin = line.partition("\t")
        spellings = [s.strip() for s in (*cyrillic.split("|"), *latin.split("|")) if s.strip()]
        for spelling in spellings:
            for _, form in romanizations(normalize(spelling)):
                for word in form.split():
                    key = token_key(word)
                    by_key.setdefault(key, number)
                    by_stem.setdefault(_stem(key), number)
    return by_key, by_stem


def _stem(key: str) -> str:
    """A given name without its final vowels: Grigori -> grigor, Iuri -> iur."""
    stem = re.sub(r"[aeiou]+$", "", key)
    return stem if len(stem) >= 3 else key


def given_name_group(key: str) -> int | None:
    """The group of equivalent given names ``key`` belongs to, if any."""
    return _given_names()[0].get(key)


def father_group(patronymic_key: str) -> int | None:
    """The given-name group of the father named in a patronymic key, if known."""
    found = _PATRONYMIC.match(patronymic_key)
    if found is None:
        return None
    stem = found.group("stem")
    by_key, by_stem = _given_names()
    return by_key.get(stem) or by_stem.get(_stem(stem)) or by_stem.get(stem)


def is_patronymic(key: str) -> bool:
    return bool(_PATRONYMIC_ENDINGS.search(key)) and len(key) > 6


def split_parts(text: str, original: str = "") -> tuple[NamePart, ...]:
    """The parts of one normalized Latin name; roles from the words themselves.

    ``original`` is the name as written: an ALL-CAPS word there is the family name,
    as the EU and UN lists print it.
    """
    capitals = {
        normalize(w) for w in original.split() if len(w) > 1 and w.isupper() and w.isalpha()
    }
    parts: list[NamePart] = []
    for word in text.split():
        key = token_key(word)
        group = given_name_group(key)
        if word in capitals:  # ALIASHKEVICH is a family name, though it ends like a patronymic
            parts.append(NamePart(word, key, "family"))
        elif is_patronymic(key):
            parts.append(NamePart(word, key, "patronymic", father_group(key)))
        elif group is not None:
            parts.append(NamePart(word, key, "given", group))
        else:
            parts.append(NamePart(word, key, "other"))
    return tuple(parts)


_BRACKETED = re.compile(r"\([^()]*\)")


def name_forms(name: str) -> list[NameForm]:
    """Every Latin form of a name, each split into parts.

    Bracketed text is left out: lists put other spellings there
    (``SHEIMAN (SHEYMAN)``), which the list readers already keep as aliases.
    """
    name = _BRACKETED.sub(" ", name)
    normal = normalize(name)
    if not normal:
        return []
    return [
        NameForm(name, system, split_parts(latin, _romanized_capitals(name, system)))
        for system, latin in romanizations(normal)
    ]


def _romanized_capitals(name: str, system: str) -> str:
    """The original with its ALL-CAPS words kept, romanized like the name itself."""
    if system == "latin":
        return name
    words = []
    for word in name.split():
        latin = " ".join(romanize(w, system) for w in normalize(word).split())
        words.append(latin.upper() if word.isupper() else latin)
    return " ".join(words)
