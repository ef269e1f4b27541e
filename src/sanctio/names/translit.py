"""Cyrillic names written in the Latin forms that actually appear on lists and passports.

One Cyrillic name has several romanizations in use at once: Лукашэнка is
``Lukashenka`` (Belarusian BGN/PCGN and passports), ``Lukašenka`` (Belarusian national
system); Лукашенко is ``Lukashenko`` (Russian BGN/PCGN, ICAO). The index keeps every
form, so a customer record in any of them finds the list entry.

Tables, each cited:
- ``ru_bgn``: BGN/PCGN romanization of Russian (1947), as used by the US and UK
  governments and on most sanctions lists.
- ``ru_icao``: ICAO Doc 9303 (7th ed., part 3, table for Cyrillic), in Russian
  passports since 2013 (``Iuliia``, ``Aleksandr``).
- ``be_bgn``: BGN/PCGN romanization of Belarusian (1979).
- ``be_passport``: Belarusian passport and EU practice, the national system of 2007
  (Instruction on transliteration, Belarus State Committee on Land Resources) written
  without diacritics (``Aliaksandr``, ``Sviatlana``, ``Tsikhanouskaya``).
- ``be_national``: the 2007 national system with its diacritics (``Lukašenka``).
- ``uk_national``: Ukrainian national transliteration (Cabinet of Ministers resolution
  No. 55 of 27 January 2010), also in Ukrainian passports.

Korean hangul and Chinese characters are romanized by ``anyascii`` (maintained, with
tables from Unicode's Unihan and Korean Revised Romanization): ``ko_rr`` and
``zh_pinyin``: a Korean name a syllable a word (김정은 ``gim jeong eun``), as lists
write them; a Chinese one with its given name joined, as pinyin does (习近平 ``xi
jinping``), and a syllable a word, as Wade-Giles does (``Hsi Chin-p'ing``). Their
other romanizations (McCune-Reischauer, North Korean usage, Wade-Giles) are reached
by the ``syllables`` reading (``readings.py``).
"""

from __future__ import annotations

import re

from sanctio.names.scripts import cyrillic_language

_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "з": "z", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "ь": "", "ъ": "", "ы": "y", "э": "e", "і": "i", "и": "i",
}  # fmt: skip

#: Per system: plain letters, then iotated vowels as (at start or after a vowel, elsewhere).
SYSTEMS: dict[str, tuple[dict[str, str], dict[str, tuple[str, str]]]] = {
    "ru_bgn": (
        _COMMON | {"г": "g", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch",
                   "ш": "sh", "щ": "shch"},
        {"е": ("ye", "e"), "ё": ("yo", "yo"), "ю": ("yu", "yu"), "я": ("ya", "ya")},
    ),
    "ru_icao": (
        _COMMON | {"г": "g", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch",
                   "ш": "sh", "щ": "shch", "ъ": "ie"},
        {"е": ("e", "e"), "ё": ("e", "e"), "ю": ("iu", "iu"), "я": ("ia", "ia")},
    ),
    "be_bgn": (
        _COMMON | {"г": "h", "ґ": "g", "ж": "zh", "й": "y", "ў": "w", "х": "kh", "ц": "ts",
                   "ч": "ch", "ш": "sh"},
        {"е": ("ye", "e"), "ё": ("yo", "yo"), "ю": ("yu", "yu"), "я": ("ya", "ya")},
    ),
    "be_passport": (
        _COMMON | {"г": "h", "ґ": "g", "ж": "zh", "й": "i", "ў": "u", "х": "kh", "ц": "ts",
                   "ч": "ch", "ш": "sh"},
        {"е": ("ye", "ie"), "ё": ("yo", "io"), "ю": ("yu", "iu"), "я": ("ya", "ia")},
    ),
    "be_national": (
        _COMMON | {"г": "h", "ґ": "g", "ж": "ž", "й": "j", "ў": "ŭ", "х": "ch", "ц": "c",
                   "ч": "č", "ш": "š"},
        {"е": ("je", "ie"), "ё": ("jo", "io"), "ю": ("ju", "iu"), "я": ("ja", "ia")},
    ),
    "uk_national": (
        _COMMON | {"г": "h", "ґ": "g", "ж": "zh", "и": "y", "й": "i", "х": "kh", "ц": "ts",
                   "ч": "ch", "ш": "sh", "щ": "shch", "ї": "i"},
        {"є": ("ye", "ie"), "ю": ("yu", "iu"), "я": ("ya", "ia"), "ї": ("yi", "i"),
         "е": ("e", "e")},
    ),
}  # fmt: skip

#: Systems to use for a name in each language, most common on lists first.
#: Letters of the other East Slavic alphabets, for names that mix them (a Ukrainian є
#: in a Belarusian name): each system writes them as its own language's closest letters.
_FALLBACK_PLAIN = {"ґ": "g", "ў": "u", "щ": "shch", "ї": "i", "й": "y", "ж": "zh", "х": "kh",
                   "ц": "ts", "ч": "ch", "ш": "sh", "г": "g"}  # fmt: skip
_FALLBACK_IOTATED = {"е": ("ye", "e"), "ё": ("yo", "yo"), "є": ("ye", "ie"), "ї": ("yi", "i"),
                     "ю": ("yu", "iu"), "я": ("ya", "ia")}  # fmt: skip
for _plain, _iotated in SYSTEMS.values():
    for _letter, _latin in _FALLBACK_PLAIN.items():
        _plain.setdefault(_letter, _latin)
    for _letter, _pair in _FALLBACK_IOTATED.items():
        if _letter not in _plain:
            _iotated.setdefault(_letter, _pair)

BY_LANGUAGE = {
    "ru": ("ru_bgn", "ru_icao"),
    "be": ("be_passport", "be_bgn", "be_national"),
    "uk": ("uk_national",),
}
_VOWELS = set("аеёиоуыэюяіїєў")
_SOFTENERS = set("ьъ'’")


def romanize(word: str, system: str) -> str:
    """One lower-case Cyrillic word in one system; other characters are kept as they are."""
    plain, iotated = SYSTEMS[system]
    out: list[str] = []
    previous = ""
    for char in word:
        if char in iotated:
            initial = not previous or previous in _VOWELS or previous in _SOFTENERS
            out.append(iotated[char][0 if initial else 1])
        else:
            out.append(plain.get(char, char))
        previous = char
    return "".join(out)


def romanizations(text: str) -> tuple[tuple[str, str], ...]:
    """(system, Latin text) for every system that fits the text's language, without repeats.

    ``text`` is normalized (lower case); Latin text is returned as it is, as 'latin'.
    """
    if not any("\u0400" <= c <= "\u04ff" for c in text):
        if _SYLLABIC_SCRIPT.search(text):
            return _syllable_forms(text)
        return (("latin", text),)
    forms: dict[str, str] = {}
    for language in cyrillic_language(text):
        for system in BY_LANGUAGE[language]:
            latin = " ".join(romanize(word, system) for word in text.split())
            forms.setdefault(latin, system)
    return tuple((system, latin) for latin, system in forms.items())


#: Hangul syllables and jamo, and the CJK ideographs (with extension A).
_SYLLABIC_SCRIPT = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u3400-\u4dbf\u4e00-\u9fff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_SYLLABLE = re.compile(r"[A-Z][a-z]*|[a-z]+")


def _syllable_forms(text: str) -> tuple[tuple[str, str], ...]:
    """A name in hangul or Chinese characters romanized: a Korean name a syllable a
    word, a Chinese one with its given name joined and a syllable a word."""
    from anyascii import anyascii  # imported where a name needs it

    words = [
        [s.lower() for s in _SYLLABLE.findall(anyascii(w))] if _SYLLABIC_SCRIPT.search(w) else [w]
        for w in text.split()
    ]
    split = " ".join(s for syllables in words for s in syllables)
    if _HANGUL.search(text):  # Korean lists write a syllable a word (Kim Jong Un)
        return (("ko_rr", split),)
    # pinyin joins a given name's syllables (Xi Jinping), Wade-Giles hyphenates them
    joined = " ".join(" ".join([s[0], "".join(s[1:])] if len(s) > 2 else s) for s in words if s)
    return tuple(("zh_pinyin", latin) for latin in dict.fromkeys((joined, split)))
