"""Latin spellings read the way their transliteration system reads them.

One Cyrillic name reaches the lists in the Latin of several languages, and the same
letters stand for different sounds in each: ``ch`` is ч in English, ш in French and х
in German, Czech and the Belarusian national system; ``z`` is з in English and ц in
German; ``j`` is ж in French and й in German; ``ou`` is French у; ``c`` is ц wherever
č, š and ž are written. Шойгу is ``Shoigu``, ``Choïgou`` and ``Schoigu``; Зайцев is
``Zaitsev``, ``Saizew`` and ``Zajcev``.

A name written in one of these systems shows it (French ``ou``, ``tch``, ``ï``,
``gue``, a leading ``ie``; German ``sch`` and the endings -ow, -ew, -owa, -witsch,
-wna; the háček and acute letters of ISO 9, Czech and the Belarusian national
system), and ``latin_readings`` then gives the name respelt the
English way (BGN/PCGN), so that its comparison keys (``keys.py``) are the ones the
English spelling has. The name keeps its own form too: a reading is only ever added.

Tables, each from its published system (the direction is the system's own, read
backwards):

- ``fr``: French transcription of Russian, the usage of the Bibliothèque nationale de
  France and the French press (``Iermochina``, ``Choïgou``, ``Tchernychev``,
  ``Sergueï``, ``Jirinovski``): ш ch, ч tch, щ chtch, ж j, дж dj, у ou, й ï after a
  vowel, г gu before e, i, y.
- ``de``: German transcription of Russian, Duden (Die deutsche Rechtschreibung,
  "Transkription aus dem Russischen"), as in ``Jermoschina``, ``Schoigu``,
  ``Saizew``: ш sch, ч tsch, щ schtsch, х ch, ц z, в w, й and iotation j.
- ``pl``: Polish transcription of Russian, Belarusian and Ukrainian (the rules of the
  Polish Academy's spelling dictionary, Wielki słownik ortograficzny PWN), as the Polish
  press and Belarusian Łacinka-influenced spellings write them (``Łukaszenka``,
  ``Jarmoszyna``, ``Szejman``, ``Cichanouska``): ш sz, щ szcz, ч cz, ж ż, х ch, ц c, soft
  ць ć, сь ś, зь ź, нь ń, л ł, в w, й and iotation j, е after a consonant ie.
- ``slavic``: ISO 9:1995 (GOST 7.79 system A), scientific (scholarly) transliteration,
  the Belarusian national system of 2007 (UNGEGN) and Czech-based spellings: č, š, ž,
  ŝ and šč (щ), c (ц), ch or h (х; h is read kh, which the keys take as h, so that
  ISO 9 šh is ш and х, not щ; x in the scholarly system), j (й), ISO 9 û (ю) and â
  (я), Belarusian ŭ (ў) and the acute of soft consonants (ć, ś, ź, ĺ, ń).
- ``syllables``: names written in syllables of one vowel each (Korean, Chinese), whose
  romanizations differ in the voicing of a syllable's first consonant and in its
  vowels: Korean Revised Romanization (2000) against McCune-Reischauer and North
  Korea's usage (정 ``Jeong``/``Jong``, 병 ``Byeong``/``Pyong``, 근 ``Geun``/``Kun``,
  리 ``Li``/``Ri``), pinyin against Wade-Giles (``Deng``/``Teng``, ``Xiao``/``Hsiao``).
  The reading writes b, d, g at a syllable's start as p, t, k, r as l, Wade-Giles hs
  as x, eo as o and eu as u, and a final g, d, b (hangul's letters) as k, t, p, so
  every system's spelling reaches the same keys (``ENDINGS``). Not j as ch: with it, Jong and Chong
  of two listed Korean persons alerted on each other (the tune regimes of
  ``bench/quality``). A key starting ``^`` stands for the start of a word.
- ``baltic``: Lithuanian and Latvian spellings of Russian and Belarusian names (the
  rules of the Lithuanian language commission, Latvian Cabinet regulation No. 114 of
  2004), which add case endings to a man's name: ``Aleksandras Lukašenka``,
  ``Vladimirs Putins``, ``Sergejus``, ``Hamatovičs``: the endings come off
  (``ENDINGS``), then š, č, ž, ch or h (х), c (ц), j and the long vowels are read.
"""

from __future__ import annotations

import re

#: reading -> (what shows a name is written in that system, letters -> English letters)
READINGS: dict[str, tuple[str, dict[str, str]]] = {
    "fr": (
        r"ou|tch|ï|gu[eiy]|\bie(?=[^aeiou])",
        {"chtch": "shch", "tch": "ch", "ch": "sh", "dj": "dzh", "j": "zh", "ou": "u",
         "gue": "ge", "gui": "gi", "guy": "gy", "ï": "y"},
    ),
    "de": (
        r"sch|w(?:itsch|na)\b|[eo]wa?\b",
        {"schtsch": "shch", "tsch": "ch", "sch": "sh", "ch": "kh", "z": "ts", "w": "v",
         "j": "y"},
    ),
    "pl": (
        r"sz|cz|[łż]",
        {"szcz": "shch", "sz": "sh", "cz": "ch", "ż": "zh", "rz": "zh", "ch": "kh", "c": "ts",
         "ć": "ts", "ś": "s", "ź": "z", "ń": "n", "ł": "l", "w": "v", "j": "y", "ie": "e"},
    ),
    "slavic": (
        r"[čšžŝŭćśźĺńûâ]",
        {"šč": "shch", "ŝ": "shch", "ch": "kh", "h": "kh", "c": "ts", "č": "ch", "š": "sh",
         "ž": "zh", "ŭ": "w", "ć": "ts", "dź": "dz", "ś": "s", "ź": "z", "ĺ": "l", "ń": "n",
         "j": "y", "û": "yu", "â": "ya", "x": "kh"},
    ),
    "syllables": (
        # every word one syllable, two words at least (Kim Jong Un, Ri Byong Chol)
        r"^(?:[^aeiouy ]*[aeiouyw]+(?:r?(?:ng|[nlkmpthgdb])|r)?(?: |$)){2,}$",
        {"^b": "p", "^d": "t", "^g": "k", "^r": "l", "^hs": "x", "eo": "o", "eu": "u"},
    ),
    "baltic": (
        r"(?:ičius|ičs|[ie]jus|[ie]js|(?:ov|ev)a?s|inas)\b|[ėūųįąęīēāļņķģ]"
        r"|[čšž].*[^aeiouy]a?s\b|[^aeiouy]a?s\b.*[čšž]"
        r"|[^aeiouys ]s\b.*ins\b|ins\b.*[^aeiouys ]s\b",
        {"šč": "shch", "š": "sh", "č": "ch", "ž": "zh", "ch": "kh", "h": "kh", "c": "ts",
         "j": "y", "ė": "e", "ū": "u", "ų": "u", "į": "i", "ą": "a", "ę": "e", "ī": "i",
         "ē": "e", "ā": "a", "ļ": "l", "ņ": "n", "ķ": "k", "ģ": "g"},
    ),
}  # fmt: skip

#: Word endings a reading takes off or changes before its letters are read: the
#: consonants hangul writes at a syllable's end, and the case endings Lithuanian and
#: Latvian add to a man's name (-ičius, -ičs of a patronymic; -jus, -js; -as, -s after
#: a consonant).
ENDINGS: dict[str, list[tuple[str, str]]] = {
    "syllables": [(r"(?<!n)g\b", "k"), (r"d\b", "t"), (r"b\b", "p")],
    "baltic": [
        (r"ičius\b|ičs\b", "ič"),
        (r"(?<=[ie])ju?s\b", "j"),
        (r"(?<=[^aeiouy\W\d_])a?s\b", ""),
    ],
}

#: How an explanation names each reading.
READING_NAMES = {
    "fr": "French transcription",
    "de": "German transcription",
    "pl": "Polish transcription",
    "slavic": "ISO 9, Czech or Belarusian national spelling",
    "syllables": "Korean or Chinese romanization",
    "baltic": "Lithuanian or Latvian spelling",
}


def _letters(key: str) -> str:
    """A table key as a pattern: ``^`` first for the start of a word."""
    if key.startswith("^"):
        return r"(?<![^\W\d_])" + re.escape(key[1:])
    return re.escape(key)


_COMPILED = {
    name: (
        re.compile(markers),
        # longest first, so tch is read before ch and schtsch before sch
        re.compile("|".join(map(_letters, sorted(table, key=len, reverse=True)))),
        {key.lstrip("^"): value for key, value in table.items()},
        [(re.compile(pattern), ending) for pattern, ending in ENDINGS.get(name, [])],
    )
    for name, (markers, table) in READINGS.items()
}


def latin_readings(text: str) -> tuple[tuple[str, str], ...]:
    """(reading, text respelt the English way) for each system whose marks ``text``
    shows, when the respelling differs; ``text`` is normalized Latin (lower case)."""
    found: list[tuple[str, str]] = []
    for name, (markers, _, _, _) in _COMPILED.items():
        if markers.search(text):
            respelt = respell(text, name)
            if respelt != text:
                found.append((name, respelt))
    return tuple(found)


def respell(text: str, reading: str) -> str:
    """Text respelt by one reading, whether or not it shows the reading's marks."""
    _, letters, table, endings = _COMPILED[reading]
    for pattern, ending in endings:
        text = pattern.sub(ending, text)
    return letters.sub(lambda m: table[m.group()], text)
