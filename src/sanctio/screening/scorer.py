"""Scoring a candidate against a query, and saying why in one line.

The name score aligns the parts of the two names (each part with its best partner,
any order) and weighs them by role: the family name counts most, the given name
next, the patronymic least; a patronymic the query leaves out costs nothing. Other
facts then confirm or contradict: birth date (a year confirms a full date of that
year), nationality, gender, identifiers, and the kind of entity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise
from typing import NamedTuple

from rapidfuzz.distance import Indel

from sanctio.model import Entity, get_schema
from sanctio.names.affixes import FORM, MINOR_ROLES, PARTICLE, is_minor
from sanctio.names.keys import consonant_skeleton
from sanctio.names.normalize import strip_latin_marks
from sanctio.names.parts import NameForm, NamePart, may_be_middle, name_forms
from sanctio.names.readings import READING_NAMES
from sanctio.screening.query import IDENTIFIER_PROPERTIES, Query, identifier_key, name_kind

#: How much each role counts in the name score. Titles (Mr, Gen., Jr), particles (al,
#: bin, van), numbers and legal forms (``names/affixes.py``) count little: one more of
#: them lowers a score a little, none is a reason to miss a listed name.
ROLE_WEIGHT = {
    "family": 1.0, "other": 0.85, "given": 0.7, "patronymic": 0.35,
    "title": 0.1, "particle": 0.2, "number": 0.0, "form": 0.15,
}  # fmt: skip
#: Share of its weight a candidate's part costs when the query leaves it out (and a
#: query's patronymic when no name of the candidate gives another father's name).
MISSING_COST = {
    "family": 0.6, "other": 0.5, "given": 0.5, "patronymic": 0.0,
    "title": 0.5, "particle": 0.5, "number": 0.0, "form": 0.5,
}  # fmt: skip
#: What an initial only the query gives costs ("Alexander G. Lukashenko" for a listed
#: Aliaksandr Ryhoravich LUKASHENKA: the G. may be his father's name in Russian).
INITIAL_COST = 0.1
#: Two legal forms of different classes, or two different titles: alike enough to pair.
OTHER_MINOR = 0.5
#: Share of its weight a middle name costs when only one side gives it: a given name
#: between two words both names share (Paul [Nicholas] GRIFFIN; Osama [bin Mohammed]
#: bin Laden). Lists give middle names that customers' records leave out, and the
#: other way round; a missing first given name or family name costs the full
#: MISSING_COST.
MIDDLE_COST = 0.25
#: What a middle name only one side gives costs: MIDDLE_COST of a given name's weight,
#: whatever role the word was read in (by its place it is a given name: Mohamed [Amin]
#: Mostafa).
MIDDLE_WEIGHT = ROLE_WEIGHT["given"] * MIDDLE_COST
#: What one word of a family name of two or more costs when only one side gives it and
#: another word of that family name is shared: Spanish and Portuguese names carry two
#: family names, and records often keep one of them (Juan Carlos GARCIA [LOPEZ]).
FAMILY_PART_WEIGHT = 0.2


PATRONYMICS_DIFFER = "patronymics differ"
SHIFTED = "one name is the other with another given name in front"
GIVEN_NAMES_DIFFER = "given names differ"
CROSSED = "the same first name with the names after it in another order"
#: Extra weight of each sign of two people: different fathers; a son's name that is
#: his father's with his own given name in front; each name with a given name the
#: other lacks; two given names swapped behind the same first word.
CONFLICT_WEIGHT = {PATRONYMICS_DIFFER: 0.65, SHIFTED: 1.0, GIVEN_NAMES_DIFFER: 0.7, CROSSED: 0.7}
#: Two spellings of one given name (Aliaksandr / Alexander), or of one father's name.
SAME_GROUP = 0.95
#: A family name that only resembles a given name counts for less (Hassan / Ghassan).
CROSS_ROLE = 0.75
#: Parts less alike than this are never paired.
PAIRED = 0.4
#: Calibrated on the tune regimes of bench/quality: the lowest score at which at most
#: 0.5% of their negatives alert: 0.876 since titles, particles and middle names cost
#: less, taken as 0.88; 0.84 before, docs/benchmarks.md).
DEFAULT_THRESHOLD = 0.88


@dataclass(frozen=True)
class PartMatch:
    query: NamePart
    candidate: NamePart
    score: float
    how: str


@dataclass(frozen=True)
class NameScore:
    score: float
    query_form: NameForm
    candidate_form: NameForm
    pairs: tuple[PartMatch, ...]
    unmatched_query: tuple[NamePart, ...]
    unmatched_candidate: tuple[NamePart, ...]
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """The score of a candidate for a query (0..1), whether it alerts, and why.

    The explanation is written when it is read: a screener scores many candidates
    and shows few.
    """

    score: float
    match: bool
    name_score: float
    candidate_name: str
    #: what the explanation is written from: the name alignment, the notes on other
    #: facts, and a fixed text when there was nothing to align
    aligned: tuple[NameForm, NameForm, _Alignment] | None = field(
        default=None, repr=False, compare=False
    )
    notes: tuple[str, ...] = field(default=(), repr=False, compare=False)
    reason: str = field(default="", repr=False, compare=False)
    caption: str = field(default="", repr=False, compare=False)

    @cached_property
    def explanation(self) -> str:
        """One line: which parts matched and how, what confirmed or contradicted."""
        if self.aligned is None:
            return self.reason
        scored = _name_score(*self.aligned)
        spelling = self.candidate_name
        via = f' (listed spelling "{spelling}")' if spelling != self.caption else ""
        text = f"name {scored.score:.2f}{via}: {describe_names(scored)}"
        return "; ".join([text, *self.notes])


@lru_cache(maxsize=1_000_000)
def part_similarity(q: NamePart, c: NamePart) -> tuple[float, str]:
    """How alike two name parts are, and in what way (for the explanation)."""
    if q.key == c.key or q.text == c.text:
        if q.role == c.role == FORM:
            return 1.0, "same legal form"
        return 1.0, "same" if q.text == c.text else "same name, other spelling"
    if is_minor(q.role) or is_minor(c.role):
        if q.role == c.role and q.role in (FORM, "title"):
            return OTHER_MINOR, f"other {'legal form' if q.role == FORM else q.role}"
        return 0.0, "different parts"
    if (q.role == "patronymic") != (c.role == "patronymic"):
        return 0.0, "different parts"
    if q.role == "patronymic":
        if q.group is not None and q.group == c.group:
            return SAME_GROUP, "same father's name"
        return key_similarity(q.key, c.key) * (
            0.7 if q.group is not None and c.group is not None else 1
        ), "similar"
    if q.group is not None and q.group == c.group:
        return SAME_GROUP, "same given name"
    if len(q.text) == 1 or len(c.text) == 1:
        same = strip_latin_marks(q.text[0]) == strip_latin_marks(c.text[0])
        return (0.75, "initial") if same else (0.0, "other initial")
    similarity = spelling_similarity(q, c)
    if q.group is not None and c.group is not None:
        return similarity * 0.6, "different given names"
    if {q.role, c.role} == {"family", "given"}:
        return similarity * CROSS_ROLE, "similar spelling, given name against family name"
    return similarity, "similar spelling"


def may_pair(q: NamePart, c: NamePart) -> bool:
    """False only when ``part_similarity(q, c)`` is at most ``PAIRED``, told without
    computing it: the estimate in ``cover.py`` meets many listed words a query word is
    nothing like, and every view of a spelling scores below ``PAIRED`` when its plain
    similarity is below ``_RAW_PAIRED``."""
    if q.key == c.key or q.text == c.text or len(q.text) == 1 or len(c.text) == 1:
        return True
    if is_minor(q.role) or is_minor(c.role):
        return q.role == c.role
    if (q.role == "patronymic") != (c.role == "patronymic"):
        return False
    if q.group is not None and q.group == c.group:
        return True
    return bool(
        Indel.normalized_similarity(q.key, c.key, score_cutoff=_RAW_PAIRED)
        or Indel.normalized_similarity(q.text, c.text, score_cutoff=_RAW_PAIRED)
        or Indel.normalized_similarity(
            consonant_skeleton(q.key), consonant_skeleton(c.key), score_cutoff=_RAW_PAIRED
        )
    )


#: Consonant skeletons agreeing count for a little less than keys agreeing.
SKELETON_DISCOUNT = 0.9


def spelling_similarity(q: NamePart, c: NamePart) -> float:
    """The best of three views of two spellings: their keys, the words as written (a
    typo can break a digraph: LUKASEHNKA), and, when one is a family name, their
    consonants (Belarusian writes the vowels it hears: TSERABAU is TEREBOV). Given
    names are compared without that view: Bashar and Bushra share their consonants
    and are two people; the spellings of one given name are in the equivalence table."""
    if "family" in (q.role, c.role) or _abbreviated(q.text) or _abbreviated(c.text):
        # a word written without vowels is abbreviated (Cmmtt, Bnvlnc, Hrkt): its
        # consonants are all it says
        similarity = max(key_similarity(q.key, c.key), _fuzzy(q.text, c.text))
    else:
        similarity = max(_fuzzy(q.key, c.key), _fuzzy(q.text, c.text))
    if (
        min(len(q.text), len(c.text)) <= SHORT_WORD
        and q.text[:1] != c.text[:1]
        and q.key[:1].translate(_SAME_FIRST) != c.key[:1].translate(_SAME_FIRST)
    ):
        # spelling errors are rarer at the start of a name (W. E. Winkler, 1990, the
        # reason for Jaro-Winkler's prefix weight): Samer/Amer, Yong/Pyong are two names
        similarity *= OTHER_FIRST_LETTER
        if "family" not in (q.role, c.role):
            # and below the knee like any other pair of different names; a given name's
            # real variants are in the equivalence table, while a family name keeps the
            # milder cost (a slip after a prefix: AL-NSSAD for AL-ASSAD)
            similarity = _pushed_below_knee(similarity)
    return similarity


_VOWELS = frozenset("aeiouyäöüéèêáàíóúåæøœ")


def _abbreviated(text: str) -> bool:
    """A word of three letters or more with no vowel after its first letter: written
    without them (Cmmtt, Intrntnl)."""
    return len(text) >= 3 and _VOWELS.isdisjoint(text[1:])


#: First letters that are one letter transliterated two ways: Belarusian and Ukrainian
#: г is h, Russian г is g (HALAN / GALAN), as in ``consonant_skeleton``.
_SAME_FIRST = str.maketrans("h", "g")
#: Words this short whose first letters differ...
SHORT_WORD = 5
#: ...keep this share of their similarity.
OTHER_FIRST_LETTER = 0.8


def text_similarity(a: str, b: str) -> float:
    """How alike two words are as written."""
    return _fuzzy(a, b)


@lru_cache(maxsize=500_000)
def key_similarity(a: str, b: str) -> float:
    """How alike two part keys are: as keys, or by their consonants (discounted)."""
    return key_similarities(a, [b])[0]


def key_similarities(key: str, others: list[str]) -> list[float]:
    """``key_similarity`` of one key against many, uncached: a query's key meets its
    few dozen near keys once (a loop of rapidfuzz calls is twice as fast as numpy on
    arrays this short)."""
    skeleton = consonant_skeleton(key)
    found = []
    for other in others:
        if other == key:
            found.append(1.0)
            continue
        similarity = _pushed_below_knee(Indel.normalized_similarity(key, other))
        other_skeleton = consonant_skeleton(other)
        shortest = min(len(skeleton), len(other_skeleton))
        if shortest >= 4 or (shortest == 3 and skeleton == other_skeleton):
            # three consonants alone say little: GRV is Iahorau and Igorevna
            by_skeleton = Indel.normalized_similarity(skeleton, other_skeleton)
            similarity = max(similarity, _pushed_below_knee(by_skeleton) * SKELETON_DISCOUNT)
            if (
                shortest >= 4
                and skeleton == other_skeleton
                and (_abbreviated(key) or _abbreviated(other))
            ):
                # a word written without its vowels, every consonant in place
                # (Intrntnl, Crprtn): as good as another spelling of the same name
                similarity = max(similarity, SAME_GROUP)
        found.append(similarity)
    return found


def forget_pairs() -> None:
    """Empty the caches of word pairs (``part_similarity``, ``key_similarity``,
    ``_fuzzy``); ``/match`` does before each batch (nearly always one query). Most of
    their hits are the same pair met again within one query (a candidate's several
    names and forms), so a service that empties them screens about as fast and its
    memory stays flat, where kept they grew it by some 300 MB a minute under load. A
    file screened in one run keeps them: its customers' names repeat, and it is 12%
    faster so (bench/load_match.py, bench/screening_speed.py, docs/benchmarks.md)."""
    part_similarity.cache_clear()
    key_similarity.cache_clear()
    _fuzzy.cache_clear()


#: Below this key similarity two parts are more likely different names than variants.
FUZZY_KNEE = 0.8


@lru_cache(maxsize=500_000)
def _fuzzy(a: str, b: str) -> float:
    """Key similarity, pushed down steeply below the knee: Ivanov/Riabov (0.67) is not
    a spelling variant the way Yermoshina/Yarmoshina (0.82) is."""
    return _pushed_below_knee(float(Indel.normalized_similarity(a, b)))


def _pushed_below_knee(similarity: float) -> float:
    if similarity < FUZZY_KNEE:
        similarity *= (similarity / FUZZY_KNEE) ** 4
    return similarity


#: The plain similarity ``_pushed_below_knee`` takes to ``PAIRED`` (about 0.697), less
#: a margin for rounding: ``may_pair``'s bound.
_RAW_PAIRED = (PAIRED * FUZZY_KNEE**4) ** (1 / 5) - 1e-9


class _Alignment(NamedTuple):
    """Which query part goes with which candidate part (-1: none), and the score."""

    score: float
    chosen: tuple[tuple[float, int, int, str], ...]
    partner_q: tuple[int, ...]
    partner_c: tuple[int, ...]
    conflicts: tuple[str, ...]


def _align(
    query: NameForm,
    candidate: NameForm,
    fathers: frozenset[NamePart] | None = None,
    person: bool = True,
) -> _Alignment:
    """Each part paired with its most similar partner, greedily, best pairs first; the
    weighted score with the cost of unpaired parts and of signs of two people.

    ``fathers``: the patronymics of all the candidate's names (by default, of this
    one). A patronymic only the query gives costs nothing when none of them is another
    father's name (Aliaksandr Ryhoravich LUKASHENKA for a listed Alexander Lukashenko),
    as one only the candidate gives costs nothing."""
    q_parts, c_parts = query.parts, candidate.parts
    options = []
    for i, q in enumerate(q_parts):
        for j, c in enumerate(c_parts):
            similarity, how = part_similarity(q, c)
            if similarity > PAIRED:
                options.append((similarity, i, j, how))
    options.sort(key=_similarity_of, reverse=True)
    partner_q = [-1] * len(q_parts)
    partner_c = [-1] * len(c_parts)
    chosen = []
    total = weight = 0.0
    for option in options:
        similarity, i, j, _ = option
        if partner_q[i] < 0 and partner_c[j] < 0:
            partner_q[i], partner_c[j] = j, i
            chosen.append(option)
            role = c_parts[j].role
            factor = ROLE_WEIGHT[q_parts[i].role if role == "other" else role]
            total += factor * similarity
            weight += factor
    if fathers is None:
        fathers = frozenset(c for c in c_parts if c.role == "patronymic")
    paired_q = [j >= 0 for j in partner_q]
    paired_c = [i >= 0 for i in partner_c]
    middle_q = middle_words(q_parts, paired_q) if query.middle else _NONE
    middle_c = middle_words(c_parts, paired_c) if candidate.middle else _NONE
    family_q = family_words_left_out(q_parts, paired_q) if query.family_pair else _NONE
    family_c = family_words_left_out(c_parts, paired_c) if candidate.family_pair else _NONE
    free_q = particles_left_out(q_parts, paired_q) if query.nasab else _NONE
    free_c = particles_left_out(c_parts, paired_c) if candidate.nasab else _NONE
    for i, q in enumerate(q_parts):
        if partner_q[i] < 0:
            if i in middle_q:
                weight += MIDDLE_WEIGHT
            elif i in family_q:
                weight += FAMILY_PART_WEIGHT
            elif i not in free_q:
                weight += _query_missing_cost(q, fathers)
    for j, c in enumerate(c_parts):
        if partner_c[j] < 0:
            if j in middle_c:
                weight += MIDDLE_WEIGHT
            elif j in family_c:
                weight += FAMILY_PART_WEIGHT
            elif j not in free_c:
                weight += ROLE_WEIGHT[c.role] * MISSING_COST[c.role]
    # signs of two people: a person's name only (an organisation's words have no order
    # of given names and fathers)
    conflicts = _conflicts(*_name_words(q_parts, c_parts, partner_q, partner_c)) if person else ()
    for conflict in conflicts:
        weight += CONFLICT_WEIGHT[conflict]
    return _Alignment(
        total / weight if weight else 0.0,
        tuple(chosen),
        tuple(partner_q),
        tuple(partner_c),
        conflicts,
    )


_NONE: frozenset[int] = frozenset()


def middle_words(parts: Sequence[NamePart], paired: list[bool]) -> frozenset[int] | set[int]:
    """The unpaired given names (and unclassed words) that stand between two paired
    words of the name, a family name written first read as if it stood last (GRIFFIN
    Paul [Nicholas] is Paul [Nicholas] GRIFFIN)."""
    if len(parts) < 3 or all(paired) or not any(paired):
        return _NONE
    order = [k for k, p in enumerate(parts) if not is_minor(p.role) and len(p.text) > 1]
    if len(order) < 3:
        return _NONE
    if parts[order[0]].role == "family" and paired[order[0]]:
        order = [*order[1:], order[0]]
    seen = [k for k in order if paired[k]]
    if len(seen) < 2:
        return _NONE
    first, last = order.index(seen[0]), order.index(seen[-1])
    return {
        k
        for k in order[first + 1 : last]
        if not paired[k] and parts[k].role in ("given", "other") and may_be_middle(parts[k].text)
    }


def family_words_left_out(parts: Sequence[NamePart], paired: Sequence[bool]) -> frozenset[int]:
    """The unpaired words of a family name of two or more words of which another word
    is paired (GARCIA [LOPEZ]); asked only of forms with such a family name beside other
    words (``NameForm.family_pair``: not of a name all in capitals)."""
    family = [k for k, p in enumerate(parts) if p.role == "family" and len(p.text) > 1]
    if not any(paired[k] for k in family):
        return _NONE
    return frozenset(k for k in family if not paired[k])


def particles_left_out(parts: Sequence[NamePart], paired: Sequence[bool]) -> frozenset[int]:
    """The unpaired particles before an unpaired father's name: "bin Muhammad" is left
    out as a whole, and the father's name costs nothing (``_query_missing_cost``)."""
    return frozenset(
        k
        for k in range(len(parts) - 1)
        if not paired[k]
        and not paired[k + 1]
        and parts[k].role == PARTICLE
        and parts[k + 1].role == "patronymic"
    )


def _query_missing_cost(part: NamePart, fathers: frozenset[NamePart]) -> float:
    """What a query part with no partner costs: its whole weight for a name word, a
    little for an initial, a title or a legal form, nothing for a number or for a
    patronymic no listed name contradicts."""
    if is_minor(part.role) or (part.role == "patronymic" and _same_father(part, fathers)):
        return ROLE_WEIGHT[part.role] * MISSING_COST[part.role]
    if len(part.text) == 1:
        return INITIAL_COST
    return ROLE_WEIGHT[part.role]


def _same_father(patronymic: NamePart, fathers: frozenset[NamePart]) -> bool:
    """No father's name among ``fathers`` is another than ``patronymic``'s."""
    return all(part_similarity(patronymic, father)[0] >= SAME_GROUP for father in fathers)


def _similarity_of(option: tuple[float, int, int, str]) -> float:
    return option[0]


def _name_score(query: NameForm, candidate: NameForm, aligned: _Alignment) -> NameScore:
    """The alignment in the terms of the explanation: pairs of parts, unpaired parts."""
    pairs = tuple(
        PartMatch(query.parts[i], candidate.parts[j], similarity, how)
        for similarity, i, j, how in aligned.chosen
    )
    missing_q = tuple(p for i, p in enumerate(query.parts) if aligned.partner_q[i] < 0)
    missing_c = tuple(p for j, p in enumerate(candidate.parts) if aligned.partner_c[j] < 0)
    return NameScore(
        aligned.score, query, candidate, pairs, missing_q, missing_c, aligned.conflicts
    )


def _name_words(
    q_parts: tuple[NamePart, ...],
    c_parts: tuple[NamePart, ...],
    partner_q: list[int],
    partner_c: list[int],
) -> tuple[tuple[NamePart, ...], tuple[NamePart, ...], list[int], list[int]]:
    """The alignment without titles, particles, numbers and legal forms, renumbered:
    the signs of two people (``_conflicts``) read the order of the name's own words, and
    a "Mr" in front is not a son's given name."""
    if not (_has_minor(q_parts) or _has_minor(c_parts)):
        return q_parts, c_parts, partner_q, partner_c
    kept_q = [i for i, p in enumerate(q_parts) if not is_minor(p.role)]
    kept_c = [j for j, p in enumerate(c_parts) if not is_minor(p.role)]
    new_q = {old: new for new, old in enumerate(kept_q)}
    new_c = {old: new for new, old in enumerate(kept_c)}
    return (
        tuple(q_parts[i] for i in kept_q),
        tuple(c_parts[j] for j in kept_c),
        [new_c.get(partner_q[i], -1) for i in kept_q],
        [new_q.get(partner_c[j], -1) for j in kept_c],
    )


def _has_minor(parts: tuple[NamePart, ...]) -> bool:
    """Whether a title, particle, number or legal form is among the parts."""
    return not MINOR_ROLES.isdisjoint([p.role for p in parts])


def _conflicts(
    q_parts: tuple[NamePart, ...],
    c_parts: tuple[NamePart, ...],
    partner_q: list[int],
    partner_c: list[int],
) -> tuple[str, ...]:
    """Signs that two names belong to two people, each costing extra weight."""
    found = []
    if any(partner_q[i] < 0 and p.role == "patronymic" for i, p in enumerate(q_parts)) and any(
        partner_c[j] < 0 and p.role == "patronymic" for j, p in enumerate(c_parts)
    ):
        found.append(PATRONYMICS_DIFFER)  # both give a father's name, and not the same one
    if _shifted(partner_q, partner_c):
        found.append(SHIFTED)
    elif _first_names_differ(q_parts, c_parts, partner_q, partner_c):
        found.append(GIVEN_NAMES_DIFFER)
    if _crossed(q_parts, c_parts, partner_q):
        found.append(CROSSED)
    return tuple(found)


_ORDERED_ROLES = ("given", "other")


def _crossed(
    q_parts: tuple[NamePart, ...], c_parts: tuple[NamePart, ...], partner_q: list[int]
) -> bool:
    """The first words pair with each other and two given names after them are in
    the opposite order: KIM Hyok Chan and KIM Chang Hyok, Cho Yon Chun and Choe Chun
    Yong are two people (a Korean given name's syllables, an Arabic name chain's
    fathers, keep their order). A name moved as a whole (the family name written
    first) does not pair the first words, and family names and patronymics are left
    out."""
    if not partner_q or partner_q[0] != 0:
        return False
    order = [
        j
        for i, j in enumerate(partner_q)
        if i > 0
        and j > 0
        and q_parts[i].role in _ORDERED_ROLES
        and c_parts[j].role in _ORDERED_ROLES
    ]
    return any(a > b for a, b in pairwise(order))


def _first_names_differ(
    q_parts: tuple[NamePart, ...],
    c_parts: tuple[NamePart, ...],
    partner_q: list[int],
    partner_c: list[int],
) -> bool:
    """Both names begin with a given name the other lacks: Viktar and Aliaksandr
    LUKASHENKA are two people, not one with a name left out."""
    first_q = next((i for i, p in enumerate(q_parts) if p.role != "family"), None)
    first_c = next((j for j, p in enumerate(c_parts) if p.role != "family"), None)
    return (
        first_q is not None
        and first_c is not None
        and partner_q[first_q] < 0
        and partner_c[first_c] < 0
        and q_parts[first_q].role != "patronymic"
        and c_parts[first_c].role != "patronymic"
    )


def _shifted(partner_q: list[int], partner_c: list[int]) -> bool:
    """One name is the other with a given name in front: a son in a name chain.

    ``Uday Saddam Hussein Al-Tikriti`` is Saddam Hussein's son: the father's whole
    name matches, shifted one place, and the son's own given name has no partner.
    """
    if len(partner_q) < 2 or len(partner_c) < 2:
        return False
    if partner_q[0] < 0 and partner_c[0] == 1:
        return True
    return partner_c[0] < 0 and partner_q[0] == 1


def _best_alignment(
    query_forms: list[NameForm], names: list[list[NameForm]], person: bool = True
) -> tuple[NameForm, NameForm, _Alignment] | None:
    """The best alignment of any query form with any form of the candidate's names.

    When some pairs of forms share two or more words outright, only the pairs sharing
    the most are aligned: a listed person has up to a dozen forms (every spelling,
    every romanization) and the one that shares most of the query's words is the one
    that scores best.
    """
    pairs = [(form, candidate) for forms in names for candidate in forms for form in query_forms]
    shared = [len(form.keys & candidate.keys) for form, candidate in pairs]
    most = max(shared, default=0)
    if most >= MIN_SHARED_TO_SELECT:
        pairs = [pair for pair, count in zip(pairs, shared, strict=True) if count == most]
    best: tuple[NameForm, NameForm, _Alignment] | None = None
    fathers = frozenset(
        p for forms in names for f in forms for p in f.parts if p.role == "patronymic"
    )
    for form, candidate in pairs:
        aligned = _align(form, candidate, fathers, person)
        if best is None or aligned.score > best[2].score:
            best = (form, candidate, aligned)
    return best


#: Pairs of forms sharing this many words or more are the only ones aligned.
MIN_SHARED_TO_SELECT = 1


def compatible_schemas(query: str, candidate: str) -> bool:
    """A person is never an organisation; 'LegalEntity' or 'Thing' queries match either."""
    q, c = get_schema(query), get_schema(candidate)
    return q.is_a(c.name) or c.is_a(q.name)


def _dates_agree(query: str, listed: str) -> bool:
    return query.startswith(listed) or listed.startswith(query)


def corroboration(query: Query, entity: Entity) -> tuple[float, list[str]]:
    """Score adjustments from facts other than the name, with their reasons."""
    delta = 0.0
    notes: list[str] = []
    listed_dates = entity.get("birthDate")
    if query.birth_dates and listed_dates:
        if any(_dates_agree(q, d) for q in query.birth_dates for d in listed_dates):
            delta += 0.05
            notes.append(f"birth date {query.birth_dates[0]} confirms")
        else:
            gap = min(abs(int(q[:4]) - int(d[:4])) for q in query.birth_dates for d in listed_dates)
            delta -= 0.08 if gap <= 1 else 0.3
            notes.append(f"birth date {query.birth_dates[0]} contradicts {listed_dates[0]}")
    listed_countries = {
        *entity.get("nationality"),
        *entity.get("citizenship"),
        *entity.get("country"),
    }
    if query.countries and listed_countries:
        if listed_countries & set(query.countries):
            delta += 0.03
            notes.append(f"country {query.countries[0]} confirms")
        else:
            delta -= 0.1
            notes.append(f"country {query.countries[0]} contradicts {sorted(listed_countries)[0]}")
    listed_gender = entity.first("gender")
    if query.gender and listed_gender and query.gender != listed_gender:
        delta -= 0.3
        notes.append(f"gender {query.gender} contradicts {listed_gender}")
    return delta, notes


def identifier_match(query: Query, entity: Entity) -> str | None:
    """The property whose identifier the query carries too, if any."""
    if not query.identifiers:
        return None
    for prop in IDENTIFIER_PROPERTIES:
        for value in entity.get(prop):
            if identifier_key(value) in query.identifiers:
                return prop
    return None


def describe_names(scored: NameScore) -> str:
    """'LUKASHENKO = LUKASHENKA (same name, other spelling), ...' for the explanation."""
    parts = []
    for pair in scored.pairs:
        if pair.how == "same":
            parts.append(f"{pair.candidate.text} matches")
        else:
            parts.append(
                f"{pair.query.text} ~ {pair.candidate.text} ({pair.how}, {pair.score:.2f})"
            )
    parts.extend(scored.conflicts)
    for part in scored.unmatched_query:
        parts.append(f"{_kind(part)}{part.text} not in the listed name")
    for part in scored.unmatched_candidate:
        parts.append(f"{_kind(part)}{part.text} not given")
    via = "".join(
        f" ({whose} {_how_written(form.system)})"
        for whose, form in (("listed name", scored.candidate_form), ("query", scored.query_form))
        if form.system != "latin"
    )
    return "; ".join(parts) + via


_KINDS = {"patronymic": "patronymic ", "title": "title ", "particle": "particle ",
          "number": "number ", "form": "legal form "}  # fmt: skip


def _kind(part: NamePart) -> str:
    """'patronymic ', 'title ', 'legal form ' ... before a part's text, or nothing."""
    return _KINDS.get(part.role, "")


def _how_written(system: str) -> str:
    """'romanized ru_bgn', or 'read as French transcription' for a Latin reading."""
    if system in READING_NAMES:
        return f"read as {READING_NAMES[system]}"
    return f"romanized {system}"


def compare_query(
    query: Query,
    entity: Entity,
    threshold: float = DEFAULT_THRESHOLD,
    candidate_forms: list[list[NameForm]] | None = None,
    query_forms: list[NameForm] | None = None,
) -> Comparison:
    """Score one entity for one query."""
    if not compatible_schemas(query.schema, entity.schema.name):
        reason = f"a {query.schema} is not a {entity.schema.name}"
        return Comparison(0.0, False, 0.0, entity.caption, reason=reason)
    forms_q = query_forms if query_forms is not None else query.name_forms()
    forms_c = (
        candidate_forms
        if candidate_forms is not None
        else [name_forms(n, name_kind(entity.schema.name)) for n in entity.names]
    )
    best = _best_alignment(forms_q, forms_c, entity.schema.is_a("Person"))
    if best is None:
        return Comparison(0.0, False, 0.0, entity.caption, reason="no comparable name")
    delta, notes = corroboration(query, entity)
    name_score = best[2].score
    score = min(1.0, max(0.0, name_score + delta))
    identifier = identifier_match(query, entity)
    if identifier:
        score = max(score, 0.99)
        notes.insert(0, f"{identifier} matches")
    return Comparison(
        round(score, 4),
        score >= threshold,
        round(name_score, 4),
        best[1].original,
        aligned=best,
        notes=tuple(notes),
        caption=entity.caption,
    )
