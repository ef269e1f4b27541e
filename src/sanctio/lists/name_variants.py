"""Alternative spellings that lists pack into one alias cell, unpacked.

The EU annexes write ``Dmitri Valerievich PAVLICHENKO (Dmitriy Valeriyevich
PAVLICHENKO)`` (a second full spelling in brackets), ``Iury (Yuri) Leonidovich SIVAKOV``
(a second spelling of one word) and ``Юрый Леанідавіч СIВАКАЎ, СIВАКОЎ`` (a second
spelling of the surname). Each is returned as a name of its own; any other bracketed
note (``(the Moroccan)``, ``(birth name)``) is dropped from the name, because it is
not part of what a customer record would carry. Labels (``a.k.a.``, ``née``) are
dropped, and a cell that runs a Latin and a Cyrillic spelling together
(``Andrey Nikolaevich TROSHEV Андрей Николаевич ТРОШЕВ``) gives both.
"""

from __future__ import annotations

import re

_BRACKETED = re.compile(r"\s*\(([^()]*)\)")
_SURNAME = re.compile(r"^[^\W\d_a-zа-яёіў]{2,}$")  # an ALL-CAPS word, Latin or Cyrillic
_WORD = re.compile(r"^[^\W\d_][\w’'-]*$")
_LABEL = re.compile(
    r"^(?:a\.?k\.?a\.?|f\.?k\.?a\.?|also known as|formerly|alias|born|née|nee)[\s:]+",
    re.I,
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z]")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;")


def _is_surname(word: str) -> bool:
    return bool(_SURNAME.match(word.strip(".,")))


def _script(word: str) -> str:
    """'cyrillic' or 'latin' by the word's letters (Лiдзiя, with a Latin i, is Cyrillic)."""
    cyrillic, latin = len(_CYRILLIC.findall(word)), len(_LATIN.findall(word))
    return "cyrillic" if cyrillic > latin else "latin" if latin else "other"


def split_scripts(name: str) -> list[str]:
    """A name that runs a Latin and a Cyrillic spelling together, as the two spellings."""
    runs: list[list[str]] = []
    for word in name.split():
        if runs and _script(runs[-1][-1]) == _script(word):
            runs[-1].append(word)
        else:
            runs.append([word])
    # two spellings of a full name each: at least two words of at least two letters
    if len(runs) > 1 and all(sum(len(w) > 1 for w in run) > 1 for run in runs):
        return [" ".join(run) for run in runs]
    return [name]


def person_name_variants(text: str) -> list[str]:
    """Every full spelling of a person's name packed into ``text``, first the base one."""
    variants = []
    for spelling in _variants(_LABEL.sub("", text.strip())):
        variants.extend(split_scripts(spelling))
    return list(dict.fromkeys(variants))


def _variants(text: str) -> list[str]:
    base = _collapse(_BRACKETED.sub(" ", text))
    if not base:
        return []
    variants = [base]
    for match in _BRACKETED.finditer(text):
        inner = _collapse(_LABEL.sub("", match.group(1).split(":", 1)[-1].strip()))
        words = inner.split()
        before = _collapse(_BRACKETED.sub(" ", text[: match.start()])).split()
        if len(words) == 1 and _WORD.match(inner) and inner[0].isupper() and before:
            # one word standing for the word before it: a given name or a maiden name
            if _is_surname(before[-1]) == _is_surname(inner):
                after = _collapse(_BRACKETED.sub(" ", text[match.end() :]))
                variants.append(_collapse(" ".join([*before[:-1], inner, after])))
        elif any(_is_surname(w) for w in words):
            variants.append(inner)
    head, sep, tail = base.rpartition(",")
    tail = tail.strip()
    if (
        sep
        and len(tail) > 2
        and _is_surname(tail)
        and head.split()
        and _is_surname(head.split()[-1])
    ):
        variants[0] = _collapse(head)
        variants.append(_collapse(" ".join([*head.split()[:-1], tail])))
    return variants
