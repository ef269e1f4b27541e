"""Alternative spellings that lists pack into one alias cell, unpacked.

The EU annexes write ``Dmitri Valerievich PAVLICHENKO (Dmitriy Valeriyevich
PAVLICHENKO)`` (a second full spelling in brackets), ``Iury (Yuri) Leonidovich SIVAKOV``
(a second spelling of one word) and ``Юрый Леанідавіч СIВАКАЎ, СIВАКОЎ`` (a second
spelling of the surname). Each is returned as a name of its own; any other bracketed
note (``(the Moroccan)``, ``(birth name)``) is dropped from the name, because it is
not part of what a customer record would carry.
"""

from __future__ import annotations

import re

_BRACKETED = re.compile(r"\s*\(([^()]*)\)")
_SURNAME = re.compile(r"^[^\W\d_a-zа-яёіў]{2,}$")  # an ALL-CAPS word, Latin or Cyrillic
_WORD = re.compile(r"^[^\W\d_][\w’'-]*$")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;")


def _is_surname(word: str) -> bool:
    return bool(_SURNAME.match(word.strip(".,")))


def person_name_variants(text: str) -> list[str]:
    """Every full spelling of a person's name packed into ``text``, first the base one."""
    base = _collapse(_BRACKETED.sub(" ", text))
    if not base:
        return []
    variants = [base]
    for match in _BRACKETED.finditer(text):
        inner = _collapse(match.group(1).split(":", 1)[-1])
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
    if sep and _is_surname(tail.strip()) and head.split() and _is_surname(head.split()[-1]):
        variants[0] = _collapse(head)
        variants.append(_collapse(" ".join([*head.split()[:-1], tail.strip()])))
    return list(dict.fromkeys(variants))
