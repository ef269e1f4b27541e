"""Words of a name that are not the name itself: titles, generational suffixes,
particles, numbers, and organisations' legal forms.

"Mr Alexander Lukashenko", "Aleksandr Lukashenko 1954" and "OJSC Belaruskali" name
the persons and the company listed as "Aliaksandr Ryhoravich LUKASHENKA" and "Open
Joint Stock Company 'Belaruskali'". Such words get a role of their own (``MINOR_ROLES``)
that the scorer weighs little and the index never fetches by, so one more of them
lowers a score a little and never loses a candidate. A legal form becomes one part
whose key is its class (``§llc``, ``§jsc``): "LLC", "Limited Liability Company",
"ООО" and "ТОВ" are the same word to the scorer.

Sources: titles, generational suffixes and particles from nameparser's vocabulary
(``nameparser.config``, maintained on PyPI); legal forms from rigour's table of
organisation types (``data/org_types.tsv``, see its header).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from sanctio.names.keys import token_key
from sanctio.names.normalize import normalize
from sanctio.names.translit import romanizations
from sanctio.untracked import untracked

if TYPE_CHECKING:  # parts.py imports this module
    from sanctio.names.parts import NamePart

#: What kind of name: a person's, an organisation's, or either (a LegalEntity or a
#: Thing screened; a vessel). Titles are read only in names that may be a person's,
#: legal forms only in names that may be an organisation's, and the shortest legal forms
#: (MO, KDA) only in an organisation's.
PERSON, ORGANISATION, ANY = "person", "organisation", "any"
#: Roles of the words that are not the name itself.
TITLE, PARTICLE, NUMBER, FORM = "title", "particle", "number", "form"
MINOR_ROLES = frozenset({TITLE, PARTICLE, NUMBER, FORM})
#: A legal form's key: its class behind a mark no spelling produces.
FORM_MARK = "§"
#: Articles before an organisation's name (rigour's ORG_NAME_PREFIXES).
_ARTICLES = frozenset({"the", "la", "le"})
#: Islamic honorifics nameparser lacks (it has sheikh, shaikh, hajji, mullah, imam), as
#: transliterated on the UN and EU lists: pilgrim (haji, hadji, alhaji), Quran reciter
#: (qari), religious scholar (mawlawi, maulavi, maulvi, mawlana, maulana, mulla, mullo,
#: akhund), elder (shaykh, sheik). Source: the entries "Hajji", "Qari", "Mawlawi" and
#: "Sheikh" in the Encyclopaedia of Islam (2nd ed.); given names (Hafiz, Sayyid, Amir)
#: are left out.
_HONORIFICS = frozenset({"haji", "hadji", "alhaji", "alhaj", "hajj", "qari", "mawlawi",
                         "maulawi", "maulavi", "maulvi", "molvi", "mawlana", "maulana",
                         "mulla", "mullo", "molla", "akhund", "shaykh", "sheik"})  # fmt: skip
#: Before a vessel's name: motor vessel, motor tanker, steamship (rigour's
#: OBJ_NAME_PREFIXES has M/V and MV), as one word or in letters.
_VESSEL_PREFIXES = frozenset({("mv",), ("m", "v"), ("mt",), ("m", "t"), ("ss",), ("s", "s")})
#: Particles that are also name syllables elsewhere (Korean Da, Do, An; Vietnamese Le,
#: Tho; Chinese San): only these two-letter ones are taken, and none of the longer ones
#: listed after.
_SHORT_PARTICLES = frozenset({"al", "el", "ul", "de"})
_NAMES_TOO = frozenset({"san", "bar", "bat", "bon", "mac", "ste", "tho", "thoe", "vel", "het",
                        "heer", "aan", "aen", "auf", "dem"})  # fmt: skip
#: Legal forms this short ("AG", "SA", "AO") are name syllables in other languages (Yu,
#: Go, Mo): taken for a legal form only as a name's last word, and only a company's
#: (limited liability, joint-stock, or "Co."; "MO", "DA" are other kinds of body).
_SHORT_FORM = 2
_SHORT_FORM_KINDS = frozenset({"llc", "jsc", "co"})
#: In a name that may be a person's, a legal form has more letters than this.
_PERSON_SHORT_FORM = 3
_DIGITS = re.compile(r"\d+")


@cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Titles, generational suffixes and particles, normalized (nameparser is imported
    here, on first use: it takes 0.1 s)."""
    from nameparser.config import particles, suffixes, titles

    def normal(words: object) -> frozenset[str]:
        found = {normalize(str(w)) for w in words}  # type: ignore[attr-defined]
        return frozenset(w for w in found if w and " " not in w and len(w) > 1)

    found = normal(particles.PARTICLES) | _ARTICLES
    kept = {w for w in found if (len(w) > 2 or w in _SHORT_PARTICLES) and w not in _NAMES_TOO}
    from sanctio.names.parts import given_name_group  # parts.py imports this module

    # a word of the given-name table is a name, whatever nameparser says (Sultan Aziz
    # AZAM, Sultan Bashir-Ud-Din MAHMOOD)
    names_too = {t for t in normal(titles.TITLES) if given_name_group(token_key(t)) is not None}
    return (
        (normal(titles.TITLES) - names_too) | _HONORIFICS,
        normal(suffixes.SUFFIX_WORDS),
        frozenset(kept),
    )


#: The titles read in a name that may be an organisation's: forms of address, ranks
#: and religious titles a customer types before a person's name. nameparser's whole
#: vocabulary holds offices and words that begin organisations' names (Foreign,
#: Air, Army, Chief, Civil), read only in a person's.
_PERSONAL_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "gen", "col", "maj", "capt", "cpt",
    "lt", "sgt", "cpl", "adm", "rev", "fr", "sir", "dame", "lord", "lady", "hon",
    "sheikh", "shaikh", "imam", "mullah", "hajji", "mufti",
})  # fmt: skip


@cache
def _personal_titles() -> frozenset[str]:
    """The personal titles nameparser knows, and the honorifics it lacks."""
    titles, _, _ = _vocabulary()
    return (titles & _PERSONAL_TITLES) | _HONORIFICS


#: Legal forms are found by their words' keys (so spellings vary: Obshchestvo /
#: Obschestvo) when this long, by the words as written when shorter (MMO is a name,
#: MO a legal form).
_KEYED_FORM = 6


@cache
def _legal_forms() -> tuple[dict[tuple[str, ...], str], int]:
    """Words (keys with ``#`` in front, or words as written) -> class, for every spelling
    and romanization of every legal form; and the most words one has."""
    text = resources.files("sanctio.names").joinpath("data/org_types.tsv").read_text("utf-8")
    table: dict[tuple[str, ...], str] = {}
    for line in text.splitlines()[1:]:
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        kind, _, alias = line.partition("\t")
        normal = normalize(alias)
        if not normal:
            continue
        for _, latin in romanizations(normal):
            words = latin.split()
            table.setdefault(tuple(words), kind.lower())
            keys = tuple("#" + token_key(w) for w in words)
            if len("".join(keys)) - len(keys) >= _KEYED_FORM:
                table.setdefault(keys, kind.lower())
            letters = "".join(words)
            if len(words) == 1 and len(letters) <= 5:  # L.L.C. is read as l l c
                table.setdefault(tuple(letters), kind.lower())
    return table, max(map(len, table), default=1)


def _form_kind(words: list[NamePart]) -> str | None:
    """The class of the legal form these words spell, if they spell one."""
    table, _ = _legal_forms()
    return table.get(tuple(p.text for p in words)) or table.get(tuple("#" + p.key for p in words))


def is_legal_form(text: str) -> bool:
    """Whether a text is a legal form and nothing else ("S.A. de C.V.", "Ltd")."""
    words = normalize(text).split()
    if not words:
        return False
    table, _ = _legal_forms()
    return (
        tuple(words) in table
        or tuple("#" + token_key(w) for w in words) in table
        or tuple("".join(words)) in table
    )


def is_minor(role: str) -> bool:
    """A role that is not a name's own word."""
    return role in MINOR_ROLES


@lru_cache(maxsize=200_000)
def may_be_minor(text: str) -> bool:
    """Whether a word may be read as a title, particle, number or legal form in some
    name (where it stands decides): the scorer may pair it with such a word, which
    counts little, so the look-up's estimates leave it out."""
    titles, suffixes, particles = _vocabulary()
    table, _ = _legal_forms()
    return (
        text in titles
        or text in suffixes
        or text in particles
        or (text,) in table
        or bool(_DIGITS.fullmatch(text))
    )


def structure(parts: tuple[NamePart, ...], kind: str = ANY) -> tuple[NamePart, ...]:
    """The parts with the words that are not the name itself given their roles, and a
    lower-case -vich word taken for the family name where nothing else can be."""
    found = list(parts) if kind == PERSON else _with_legal_forms(list(parts), kind)
    articles = _ARTICLES if kind == ORGANISATION else {"the"}  # Le Thi Hoa is a person
    if kind != PERSON and len(found) > 1 and found[0].text in articles:
        found[0] = _role(found[0], PARTICLE)  # The Sunrise Company
    if kind == ORGANISATION:
        return tuple(found)
    titles, suffixes, particles = _vocabulary()
    for i, part in enumerate(found):
        if _DIGITS.fullmatch(part.text):
            found[i] = _role(part, NUMBER)
    _mark_vessel_prefix(found)
    # a name that may be an organisation's: only titles a person's name is written
    # with (Mr, Dr, Gen., Sheikh), not nameparser's offices (Foreign Trade Bank)
    _mark_leading(found, titles if kind == PERSON else _personal_titles(), TITLE)
    _mark_trailing(found, suffixes, TITLE)
    for i, part in enumerate(found[:-1]):
        if part.text in particles and _names_left(found) > 2 and not is_minor(part.role):
            found[i] = _role(part, PARTICLE)
    _fathers_in_nasab(found)
    _family_from_patronymic(found)
    return tuple(found)


#: "Son of", "daughter of" in Arabic, Hebrew and Hassaniya names: the word after is a
#: father's or forefather's given name (the nasab; A. Schimmel, Islamic Names, 1989,
#: ch. 1), the last one of a chain often the family name (Usama bin Muhammad bin Awad
#: BIN LADIN).
_NASAB = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould"})


def _fathers_in_nasab(found: list[NamePart]) -> None:
    """Each word after bin, ibn or ben that another name word follows is a father's
    name: a patronymic, which a record may leave out at no cost as a Slavic one."""
    names = [i for i, p in enumerate(found) if not is_minor(p.role) and len(p.text) > 1]
    for i, part in enumerate(found):
        if part.text not in _NASAB or not (part.role == PARTICLE or (i > 0 and i in names)):
            continue  # Ben first is a given name (Ben Smith)
        after = [k for k in names if k > i]
        first = not any(k < i for k in names)  # Bin Marwan, Bilal: a family name
        if not first and len(after) >= 2 and found[after[0]].role in ("given", "other"):
            found[i] = _role(part, PARTICLE)
            father = found[after[0]]
            found[after[0]] = untracked(father._replace(role="patronymic"))


def _mark_vessel_prefix(found: list[NamePart]) -> None:
    """MV, M/V, MT or SS before at least one other word: a vessel's prefix."""
    for n in (2, 1):
        words = tuple(p.text for p in found[:n])
        if words in _VESSEL_PREFIXES and len(found) > n:
            found[:n] = [_role(p, TITLE) for p in found[:n]]
            return


def _mark_leading(found: list[NamePart], words: frozenset[str], role: str) -> None:
    """Words of ``words`` at the start (Mr, Dr, Gen., Sheikh), while two name words
    are left."""
    for i, part in enumerate(found):
        if is_minor(part.role):
            continue
        if part.text not in words or _names_left(found) <= 2:
            return
        found[i] = _role(part, role)


def _mark_trailing(found: list[NamePart], words: frozenset[str], role: str) -> None:
    """Words of ``words`` at the end (Jr, Sr, III), while two name words are left."""
    for i in range(len(found) - 1, -1, -1):
        part = found[i]
        if is_minor(part.role):
            continue
        if part.text not in words or _names_left(found) <= 2:
            return
        found[i] = _role(part, role)


def _names_left(found: list[NamePart]) -> int:
    return sum(not is_minor(p.role) and len(p.text) > 1 for p in found)


def _family_from_patronymic(found: list[NamePart]) -> None:
    """A name with no family name and a word ending like a patronymic (-vich, -ovna)
    at its start or end: that word is the family name. "Gennadi Kazakevich" is
    Gennadi KAZAKEVICH; Belarusian, Polish, Serbian and Croatian family names end in
    -vich as East Slavic patronymics do, and a patronymic never stands without one."""
    names = [i for i, p in enumerate(found) if not is_minor(p.role) and len(p.text) > 1]
    if len(names) < 2 or any(found[i].role in ("family", "other") for i in names):
        return
    for i in (names[-1], names[0]):
        if found[i].role == "patronymic":
            found[i] = untracked(found[i]._replace(role="family", group=None))
            return


def _with_legal_forms(parts: list[NamePart], kind: str) -> list[NamePart]:
    """A legal form at the start or the end of a name of more words, as one part."""
    if len(parts) < 2:
        return parts
    _, longest = _legal_forms()
    for n in range(min(longest, len(parts) - 1), 0, -1):
        found = _form_kind(parts[:n])
        if found and _long_enough(parts[:n], found, kind, last=False):
            parts = [_form(parts[:n], found), *parts[n:]]
            break
    forms: list[NamePart] = []  # "Company Limited": two forms, the last first
    while len(parts) > 1 and len(forms) < 2:
        for n in range(min(longest, len(parts) - 1), 0, -1):
            if any(is_minor(p.role) for p in parts[-n:]):
                continue
            found = _form_kind(parts[-n:])
            if found and _long_enough(parts[-n:], found, kind, last=True):
                forms.insert(0, _form(parts[-n:], found))
                parts = parts[:-n]
                break
        else:
            break
    if not forms and len(parts) > 1 and (short := _form_consonants().get(parts[-1].text)):
        # a form written without its vowels (Cmpny, Crprtn, Lmtd)
        forms, parts = [_form(parts[-1:], short)], parts[:-1]
    if not forms and len(parts) > 2 and (cut := _form_prefixes().get(parts[-1].text)):
        # a form cut short by a field's length (Hesong Trading Compa, ... Corporati)
        forms, parts = [_form(parts[-1:], cut)], parts[:-1]
    if forms and len(parts) > 1 and parts[-1].text in _lead_words():
        # the first word of a longer form before another spelling of its rest: "PTE"
        # Limited (PTE LTD), "CIA." Limitada (CIA. LTDA.), "CLOSED" Joint-Stock Co.
        lead, rest = parts[-1], forms[0]
        whole = _form_kind([lead, *(lead._replace(text=w) for w in rest.text.split())])
        forms[0] = _form([lead, rest], whole or rest.key.removeprefix(FORM_MARK))
        parts = parts[:-1]
    return [*parts, *forms]


#: A word cut short is read for a legal form when it keeps this many letters.
_CUT_FORM = 4


@cache
def _form_prefixes() -> dict[str, str]:
    """Beginnings of one-word legal forms of more letters (compa, corporati, limit) ->
    their class."""
    table, _ = _legal_forms()
    found: dict[str, str] = {}
    # the shortest form first: compa is company's (co), not compania's
    words_first = sorted((w[0], kind) for w, kind in table.items() if len(w) == 1)
    for word, kind in sorted(words_first, key=lambda pair: len(pair[0])):
        if not word.startswith("#") and len(word) > _CUT_FORM:
            for end in range(_CUT_FORM, len(word)):
                found.setdefault(word[:end], kind)
    return {prefix: kind for prefix, kind in found.items() if (prefix,) not in table}


@cache
def _form_consonants() -> dict[str, str]:
    """One-word legal forms of five letters or more written without their vowels
    (cmpny, crprtn, lmtd, gsllschft) -> their class."""
    table, _ = _legal_forms()
    found: dict[str, str] = {}
    for words, kind in sorted(table.items(), key=lambda item: len(item[0][0])):
        word = words[0]
        if len(words) == 1 and not word.startswith("#") and len(word) >= 5:
            for vowels in ("aeiou", "aeiouy"):  # Cmpny and Cmpn
                consonants = word[0] + "".join(c for c in word[1:] if c not in vowels)
                if len(consonants) >= 3 and (consonants,) not in table:
                    found.setdefault(consonants, kind)
    return found


@cache
def _lead_words() -> frozenset[str]:
    """Words that begin a legal form of several words whose other words are a legal
    form themselves (pte in "pte ltd", cia in "cia ltda", closed in "closed joint stock
    company")."""
    table, _ = _legal_forms()
    return frozenset(
        words[0]
        for words in table
        if len(words) > 1 and not words[0].startswith("#") and words[1:] in table
    )


def _long_enough(words: list[NamePart], form_kind: str, kind: str, last: bool) -> bool:
    """Whether words this short are taken for a legal form here: the shortest legal
    forms (AG, KDA, MO) are name syllables in other languages, so in an organisation's
    name three letters do anywhere, in a name that may be a person's four; a company's
    form (LLC, JSC, OOO) of three anywhere; of two (AG, Co.) at the end."""
    letters = len("".join(p.text for p in words))
    company = form_kind in _SHORT_FORM_KINDS
    shortest = _SHORT_FORM if kind == ORGANISATION else _PERSON_SHORT_FORM
    if letters > shortest or (company and letters >= 3):
        return True
    # two letters: an organisation's AG or SA at the end, АО at the start; in a name
    # that may be a person's only at the end, Co. or letters written apart (S.A.), not
    # a syllable (Liu Yu)
    spelt = len(words) > 1 or form_kind == "co"
    return (
        (last or kind == ORGANISATION)  # an organisation's АО "X" too
        and company
        and letters == _SHORT_FORM
        and (kind == ORGANISATION or spelt)
    )


def _form(words: list[NamePart], kind: str) -> NamePart:
    first = words[0]
    text = " ".join(p.text for p in words)
    return untracked(first._replace(text=text, key=FORM_MARK + kind, role=FORM, group=None))


def _role(part: NamePart, role: str) -> NamePart:
    return untracked(part._replace(role=role, group=None))
