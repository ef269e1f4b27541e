"""Name variations, one class at a time, for the held-out screening evaluation.

    python bench/quality/variations.py [--examples K] [--seed S]   # K examples per class

Every class is a function ``(name, rng) -> str | None``: the query a customer record
might hold for a listed name, or None where the class does not apply to that name (no
legal form in it, fewer than three words, ...). ``name`` is a ``ListedName``: the
listed entity's primary name as a customer would write it (a person's given names
first, so OFAC's ``NORIEGA, Manuel Antonio`` is ``Manuel Antonio NORIEGA``), with where
its family name is. The variation is applied to that base and nothing else, so each
class tests one thing; ``base`` is the base itself, the control.

The tables below (titles, suffixes, particles, legal forms, invisible characters) are
this generator's own, each with where it comes from; none is taken from the matcher
(``sanctio.names``), so that a table the matcher was tuned with cannot make a class
look easier than it is.
"""

from __future__ import annotations

import argparse
import random
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sanctio.model import Entity

PERSON, ORGANISATION, VESSEL = "person", "organisation", "vessel"
KINDS = (PERSON, ORGANISATION, VESSEL)
#: The schema a customer record of each kind is screened as.
QUERY_SCHEMA = {PERSON: "Person", ORGANISATION: "Organization", VESSEL: "Vessel"}
_KIND_OF_SCHEMA = {
    "Person": PERSON,
    "Organization": ORGANISATION,
    "Company": ORGANISATION,
    "LegalEntity": ORGANISATION,
    "Vessel": VESSEL,
}


@dataclass(frozen=True)
class ListedName:
    """A listed entity's primary name, as a customer would write it."""

    words: tuple[str, ...]
    kind: str
    #: words[family[0]:family[1]] is a person's family name; (0, 0) when unknown
    family: tuple[int, int] = (0, 0)
    gender: str | None = None  # "male", "female" or None
    birth_year: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def given(self) -> tuple[str, ...]:
        """The words before the family name (a person's given names)."""
        return self.words[: self.family[0]]


@dataclass(frozen=True)
class Case:
    kind: str  # a class name
    entity_type: str  # person, organisation or vessel
    query: str
    entity_id: str
    schema: str  # the query's schema


def listed_name(entity: Entity) -> ListedName | None:
    """The base a query is made from, or None for an entity of no kind here (aircraft).

    OFAC prints a person ``FAMILY, Given Names`` (and gives firstName/lastName); the UN
    list prints the name parts in their order (given names first) in capitals, with
    no family name marked, so its last word is taken as the family name. A UN
    entity's name that joins two names with `` ; `` gives the first.
    """
    kind = _KIND_OF_SCHEMA.get(entity.schema.name)
    caption = entity.caption.split(" ; ")[0].strip()
    if kind is None or not caption:
        return None
    if kind != PERSON:
        return ListedName(tuple(caption.split()), kind)
    first, last = entity.get("firstName"), entity.get("lastName")
    if first and last:
        given, family = first[0].split(), last[0].split()
    elif "," in caption:
        family_text, _, given_text = caption.partition(",")
        given, family = given_text.split(), family_text.split()
    else:
        words = caption.split()
        given, family = words[:-1], words[-1:]
    # OFAC's "DELOS REYES, Feliciano Semborio, Jr.": the suffix goes after the family name
    after: list[str] = []
    while given and _GENERATION.match(given[-1]) and len(given) > 1:
        after.insert(0, given.pop())
        given[-1] = given[-1].rstrip(",")
    years = sorted(d[:4] for d in entity.get("birthDate") if d[:4].isdigit())
    genders = entity.get("gender")
    gender = genders[0] if genders else None
    return ListedName(
        tuple(given + family + after),
        PERSON,
        (len(given), len(given) + len(family)),
        gender,
        years[0] if years else None,
    )


_GENERATION = re.compile(r"^(jr|sr|ii|iii|iv)\.?,?$", re.IGNORECASE)


def _same_case(word: str, like: str) -> str:
    """``word`` in the case style of ``like`` (ALL CAPS, lower, or as written)."""
    if like.isupper():
        return word.upper()
    if like.islower():
        return word.lower()
    return word


def _alpha(word: str) -> str:
    return "".join(c for c in word if c.isalpha())


def _is_long(word: str, length: int = 6) -> bool:
    return word.isalpha() and len(word) >= length


# --- persons -----------------------------------------------------------------------

#: Titles typed before a person's name, and the gender they imply (None: either).
#: - Mr, Mrs, Ms, Dr, Prof.: English honorifics (with and without the dot, British and
#:   American usage).
#: - Gen., Col., Maj., Capt.: military titles as abbreviated before a name by the
#:   Associated Press Stylebook ("military titles"); the UN list's TITLE values have
#:   General, Major General, Colonel, OFAC's names "HAMUDAT, General Maki Mustafa".
#: - Sheikh, Shaykh, Haji, Hajji, Mullah, Maulavi, Qari, Alhaj, Mufti: religious and
#:   honorific titles as the lists give them: the UN list's TITLE values (counted in
#:   un/consolidated.xml: Maulavi 73, Mullah 42, Haji 17, Qari 6, Alhaj 6, Sheikh 3,
#:   Mufti 2, Hadji 2), OFAC's (Haji 4, Shaykh 2) and OFAC's names ("AL RAHMAN, Shaykh
#:   Umar Abd", "AL ZAWAHIRI, Dr. Ayman").
TITLES: dict[str, str | None] = {
    "Mr": "male", "Mr.": "male", "Mrs": "female", "Mrs.": "female", "Ms": "female",
    "Dr": None, "Dr.": None, "Prof.": None,
    "Gen.": None, "Col.": None, "Maj.": None, "Capt.": None,
    "Sheikh": "male", "Shaykh": "male", "Haji": None, "Hajji": None, "Mullah": "male",
    "Maulavi": "male", "Qari": "male", "Alhaj": "male", "Mufti": "male",
}  # fmt: skip
#: Generational suffixes (US usage; OFAC's own names carry them: "DELOS REYES,
#: Feliciano Semborio, Jr.", "SALI JR., Jainal Antel"), with and without the dot.
SUFFIXES = ["Jr", "Jr.", "Sr", "Sr.", "II", "III"]
#: Particles of names, as the lists print them: Arabic nasab bin/ibn/bint ("son/
#: daughter of"), kunya abu/abou ("father of") and the article al-/el- (UN "FAYSAL
#: AHMAD BIN ALI AL-ZAHRANI", OFAC "AL-TIKRITI, Ali Hassan al-Majid"; A. Schimmel,
#: Islamic Names, 1989, ch. 1); Dutch and German van, von, der, den, ter; Romance de,
#: da, del, della, di, do, dos, du (OFAC "SIEIRO DE NORIEGA, Felicidad").
ARABIC_PARTICLES = {"bin", "ibn", "bint", "abu", "abou", "al", "el"}
EUROPEAN_PARTICLES = {"van", "von", "der", "den", "ter", "de", "da", "del", "della", "di",
                      "do", "dos", "du"}  # fmt: skip
PARTICLES = ARABIC_PARTICLES | EUROPEAN_PARTICLES
_ATTACHED_ARTICLE = re.compile(r"^(al|el)-(?=\w)", re.IGNORECASE)


def base(name: ListedName, rng: random.Random) -> str | None:
    """The control: the base query unchanged."""
    return name.text


def title(name: ListedName, rng: random.Random) -> str | None:
    """A title before a person's name (Mr, Dr, Gen., Sheikh, Haji, Mullah, ...)."""
    if name.kind != PERSON:
        return None
    # an unknown gender takes any title but Mrs/Ms (the lists' persons are mostly men)
    fits = [t for t, g in TITLES.items() if g is None or g == (name.gender or "male")]
    return f"{rng.choice(fits)} {name.text}"


def suffix(name: ListedName, rng: random.Random) -> str | None:
    """A generational suffix after a person's name (Jr, Sr, II)."""
    if name.kind != PERSON:
        return None
    return f"{name.text}{rng.choice([' ', ', '])}{rng.choice(SUFFIXES)}"


def birth_year(name: ListedName, rng: random.Random) -> str | None:
    """A year typed after the name: the listed birth year where there is one (a
    customer's own), else a year the listing gives no reason to contradict."""
    if name.kind != PERSON:
        return None
    year = name.birth_year or str(rng.randint(1940, 1995))
    return rng.choice([f"{name.text} {year}", f"{name.text}, {year}", f"{name.text} ({year})"])


def middle_initial(name: ListedName, rng: random.Random) -> str | None:
    """An initial added between the given names and the family name."""
    start = name.family[0]
    if name.kind != PERSON or start == 0:
        return None
    initial = rng.choice(string.ascii_uppercase) + rng.choice(["", "."])
    return " ".join((*name.words[:start], initial, *name.words[start:]))


#: A word of one syllable (Korean, Chinese and Vietnamese names are written in them).
_SYLLABLE = re.compile(r"[^aeiouy]*[aeiouyw]+(?:r?(?:ng|n|l|k|m|p|t|h)|r)?", re.IGNORECASE)
#: Words of titles as the lists spell them out ("General Ghassan BELAL", "Brigadier
#: General ...").
_TITLE_WORDS = {t.rstrip(".").lower() for t in TITLES} | {
    "general", "brigadier", "colonel", "major", "captain", "lieutenant", "doctor",
}  # fmt: skip
#: Words that make one name with the word after them (Abu Bakar, Abd al-Baset).
_BOUND = PARTICLES | {"abd", "abdul", "abdel", "abdal"}


def dropped_word(name: ListedName, rng: random.Random) -> str | None:
    """A middle name left out: one word between a person's first given name and the
    last word, not a particle or title. Not in names written in syllables (Pak To Chun:
    To is half a given name, and Pak Chun another person's name)."""
    if name.kind != PERSON or len(name.words) < 3:
        return None
    if all(_SYLLABLE.fullmatch(_alpha(w)) for w in name.words):
        return None
    first = 0
    while first < len(name.words) and name.words[first].rstrip(".").lower() in _TITLE_WORDS:
        first += 1
    middle = [
        i
        for i in range(first + 1, len(name.words) - 1)
        if name.words[i].lower() not in PARTICLES
        and name.words[i - 1].lower() not in _BOUND
        and name.words[i].lower() not in _BOUND
    ]
    if not middle:
        return None
    drop = rng.choice(middle)
    return " ".join(w for i, w in enumerate(name.words) if i != drop)


def particle(name: ListedName, rng: random.Random) -> str | None:
    """A particle removed (bin, ibn, abu, al-, van, von, de, ...) where the name has one,
    or, in an Arabic name that has one, the article al- added to its family name."""
    if name.kind != PERSON:
        return None
    words = list(name.words)
    standalone = [i for i, w in enumerate(words) if w.lower() in PARTICLES]
    attached = [i for i, w in enumerate(words) if _ATTACHED_ARTICLE.match(w)]
    if not standalone and not attached:
        return None
    arabic = attached or any(words[i].lower() in ARABIC_PARTICLES for i in standalone)
    family = words[name.family[0] : name.family[1]]
    can_add = (
        arabic
        and bool(family)
        and not any(_ATTACHED_ARTICLE.match(w) or w.lower() in ARABIC_PARTICLES for w in family)
    )
    if can_add and rng.random() < 0.4:
        i = name.family[0]
        words[i] = _same_case("al-", words[i]) + words[i]
        return " ".join(words)
    choices = [("word", i) for i in standalone] + [("article", i) for i in attached]
    how, i = rng.choice(choices)
    if how == "article":
        words[i] = _ATTACHED_ARTICLE.sub("", words[i])
    else:
        # a run of particles goes together (van der, de la)
        end = i
        while end + 1 < len(words) and words[end + 1].lower() in PARTICLES:
            end += 1
        del words[i : end + 1]
    if len(words) < 2 and len(name.words) >= 2:
        return None  # "Abu ABBAS" is not left as "ABBAS"
    return " ".join(words)


def reversed_order(name: ListedName, rng: random.Random) -> str | None:
    """The family name first, with or without a comma."""
    start, end = name.family
    if name.kind != PERSON or start == 0:
        return None
    family = " ".join(name.words[start:end])
    rest = " ".join(name.words[:start] + name.words[end:])
    return f"{family}{rng.choice([', ', ' '])}{rest}"


def other_given_name(name: ListedName, rng: random.Random, pool: list[str]) -> str | None:
    """(A negative.) The first given name replaced by an unlike one from ``pool``."""
    if name.kind != PERSON or name.family[0] == 0:
        return None
    given = name.words[0]
    unlike = [g for g in pool if unlike_names(g, given)]
    if not unlike:
        return None
    swap = _same_case(rng.choice(unlike), given)
    return " ".join((swap, *name.words[1:]))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalpha())


def unlike_names(a: str, b: str) -> bool:
    """Two given names clearly not spellings of one name: less than half their letters
    in common (Indel similarity of the folded words), and other first letters."""
    from rapidfuzz.distance import Indel

    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb) and fa[0] != fb[0] and Indel.normalized_similarity(fa, fb) < 0.5


def given_name_pool(names: Iterable[ListedName]) -> list[str]:
    """Given names to swap in: persons' first given words that are names (not titles
    or particles, no initials)."""
    titles = {_fold(t) for t in TITLES} | {"doctor", "general", "colonel", "hadji"}
    pool = {
        n.words[0].capitalize()
        for n in names
        if n.kind == PERSON
        and n.family[0] > 0
        and n.words[0].isalpha()
        and len(n.words[0]) >= 3
        and _fold(n.words[0]) not in titles
        and n.words[0].lower() not in PARTICLES
    }
    return sorted(pool)


# --- every kind ----------------------------------------------------------------------

_VOWELS = set("aeiouAEIOU")


def _pick_long_word(name: ListedName, rng: random.Random, length: int) -> int | None:
    """A long word (index), preferring a person's family name."""
    family = [i for i in range(*name.family) if _is_long(name.words[i], length)]
    others = [i for i, w in enumerate(name.words) if _is_long(w, length)]
    pick = family or others
    return rng.choice(pick) if pick else None


def vowels_dropped(name: ListedName, rng: random.Random) -> str | None:
    """The vowels of one long word left out, its first letter kept (NORIEGA -> NRG)."""
    i = _pick_long_word(name, rng, 6)
    if i is None:
        return None
    word = name.words[i]
    short = word[0] + "".join(c for c in word[1:] if c not in _VOWELS)
    if len(short) < 3 or len(word) - len(short) < 2:
        return None
    return " ".join((*name.words[:i], short, *name.words[i + 1 :]))


def truncation(name: ListedName, rng: random.Random) -> str | None:
    """The last one or two letters of a long word cut (a field too short)."""
    long_words = [i for i, w in enumerate(name.words) if _is_long(w, 6)]
    if not long_words:
        return None
    i = rng.choice(long_words)
    cut = name.words[i][: -rng.choice([1, 2])]
    return " ".join((*name.words[:i], cut, *name.words[i + 1 :]))


#: Unicode's Default_Ignorable_Code_Point characters (DerivedCoreProperties.txt of the
#: Unicode Character Database): invisible, and to be ignored in display and matching
#: (Unicode Standard, section 5.21). Inserted inside a word.
INVISIBLE: list[str] = [
    chr(c)
    for first, last in [
        (0x034F, 0x034F),  # combining grapheme joiner
        (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
        (0x180B, 0x180F),  # Mongolian free variation selectors, vowel separator
        (0x200B, 0x200F),  # zero width space, non-joiner, joiner, LRM, RLM
        (0x2060, 0x2064),  # word joiner, invisible operators
        (0x3164, 0x3164),  # Hangul filler
        (0xFE00, 0xFE0F),  # variation selectors
        (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
        (0xE0020, 0xE007F),  # tag characters
        (0xE0100, 0xE01EF),  # variation selectors supplement
    ]
    for c in range(first, last + 1)
]


def invisible(name: ListedName, rng: random.Random) -> str | None:
    """A Default_Ignorable_Code_Point character inserted inside a word."""
    words = [i for i, w in enumerate(name.words) if len(w) >= 2]
    if not words:
        return None
    i = rng.choice(words)
    word = name.words[i]
    at = rng.randrange(1, len(word))
    spoilt = word[:at] + rng.choice(INVISIBLE) + word[at:]
    return " ".join((*name.words[:i], spoilt, *name.words[i + 1 :]))


def _typo_word(word: str, rng: random.Random) -> str:
    letters = [i for i in range(1, len(word) - 1) if word[i].isalpha()]
    for _ in range(10):
        i = rng.choice(letters)
        how = rng.choice(["swap", "drop", "double"])
        if how == "swap" and word[i + 1].isalpha():
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif how == "drop":
            typo = word[:i] + word[i + 1 :]
        else:
            typo = word[:i] + word[i] + word[i:]
        if typo != word:
            return typo
    return word


def typo(name: ListedName, rng: random.Random) -> str | None:
    """One letter swapped with the next, dropped or doubled, in a person's family name
    (its longest word) or in a word of five letters or more of another name."""
    span = range(*name.family) if name.kind == PERSON else range(len(name.words))
    candidates = [i for i in span if len(_alpha(name.words[i])) >= 5]
    if not candidates:
        return None
    if name.kind == PERSON:
        i = max(candidates, key=lambda j: (len(name.words[j]), -j))
    else:
        i = rng.choice(candidates)
    spoilt = _typo_word(name.words[i], rng)
    if spoilt == name.words[i]:
        return None
    return " ".join((*name.words[:i], spoilt, *name.words[i + 1 :]))


def case_punct(name: ListedName, rng: random.Random) -> str | None:
    """Lower case, with a comma after a word and/or a dot at the end."""
    words = [w.lower() for w in name.words]
    how = rng.choice(["plain", "comma", "dot", "comma_dot"])
    if "comma" in how and len(words) >= 2:
        i = rng.randrange(0, len(words) - 1)
        words[i] += ","
    if "dot" in how and not words[-1].endswith("."):
        words[-1] += "."
    query = " ".join(words)
    return query if query != name.text else None


# --- organisations -------------------------------------------------------------------

#: Legal forms, each group one form in several languages or spellings. Sources: ISO
#: 20275 and GLEIF's Entity Legal Forms code list (the abbreviations of each
#: jurisdiction's forms: Russia ООО, АО, ПАО, ОАО, ЗАО and their romanizations OOO,
#: AO, PAO, OAO, ZAO as OFAC prints them); UK Companies Act 2006 s. 59 ("limited" or
#: "ltd") and s. 58 ("public limited company" or "p.l.c."); Delaware LLC Act § 18-102
#: ("Limited Liability Company", "L.L.C." or "LLC") and General Corporation Law
#: § 102(a)(1) (Incorporated, Inc., Corporation, Corp., Company, Co.); Spain's Ley de
#: Sociedades de Capital art. 6 (S.A., S.L.), Mexico's Ley General de Sociedades
#: Mercantiles art. 5 (S.A. de C.V.), Colombia's Código de Comercio art. 357 (Ltda.,
#: Limitada) and Ley 1258 de 2008 (S.A.S.); UAE free zone forms (FZE, FZCO).
LEGAL_FORMS: list[list[str]] = [
    ["LLC", "L.L.C.", "Limited Liability Company", "OOO", "ООО"],
    ["JSC", "Joint Stock Company", "AO", "АО"],
    ["PJSC", "Public Joint Stock Company", "PAO", "ПАО"],
    ["OJSC", "Open Joint Stock Company", "OAO", "ОАО"],
    ["CJSC", "Closed Joint Stock Company", "ZAO", "ЗАО"],
    ["Co., Ltd.", "Co. Ltd", "Company Limited"],
    ["Ltd", "Ltd.", "Limited"],
    ["PLC", "p.l.c.", "Public Limited Company"],
    ["Inc", "Inc.", "Incorporated"],
    ["Corp", "Corp.", "Corporation"],
    ["Co.", "Company"],
    ["S.A. de C.V.", "SA de CV"],
    ["S.A.S.", "SAS"],
    ["S.A.", "SA"],
    ["S.L.", "SL"],
    ["Ltda.", "Ltda", "Limitada"],
    ["GmbH", "Gesellschaft mit beschränkter Haftung"],
    ["SARL", "S.A.R.L.", "S.à r.l."],
    ["FZE", "Free Zone Establishment"],
    ["FZCO", "Free Zone Company"],
]


def _form_key(text: str) -> str:
    return re.sub(r"[\s.,]", "", text).casefold()


_FORM_GROUP = {_form_key(form): group for group in LEGAL_FORMS for form in group}
#: Forms written before the name too (ООО «Ромашка», LIMITED LIABILITY COMPANY X):
#: the groups with a Russian form.
_LEADING_FORMS = [g for g in LEGAL_FORMS if any(re.search(r"[\u0400-\u04ff]", f) for f in g)]
_LONGEST_FORM = max(len(form.split()) for group in LEGAL_FORMS for form in group)


def find_legal_form(words: tuple[str, ...]) -> tuple[int, int, list[str]] | None:
    """The legal form at the end (or, as in Russian names, the start) of a name: its
    words' span and its group; the longest that matches."""
    for size in range(min(_LONGEST_FORM, len(words) - 1), 0, -1):
        for start in (len(words) - size, 0):
            group = _FORM_GROUP.get(_form_key(" ".join(words[start : start + size])))
            if group is not None and (start > 0 or group in _LEADING_FORMS):
                return start, start + size, group
    return None


def _without_form(words: tuple[str, ...], start: int, end: int) -> list[str]:
    rest = list(words[:start]) + list(words[end:])
    if start > 0 and rest:  # "X, LTD." -> "X", not "X,"
        rest[-1] = rest[-1].rstrip(",")
    return rest


def legal_form_dropped(name: ListedName, rng: random.Random) -> str | None:
    """An organisation's legal form left out."""
    if name.kind != ORGANISATION or (found := find_legal_form(name.words)) is None:
        return None
    rest = _without_form(name.words, found[0], found[1])
    if not any(len(_alpha(w)) >= 3 for w in rest):
        return None
    return " ".join(rest)


def legal_form_changed(name: ListedName, rng: random.Random) -> str | None:
    """An organisation's legal form swapped for an equivalent in another language or
    spelling (LLC / Limited Liability Company / OOO / ООО, Ltd / Limited, ...)."""
    if name.kind != ORGANISATION or (found := find_legal_form(name.words)) is None:
        return None
    start, end, group = found
    written = " ".join(name.words[start:end])
    # another form where there is one (Ltd -> Limited), else another spelling (S.A. -> SA)
    others = [f for f in group if _form_key(f) != _form_key(written)]
    others = others or [f for f in group if f.upper() != written.upper()]
    if not others:
        return None
    new = rng.choice(others)
    if written.isupper() and not re.search(r"[\u0400-\u04ff]", new):
        new = new.upper()
    rest = _without_form(name.words, start, end)
    comma = start > 0 and name.words[start - 1].endswith(",")
    if start == 0:
        return " ".join([new, *rest])
    return " ".join(rest) + ("," if comma else "") + " " + new


# --- vessels -------------------------------------------------------------------------

#: Ship prefixes for a motor vessel (IMO and Lloyd's usage: M/V, MV, M.V.).
VESSEL_PREFIXES = ["M/V", "MV", "M.V."]


def vessel_prefix(name: ListedName, rng: random.Random) -> str | None:
    """M/V or MV before a vessel's name."""
    if name.kind != VESSEL:
        return None
    return f"{rng.choice(VESSEL_PREFIXES)} {name.text}"


Variation = Callable[[ListedName, random.Random], "str | None"]
#: Every positive class, and the kinds of entity it applies to.
CLASSES: dict[str, tuple[Variation, tuple[str, ...]]] = {
    "base": (base, KINDS),
    "title": (title, (PERSON,)),
    "suffix": (suffix, (PERSON,)),
    "birth_year": (birth_year, (PERSON,)),
    "middle_initial": (middle_initial, (PERSON,)),
    "dropped_word": (dropped_word, (PERSON,)),
    "particle": (particle, (PERSON,)),
    "reversed_order": (reversed_order, (PERSON,)),
    "vowels_dropped": (vowels_dropped, KINDS),
    "truncation": (truncation, KINDS),
    "invisible": (invisible, KINDS),
    "typo": (typo, KINDS),
    "case_punct": (case_punct, KINDS),
    "legal_form_dropped": (legal_form_dropped, (ORGANISATION,)),
    "legal_form_changed": (legal_form_changed, (ORGANISATION,)),
    "vessel_prefix": (vessel_prefix, (VESSEL,)),
}


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(":".join((str(seed), *parts)))


def positive_cases(
    entities: Iterable[Entity], per_class: int, seed: int, classes: Iterable[str] | None = None
) -> list[Case]:
    """Up to ``per_class`` cases of every class for every kind it applies to, from
    entities drawn at random (seeded). A case depends only on the seed, the class and
    the entity, so a larger ``per_class`` keeps the smaller one's cases."""
    named = [(e, n) for e in entities if (n := listed_name(e)) is not None]
    cases: list[Case] = []
    for kind_name in classes or CLASSES:
        function, kinds = CLASSES[kind_name]
        for kind in kinds:
            pool = sorted((p for p in named if p[1].kind == kind), key=lambda p: p[0].id)
            _rng(seed, kind_name, kind, "order").shuffle(pool)
            found = 0
            for entity, name in pool:
                if found >= per_class:
                    break
                query = function(name, _rng(seed, kind_name, entity.id))
                if query is None or (query == name.text and kind_name != "base"):
                    continue
                cases.append(Case(kind_name, kind, query, entity.id, QUERY_SCHEMA[kind]))
                found += 1
    return cases


def other_given_name_cases(entities: Iterable[Entity], count: int, seed: int) -> list[Case]:
    """Negatives: listed persons' names with the first given name swapped for an unlike
    one (an alert on that person is false)."""
    named = [(e, n) for e in entities if (n := listed_name(e)) is not None and n.kind == PERSON]
    pool = given_name_pool(n for _, n in named)
    named.sort(key=lambda p: p[0].id)
    _rng(seed, "other_given_name", "order").shuffle(named)
    cases: list[Case] = []
    for entity, name in named:
        if len(cases) >= count:
            break
        query = other_given_name(name, _rng(seed, "other_given_name", entity.id), pool)
        if query is not None:
            cases.append(Case("other_given_name", PERSON, query, entity.id, "Person"))
    return cases


def load_heldout() -> dict[str, list[Entity]]:
    """The held-out sources: the OFAC SDN list of 2021 and the UN consolidated list."""
    from pathlib import Path

    from sanctio.lists import read_list

    lists = Path(__file__).resolve().parents[3] / "shared" / "data" / "lists"
    return {
        "ofac-sdn-2021": read_list(lists / "ofac" / "2021").targets,
        "un-sc": read_list(lists / "un" / "consolidated.xml").targets,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="print examples of every class")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20211231)
    args = parser.parse_args()
    entities = [e for es in load_heldout().values() for e in es]
    by_id = {e.id: e for e in entities}
    cases = positive_cases(entities, args.examples, args.seed)
    cases += other_given_name_cases(entities, args.examples, args.seed)
    for case in cases:
        listed = by_id[case.entity_id].caption
        shown = case.query.encode("unicode_escape").decode() if case.kind == "invisible" else ""
        print(f"{case.kind:19} {case.entity_type:12} {listed!r:50} -> {case.query!r} {shown}")


if __name__ == "__main__":
    main()
