"""How well a candidate's best single name can score, from the keys alike alone.

The coverage that ranks candidates (``NameIndex.ranked``) adds up parts found in any
of an entity's names and ignores the parts only the entity has: a query of two
common names covers an entity with a dozen aliases, one holding each, completely, and
three in four of the candidates it passed then scored far below the threshold. Here
one listed name form is taken at a time, with the query's parts paired through the
keys their look-up found alike, and the listed parts nothing in the query resembles
at the cost the scorer gives them. It costs a few dozen dictionary look-ups a
candidate, where scoring one aligns every form of the query with every form of its
names.
"""

from __future__ import annotations

from functools import cached_property

from sanctio.names.parts import NameForm, NamePart
from sanctio.screening.index import NameIndex, name_parts
from sanctio.screening.scorer import (
    FAMILY_PART_WEIGHT,
    MIDDLE_WEIGHT,
    MISSING_COST,
    PAIRED,
    ROLE_WEIGHT,
    family_words_left_out,
    may_pair,
    middle_words,
    part_similarity,
    particles_left_out,
)

#: What each role costs the scorer when only the listed name has it.
_MISSING = {role: ROLE_WEIGHT[role] * MISSING_COST[role] for role in ROLE_WEIGHT}


_NONE: frozenset[int] = frozenset()


class _QueryForm:
    """One form of the query: its searched parts with the keys alike to each, every
    such key, and how many parts are too short to search (initials); and each part's
    similarity to the listed words it was compared with so far (a query meets the same
    words in many candidates' forms)."""

    __slots__ = ("alike", "compared", "family_pair", "near", "parts", "spare")

    def __init__(self, index: NameIndex, form: NameForm) -> None:
        # every word of the name, those that may be a title or legal form elsewhere
        # (JSC, Sheikh) included: here they pair with such a listed word as the scorer
        # pairs them, at its small weight (``_form_cover``)
        self.parts = name_parts(form)
        # a part's own key always pairs, whatever kind of part holds it: the scorer
        # takes a lower-case NEIMOVICH (read as a father's name) for the listed family
        # name, where the look-up fetches only fathers' names for it
        self.alike = [{**index.part_hits(p).similar, p.key: 1.0} for p in self.parts]
        self.near: set[str] = set().union(*self.alike)
        self.compared: list[dict[NamePart, float]] = [{} for _ in self.parts]
        self.spare = len(form.parts) - len(self.parts)
        self.family_pair = form.family_pair


class NameCover:
    """The query's side, made once a query (at its first candidate); called for each
    candidate."""

    def __init__(self, index: NameIndex, forms: list[NameForm]) -> None:
        self._index = index
        self._query_forms = forms

    @cached_property
    def _forms(self) -> list[_QueryForm]:
        made = (_QueryForm(self._index, form) for form in self._query_forms)
        return [query for query in made if query.parts]

    def __call__(self, number: int, enough: float = 1.0) -> float:
        """The best estimate over the name forms of entity ``number``, stopping at the
        first that reaches ``enough``. A form with no key alike to the query's is
        passed over: an entity with no such key is never a candidate at all."""
        best = 0.0
        names = self._index.entities[number].forms
        for query in self._forms:
            for name in names:
                for listed in name:
                    if query.near.isdisjoint(listed.keys):
                        continue
                    best = max(best, _form_cover(query, listed))
                    if best >= enough:
                        return best
        return best


def _form_cover(query: _QueryForm, form: NameForm) -> float:
    """The estimate for one listed name form: the query parts' weighted best
    similarity over their weight and the cost of the listed parts nothing in the query
    resembles, less the costliest ones the query's initials may pair with.

    A query part with no key alike in the form may still be like one of its words
    (ABDELLAH / LABELLA, two edits apart), so it is compared with the form's other
    parts as the scorer would, once a cheap bound says they may pair: nearly all such
    pairs are two different names."""
    listed = form.parts
    covered = weight = 0.0
    paired = 0  # bit j: the listed part j is like some query part
    unpaired: list[int] = []
    found = [False] * len(query.parts)  # query parts like some listed part
    for i, (part, alike) in enumerate(zip(query.parts, query.alike, strict=True)):
        best, best_j = 0.0, -1
        for j, candidate in enumerate(listed):
            similarity = alike.get(candidate.key)
            if not similarity and candidate.text == part.text:
                similarity = 1.0  # a listed title or legal form written the same
            if similarity:
                paired |= 1 << j
                if similarity > best:
                    best, best_j = similarity, j
        if best:
            found[i] = True
            role_weight = _pair_weight(part, listed[best_j])
            covered += role_weight * best
            weight += role_weight
        elif part.role != "patronymic":  # a father's name only the query gives may be free
            unpaired.append(i)
    missing = []
    for i in unpaired:
        best, taken = 0.0, -1
        for j, candidate in enumerate(listed):
            if not paired >> j & 1:
                similarity = _similarity(query, i, candidate)
                if similarity > max(best, PAIRED):
                    best, taken = similarity, j
        if taken >= 0:
            paired |= 1 << taken
            found[i] = True
            role_weight = _pair_weight(query.parts[i], listed[taken])
            covered += role_weight * best
            weight += role_weight
        else:
            missing.append(i)
    # a middle name only one side gives costs the scorer less (``middle_words``)
    query_middle = middle_words(query.parts, found) if missing else _NONE
    query_family = (
        family_words_left_out(query.parts, found) if missing and query.family_pair else _NONE
    )
    for i in missing:
        if i in query_middle:
            weight += MIDDLE_WEIGHT
        elif i in query_family:
            weight += FAMILY_PART_WEIGHT
        else:
            weight += ROLE_WEIGHT[query.parts[i].role]
    costs = []
    if paired != (1 << len(listed)) - 1:  # some listed part has no partner
        listed_paired = [bool(paired >> j & 1) for j in range(len(listed))]
        listed_middle = middle_words(listed, listed_paired) if form.middle else _NONE
        listed_family = family_words_left_out(listed, listed_paired) if form.family_pair else _NONE
        free = particles_left_out(listed, listed_paired) if form.nasab else _NONE
        costs = [
            MIDDLE_WEIGHT
            if j in listed_middle
            else FAMILY_PART_WEIGHT
            if j in listed_family
            else 0.0
            if j in free
            else _MISSING[c.role]
            for j, c in enumerate(listed)
            if not listed_paired[j]
        ]
    if query.spare and costs:
        costs = sorted(costs)[: -query.spare]
    weight += sum(costs)
    return covered / weight if weight else 0.0


def _pair_weight(query: NamePart, listed: NamePart) -> float:
    """A pair's weight as the scorer gives it: the listed part's role's, or the query
    part's when the listed word's role is not known ("other")."""
    return ROLE_WEIGHT[query.role if listed.role == "other" else listed.role]


def _similarity(query: _QueryForm, i: int, candidate: NamePart) -> float:
    """The scorer's similarity of the query's part ``i`` to a listed word, or 0 when the
    cheap bound says it is at most ``PAIRED``."""
    compared = query.compared[i]
    similarity = compared.get(candidate)
    if similarity is None:
        part = query.parts[i]
        similarity = compared[candidate] = (
            part_similarity(part, candidate)[0] if may_pair(part, candidate) else 0.0
        )
    return similarity
