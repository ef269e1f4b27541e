"""Names split into parts (given name, patronymic, family name) with comparison keys.

East Slavic names carry a patronymic: ``Aliaksandr Ryhoravich LUKASHENKA`` is
Aliaksandr, son of Ryhor. A patronymic is recognised by its ending and reduced to the
father's given name, so ``Ryhoravich`` and ``Grigorievich`` can be compared as
Ryhor = Grigory through the given-name table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import NamedTuple

import regex

from sanctio.names.affixes import ANY, PERSON, is_legal_form, is_minor, structure
from sanctio.names.keys import token_key
from sanctio.names.normalize import normalize, visible
from sanctio.names.numbers import spelled_numbers
from sanctio.names.readings import READINGS, latin_readings, respell
from sanctio.names.translit import SYSTEMS, romanizations, romanize
from sanctio.untracked import untracked

_PATRONYMIC = re.compile(
    r"(?P<stem>.{2,}?)(?:[aeo]viC|iviC|eviC|iC|[aeo]vna|[aoe]una|iCna|iniCna|ina)$"
)
#: Russian -ovich/-evna, Belarusian -avich/-auna (Mihailauna), Ukrainian -ivna, and
#: -yvich, -yivna after a vowel (Sergeyvich, Mykolayvych).
_PATRONYMIC_ENDINGS = re.compile(r"(?:[aoe]viC|eviC|[aeo]iviC|[aoei]vna|[aoe]una|iCna)$")


class NamePart(NamedTuple):
    """One word of a name: as written, its key, its role, and for a patronymic the
    key of the father's name.

    Parts are tuples: made once per distinct word (``make_part``), compared and hashed
    by value, and read back from a saved index as fast as Python reads tuples.
    """

    text: str
    key: str
    #: "given", "patronymic", "family", "other", or one of affixes.MINOR_ROLES
    role: str
    group: int | None = None  # given-name group, for given names and patronymics


class NameForm(NamedTuple):
    """A name in one Latin form, split into parts; ``system`` says which romanization.
    ``keys`` are the parts' keys, to find quickly which forms of two names share the
    most words (``make_form`` fills them in)."""

    original: str
    system: str
    parts: tuple[NamePart, ...]
    keys: frozenset[str] = frozenset()
    #: whether a word of it may be a middle name (``may_be_middle``), after the first
    middle: bool = False
    #: whether it has a family name of two words or more beside other words, and a
    #: particle before a father's name (bin Muhammad): the scorer's cheaper prices for
    #: leaving one out are looked for only then
    family_pair: bool = False
    nasab: bool = False


#: A middle name has this many letters at least (Ali, Ann; not an initial).
MIDDLE_LETTERS = 3
_ONE_SYLLABLE = re.compile(r"[^aeiouy]*[aeiouyw]+(?:r?(?:ng|n|l|k|m|p|t|h)|r)?")


def may_be_middle(text: str) -> bool:
    """Whether a word is long enough to be a middle name rather than an initial."""
    return len(text) >= MIDDLE_LETTERS


def syllabic(words: Sequence[str]) -> bool:
    """Whether every word of a name is one syllable, as in Korean, Chinese and
    Vietnamese names (Pak To Chun, Kim Jong Un, Nguyen Van Thanh): each word is a
    syllable of a given name, not a middle name (Pak [To] Chun and Pak Chun are two
    people), where in Redendo [Cain] Dellosa a word of one syllable is one."""
    return all(_ONE_SYLLABLE.fullmatch(word) for word in words)


def make_form(original: str, system: str, parts: tuple[NamePart, ...]) -> NameForm:
    """A name form with the set of its name words' keys (titles, legal forms and the
    like left out: two companies share "LLC" and nothing else), and whether it may
    hold a middle name (a scorer's look-up done once per form)."""
    words = [p for p in parts if not is_minor(p.role) and len(p.text) > 1]
    keys = untracked(frozenset(p.key for p in words))
    middle = (
        len(words) >= 3
        and not syllabic([p.text for p in words])
        and any(p.role in ("given", "other") and may_be_middle(p.text) for p in words[1:])
    )
    family = sum(p.role == "family" and len(p.text) > 1 for p in parts)
    family_pair = family >= 2 and any(p.role in ("given", "other") for p in parts)
    nasab = any(a.role == "particle" and b.role == "patronymic" for a, b in pairwise(parts))
    return untracked(NameForm(original, system, untracked(parts), keys, middle, family_pair, nasab))


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


def split_parts(text: str, original: str = "", kind: str = ANY) -> tuple[NamePart, ...]:
    """The parts of one normalized Latin name; roles from the words themselves.

    ``original`` is the name as written: an ALL-CAPS word there is the family name,
    as the EU and OFAC lists print it, unless every word of a person's name is (the UN
    list, a customer typing in capitals). An organisation's or vessel's words keep the
    family name's comparison (their consonants: ``spelling_similarity``).
    """
    words = [w for w in _WORDS.split(visible(original)) if len(w) > 1]
    capitals = {normalize(w) for w in words if w.isupper()}
    if kind == PERSON and capitals and all(w.isupper() for w in words):
        capitals = set()  # a person's name all in capitals says nothing of its family name
    return structure(tuple(make_part(word, word in capitals) for word in text.split()), kind)


@lru_cache(maxsize=200_000)
def make_part(word: str, capital: bool = False) -> NamePart:
    """The part for one normalized Latin word; ``capital``: written ALL-CAPS, so the
    family name (ALIASHKEVICH is one, though it ends like a patronymic). Kept for
    200,000 words: the lists' own words (under 40,000 in ../shared/data, no more in a
    synthetic million names made of them) and the words of recent queries."""
    key = token_key(word)
    if capital:
        part = NamePart(word, key, "family")
    elif is_patronymic(key):
        part = NamePart(word, key, "patronymic", father_group(key))
    elif (group := given_name_group(key)) is not None:
        part = NamePart(word, key, "given", group)
    else:
        part = NamePart(word, key, "other")
    return untracked(part)


_BRACKETED = re.compile(r"\([^()]*\)")
#: Word boundaries as ``normalize`` sees them: AL-ZAWAHIRI is two capitalised words.
_WORDS = regex.compile(r"[^\p{L}\p{M}]+")


def name_forms(name: str, kind: str = ANY) -> list[NameForm]:
    """Every Latin form of a name (see ``_name_forms``); a new list each call. ``kind``:
    a person's, an organisation's or either (``affixes.PERSON``, ...)."""
    return list(_name_forms(name, kind))


#: Names whose forms are kept: every listed name (about 41,000 on ../shared/data, their
#: forms made when a service prepares its index, and shared with it) and the newest
#: query names. Made anew a name costs some 60 µs; kept for 100,000 names, the query
#: names of a busy service grew each process by 40 MB more over two minutes, for no
#: measurable gain (docs/benchmarks.md).
NAME_FORMS_CACHED = 50_000


@lru_cache(maxsize=NAME_FORMS_CACHED)
def _name_forms(name: str, kind: str = ANY) -> tuple[NameForm, ...]:
    """Every Latin form of a name, each split into parts; romanizations that give the
    same keys in the same roles are kept once (the first, most common system).

    Bracketed text is left out: lists put other spellings there
    (``SHEIMAN (SHEYMAN)``), which the list readers already keep as aliases.
    """
    forms: dict[tuple[tuple[str, str], ...], NameForm] = {}
    written = alternatives(_BRACKETED.sub(" ", name), kind)
    if kind != PERSON:  # L.X.C. is also one word (and S.à r.l. stays a legal form)
        joined = [_ACRONYM.sub(lambda m: m.group().replace(".", ""), a) for a in written]
        written += [a for a in joined if a not in written]
    for alternative in written:
        normal = normalize(alternative)
        normals = [normal]
        if kind != PERSON and (digits := spelled_numbers(normal)) != normal:
            normals.append(digits)  # Forty-Four is also 44 (and Second still Scnd)
        for system, latin in [f for n in normals if n for f in _latin_forms(n)]:
            parts = split_parts(latin, _romanized_capitals(alternative, system), kind)
            key = tuple((p.key, p.role) for p in parts)
            forms.setdefault(key, make_form(alternative, system, parts))
    return untracked(tuple(forms.values()))


@lru_cache(maxsize=20_000)
def _latin_forms(normal: str) -> tuple[tuple[str, str], ...]:
    """The romanizations of a normalized name and, for a name written in Latin, its
    readings in the systems whose marks it shows (``readings.py``: French, German,
    ISO 9 / Czech / Belarusian national), after the name as written. Kept for fewer
    names than ``_name_forms``, which holds them: this serves a name written otherwise
    (case, homoglyphs, invisible characters) than one seen lately."""
    forms = romanizations(normal)
    if forms[0][0] in SYSTEMS:  # Cyrillic
        return forms
    found = list(forms)
    for system, latin in forms:
        found.extend(latin_readings(latin) if system == "latin" else _syllables(latin))
    first: dict[str, str] = {}
    for system, latin in found:
        first.setdefault(latin, system)
    return tuple((system, latin) for latin, system in first.items())


def _syllables(latin: str) -> tuple[tuple[str, str], ...]:
    """A romanized hangul or Chinese name read as the other systems write it."""
    return tuple(r for r in latin_readings(latin) if r[0] == "syllables")


_SLASHED = re.compile(r"(\S+)\s*/\s*(\S+)")
#: Letters written with a dot after each, two or more (L.X.C., U.S.A.)
_ACRONYM = regex.compile(r"(?<![\p{L}.])(?:\p{L}\.){2,}(?!\p{L})")
#: Names of more than one word each, joined by a slash with spaces around it
_JOINED = re.compile(r"\s+/\s+")
#: A name with more alternatives than this is taken with its first ones only.
MAX_ALTERNATIVES = 8


_LISTED = re.compile(r"\s*[,;]\s*")


def listed_names(name: str, kind: str = PERSON) -> list[str]:
    """The names of a field that lists several full names (``Dimitri SYTYI, Dmitry
    SYTIY``), after the field itself, or joins two with a slash (``Alpha Group / Beta
    Holdings``), without it; a comma after a lone word is the family name
    written first (``LUKASHENKA, Aliaksandr``) in a name that may be a person's, and
    one before a legal form is only
    punctuation (``RR TOUR, S.A. DE C.V.``), so such a field stays one name."""
    segments = [s for s in _LISTED.split(name) if s]
    # a lone word is a person's family name written first, but one of the names of a
    # field listing three or more of an organisation's ("Al-Kani Militia, Al-Kaniyat,
    # Kaniat"); with one comma, a customer's "Smith, Jones and Brown" is one name
    listing = kind != PERSON and len(segments) > 2
    shortest = 1 if listing else 2
    if len(segments) < 2 or any(len(s.split()) < shortest or is_legal_form(s) for s in segments):
        joined = [s for s in _JOINED.split(name) if s]
        if len(joined) < 2 or any(len(s.split()) < 2 for s in joined):
            return [name]
        return joined  # Alpha Group / Beta Holdings: two names, not word alternatives
    return [name, *segments]


def alternatives(name: str, kind: str = PERSON) -> list[str]:
    """A name with words written as alternatives (``VARABEI/VERABEI``,
    ``CHEVTSOV / SHEVTSOV``) as one name per alternative, and a field listing several
    names as each of them (``listed_names``), at most MAX_ALTERNATIVES."""
    done: list[str] = []
    pending = listed_names(name, kind)
    while pending and len(done) + len(pending) <= MAX_ALTERNATIVES:
        current = pending.pop(0)
        found = _SLASHED.search(current)
        if found is None:
            done.append(current)
            continue
        before, after = current[: found.start()], current[found.end() :]
        pending.extend(before + found.group(i) + after for i in (1, 2))
    return done + [_SLASHED.sub(r"\1", p) for p in pending][: MAX_ALTERNATIVES - len(done)]


def _romanized_capitals(name: str, system: str) -> str:
    """The original with its ALL-CAPS words kept, romanized (or read) like the name
    itself."""
    if system == "latin":
        return name
    if system not in READINGS and system not in SYSTEMS:
        return ""  # hangul and Chinese characters have no capitals
    words = []
    for word in name.split():
        if system in READINGS:
            latin = " ".join(respell(w, system) for w in normalize(word).split())
        else:
            latin = " ".join(romanize(w, system) for w in normalize(word).split())
        words.append(latin.upper() if word.isupper() else latin)
    return " ".join(words)
