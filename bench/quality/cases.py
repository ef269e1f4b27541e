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
#: Classes with TUNE cases only (``romanized_cases``): the tune persons' own Cyrillic
#: names in other romanizations, since the tune regimes' aliases are mostly other
#: names (noms de guerre) rather than other spellings.
TUNE_ONLY_CLASSES = ["other_romanization", "belarusian_form"]
POSITIVE_CLASSES += TUNE_ONLY_CLASSES
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
    tune_cases: list[Case] = []
    for celex, entities in sorted(regimes.items()):
        split = "tune" if celex in TUNE else "report"
        persons = [e for e in entities if e.schema.name == "Person"]
        givens = sorted({e.caption.split()[0] for e in persons if len(e.caption.split()) > 1})
        for entity in persons:
            if split == "tune" and entity.caption.lower() in report_names:
                continue  # a person on both sides is reported, never tuned on
            cases.extend(person_cases(entity, split, rng, givens or ["Ivan"]))
            if split == "tune":
                tune_cases.extend(romanized_cases(entity, seed))
    # after every other case, with their own random numbers: the REPORT cases (and the
    # others) are the same as without them
    return cases + tune_cases


# --- TUNE-only cases: the tune persons' own Cyrillic names in other romanizations ---
#
# The tables are the generator's own (not the matcher's, sanctio.names.translit), each
# from its published system:
# - ru_bgn: BGN/PCGN romanization of Russian (1947), ye/yë after vowels, ь ’, ъ ”.
# - ru_icao: ICAO Doc 9303, 7th ed. (2015), part 3, transliteration of Cyrillic
#   (Russian passports since 2013): й i, ю iu, я ia, ъ ie.
# - ru_iso9: ISO 9:1995 (= GOST 7.79-2000 system A): ž, h, c, č, š, ŝ, j, û, â, è.
# - ru_german: Duden transcription of Russian (Duden, Die deutsche Rechtschreibung,
#   "Transkription aus dem Russischen"): w, s, sch, tsch, schtsch, ch, z, je/ja/ju,
#   кс x, -ий -i, ss between vowels.
# - ru_french: French usual transcription of Russian (as in the Bibliothèque nationale
#   de France's usage table and the French press): ou, ch, tch, chtch, j, kh, ie/ia/iou,
#   gu before e/i/y, ï after a vowel, ss between vowels, кс x, -ий -i.
# - uk_national: Ukrainian national system, Cabinet of Ministers resolution No. 55 of
#   27 January 2010; uk_bgn: BGN/PCGN romanization of Ukrainian (1965).
# - be_national: Belarusian national system (Instruction on transliteration of
#   Belarusian geographical names, 2007, adopted by UNGEGN in 2007), with diacritics;
#   be_passport: the same without diacritics, as in Belarusian passports (Aliaksandr,
#   Tsikhanouskaya); be_bgn: BGN/PCGN romanization of Belarusian (1979).
_COMMON_PLAIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "з": "z", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "ы": "y", "э": "e", "ь": "", "ъ": "", "і": "i",
}  # fmt: skip
_ENGLISH = {"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"}
#: system -> (plain letters, iotated vowels as (initial or after a vowel, after a consonant))
_ROMANIZATIONS: dict[str, tuple[dict[str, str], dict[str, tuple[str, str]]]] = {
    "ru_bgn": (_COMMON_PLAIN | _ENGLISH | {"й": "y", "ь": "’", "ъ": "”"},
               {"е": ("ye", "e"), "ё": ("yë", "ë"), "ю": ("yu", "yu"), "я": ("ya", "ya")}),
    "ru_icao": (_COMMON_PLAIN | _ENGLISH | {"й": "i", "ъ": "ie"},
                {"е": ("e", "e"), "ё": ("e", "e"), "ю": ("iu", "iu"), "я": ("ia", "ia")}),
    "ru_iso9": (_COMMON_PLAIN | {"ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š",
                                 "щ": "ŝ", "ъ": "ʺ", "ь": "ʹ", "э": "è"},
                {"е": ("e", "e"), "ё": ("ë", "ë"), "ю": ("û", "û"), "я": ("â", "â")}),
    "ru_german": (_COMMON_PLAIN | {"в": "w", "ж": "sch", "з": "s", "й": "i", "х": "ch",
                                   "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch"},
                  {"е": ("je", "e"), "ё": ("jo", "jo"), "ю": ("ju", "ju"), "я": ("ja", "ja")}),
    "ru_french": (_COMMON_PLAIN | {"ж": "j", "й": "i", "х": "kh", "ц": "ts", "ч": "tch",
                                   "ш": "ch", "щ": "chtch", "у": "ou"},
                  {"е": ("ie", "e"), "ё": ("io", "io"), "ю": ("iou", "iou"),
                   "я": ("ia", "ia")}),
    "uk_national": (_COMMON_PLAIN | _ENGLISH | {"г": "h", "ґ": "g", "и": "y", "й": "i"},
                    {"є": ("ye", "ie"), "ї": ("yi", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia"),
                     "е": ("e", "e")}),
    "uk_bgn": (_COMMON_PLAIN | _ENGLISH | {"г": "h", "ґ": "g", "и": "y", "й": "y", "ь": "’"},
               {"є": ("ye", "ye"), "ї": ("yi", "yi"), "ю": ("yu", "yu"), "я": ("ya", "ya"),
                "е": ("e", "e")}),
    "be_national": (_COMMON_PLAIN | {"г": "h", "ґ": "g", "ж": "ž", "й": "j", "ў": "ŭ",
                                     "х": "ch", "ц": "c", "ч": "č", "ш": "š"},
                    {"е": ("je", "ie"), "ё": ("jo", "io"), "ю": ("ju", "iu"),
                     "я": ("ja", "ia")}),
    "be_passport": (_COMMON_PLAIN | _ENGLISH | {"г": "h", "ґ": "g", "й": "i", "ў": "u"},
                    {"е": ("ye", "ie"), "ё": ("yo", "io"), "ю": ("yu", "iu"),
                     "я": ("ya", "ia")}),
    "be_bgn": (_COMMON_PLAIN | _ENGLISH | {"г": "h", "ґ": "g", "й": "y", "ў": "w", "ь": "’"},
               {"е": ("ye", "ye"), "ё": ("yo", "yo"), "ю": ("yu", "yu"), "я": ("ya", "ya")}),
}  # fmt: skip
_SYSTEMS_BY_LANGUAGE = {
    "ru": ["ru_bgn", "ru_icao", "ru_iso9", "ru_german", "ru_french"],
    "uk": ["uk_national", "uk_bgn"],
    "be": ["be_passport", "be_bgn", "be_national"],
}
_CYR_VOWELS = set("аеёиоуыэюяіїєў")
_LATIN_VOWELS = set("aeiouyëïâûè")
#: ь and ъ, and after them (and after й in BGN/PCGN) an iotated vowel is initial.
_SIGNS = set("ьъ'’ʼ")
_BE_SOFT = {"ль": "ĺ", "нь": "ń", "сь": "ś", "зь": "ź", "ць": "ć"}


def _romanize_word(word: str, system: str) -> str:
    """One lower-case Cyrillic word in one of the systems above."""
    plain, iotated = _ROMANIZATIONS[system]
    if system in ("ru_german", "ru_french"):
        # -ий/-ый endings are -i/-y; кс is x (Alexander, Alexandre)
        word = re.sub(r"ий$", "i", re.sub(r"ый$", "y", word)).replace("кс", "x")
    if system == "be_national":
        # the soft sign is an acute on the consonant (Hanćaryk)
        for soft, latin in _BE_SOFT.items():
            word = word.replace(soft, latin)
    out: list[str] = []
    for i, char in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        vowel_before = prev in _CYR_VOWELS or prev in _LATIN_VOWELS
        initial = not prev or vowel_before or prev in _SIGNS
        if system == "ru_bgn" and prev == "й":
            initial = True
        if char in iotated:
            latin = iotated[char][0 if initial else 1]
            if system in ("ru_german", "ru_french") and char == "ё" and prev in "жчшщ":
                latin = "o"
            if system == "ru_french" and char == "е" and prev in "жчшщц":
                latin = "e"
        elif char == "ь" and system == "ru_german" and nxt in "еёюяио":
            latin = "j" if nxt in "ио" else ""  # Iljitsch, Wassiljewitsch (ье is je)
        elif char == "й" and system == "ru_german":
            latin = "j" if (not prev or nxt in _CYR_VOWELS) else "i"
        elif char in "иы" and system == "ru_french" and vowel_before:
            latin = "ï"  # Sergueï is -ей, Choïgou -ой; и after a vowel too (Raïssa)
        elif char == "й" and system == "ru_french":
            latin = "ï" if vowel_before else "i"
        elif char == "г" and system == "ru_french" and nxt in "еиыэёюя":
            latin = "gu"  # Guennadi, Sergueï
        elif char == "с" and system in ("ru_german", "ru_french") and vowel_before:
            latin = "ss" if nxt in _CYR_VOWELS else "s"  # Vassili, Wassili
        else:
            latin = plain.get(char, char)
        out.append(latin)
    return "".join(out)


def _romanize_name(name: str, system: str) -> str:
    """A Cyrillic name in one system, each word keeping its case style (ALL-CAPS
    family names stay in capitals)."""
    words = []
    for word in name.split():
        latin = "-".join(_romanize_word(part, system) for part in word.lower().split("-"))
        if word.isupper() and len(word) > 1:
            latin = latin.upper()
        elif word[:1].isupper():
            latin = latin[:1].upper() + latin[1:]
        words.append(latin)
    return " ".join(words)


def _language(name: str) -> str:
    letters = set(name.lower())
    if "ў" in letters or ("і" in letters and "и" not in letters):
        return "be"
    if letters & {"і", "ї", "є", "ґ"}:
        return "uk"
    return "ru"


# Russian -> Belarusian spelling of a name, for ``belarusian_form``: the regular
# correspondences of Belarusian orthography (Правілы беларускай арфаграфіі і
# пунктуацыі, law of 23 July 2008, No. 420-З): akanye (unstressed о is а), yakanye
# (е in the syllable before the stress is я), tsekanye and dzekanye (soft т is ц, soft
# д is дз), р, ж, ш, ч, ц always hard (е, ё, и, ю, я after them are э/а, о, ы, у, а),
# и is і, щ is шч, в after a vowel before a consonant or at the end is ў, -ий is -і.
# Stress is not written, so the stressed vowel is drawn at random (seeded) where
# a name has no ё; a father's name is never stressed on -ович/-евич/-овна/-евна. Only
# the patronymic and the family name are respelt (see ``_belarusian_name``).
_HARD = set("жшчцр")
_SOFTENING = set("еёиюяь")
_TO_HARD = {"е": "э", "ё": "о", "и": "ы", "ю": "у", "я": "а", "ь": ""}
_PATRONYMIC_END = re.compile(r"(?:[ое]вич|[ое]вна|ична|инична)$")


def _belarusian_word(word: str, rng: random.Random) -> str:
    """One lower-case Russian word spelt the Belarusian way."""
    ending = _PATRONYMIC_END.search(word)
    stem_end = ending.start() if ending else len(word)
    vowels = [i for i, c in enumerate(word) if c in _CYR_VOWELS]
    stressable = [i for i in vowels if i < stem_end] or vowels
    if not stressable:
        return word
    stress = word.index("ё") if "ё" in word else rng.choice(stressable)
    pretonic = max((i for i in vowels if i < stress), default=-1)
    out: list[str] = []
    for i, char in enumerate(word):
        # ц and дз from a soft т and д are soft; only the other ц (and ж, ш, ч, р) is hard
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if char == "т" and nxt in _SOFTENING:
            out.append("ц")
        elif char == "д" and nxt in _SOFTENING:
            out.append("дз")
        elif char == "щ":
            out.append("шч")
        elif char == "ъ":
            out.append("’")
        elif char in _TO_HARD and prev in _HARD:
            hard = _TO_HARD[char]
            out.append("а" if hard == "э" and i != stress else hard)
        elif char == "о" and i != stress:
            out.append("а")
        elif char == "е" and i == pretonic:
            out.append("я")
        elif char == "и":
            out.append("і")
        elif char == "в" and prev in _CYR_VOWELS and (not nxt or nxt not in _CYR_VOWELS):
            out.append("ў")
        else:
            out.append(char)
    text = "".join(out)
    return re.sub(r"ый$", "ы", re.sub(r"ій$", "і", text))


def _belarusian_name(name: str, rng: random.Random) -> str:
    """The patronymic and family name spelt the Belarusian way; the given name (first
    word) is kept, since Belarusian given names are not regular transforms of the
    Russian ones (Вольга, Алена, Ягор, Мікалай) and matchers know them from tables."""
    words = []
    for number, word in enumerate(name.split()):
        if number == 0 and len(name.split()) > 1:
            words.append(word)
            continue
        spelt = _belarusian_word(word.lower(), rng)
        words.append(spelt.upper() if word.isupper() and len(word) > 1 else spelt.capitalize())
    return " ".join(words)


def _fold(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def _spelling_of(primary: str, cyrillic: list[str]) -> str | None:
    """The Cyrillic name the primary Latin name is a spelling of: as many words, and
    close once romanized (other Cyrillic names are often other names: noms de guerre)."""
    from rapidfuzz.fuzz import ratio

    best, best_score = None, 0.0
    for name in cyrillic:
        if len(name.split()) != len(primary.split()):
            continue
        latin = _romanize_name(name, "ru_icao" if _language(name) == "ru" else "uk_national")
        score = max(
            ratio(_fold(latin), _fold(primary)),
            ratio(_fold(_romanize_name(name, "ru_bgn")), _fold(primary)),
        )
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 70 else None


def romanized_cases(entity: Entity, seed: int) -> Iterator[Case]:
    """TUNE-only positives for a tune person listed with Cyrillic names: the Cyrillic
    name that the primary spells, romanized by every other system of its language
    (``other_romanization``), and spelt the Belarusian way, romanized by one of the
    Belarusian systems (``belarusian_form``); the index keeps the primary only."""
    primary = entity.caption
    cyrillic = [n for n in entity.names if _is_cyrillic(n)]
    if not cyrillic or _is_cyrillic(primary):
        return
    source = _spelling_of(primary, cyrillic)
    if source is None:
        return
    rng = random.Random(f"{seed}:{entity.id}")
    known = {_fold(n) for n in entity.names}
    for system in _SYSTEMS_BY_LANGUAGE[_language(source)]:
        latin = _romanize_name(source, system)
        if _fold(latin) not in known:
            known.add(_fold(latin))
            yield Case("other_romanization", "tune", latin, entity.id, (primary,))
    if _language(source) == "ru":
        belarusian = _belarusian_name(source, rng)
        latin = _romanize_name(belarusian, rng.choice(_SYSTEMS_BY_LANGUAGE["be"]))
        if _fold(latin) not in known:
            yield Case("belarusian_form", "tune", latin, entity.id, (primary,))
