"""Recall and false alerts per kind of name variation, on the real EU lists.

    python bench/quality/evaluate.py [--limit-per-class N]

For every labelled case (see cases.py) it records the score the listed person gets
(positives) or the best score any other entity gets (negatives), for Sanctio's
matcher and for a plain rapidfuzz token-set baseline. Each matcher's threshold is
set on the TUNE regimes (the lowest score at which at most 0.5% of their negatives
alert) and recall and false alerts are reported on the REPORT regimes.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from sanctio.model import Entity
from sanctio.names import normalize
from sanctio.screening import DEFAULT_THRESHOLD, Query, Screener

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
import nomenklatura_matcher
from cases import NEGATIVE_CLASSES, POSITIVE_CLASSES, Case, build_cases, load_entities

MAX_FALSE_ALERTS = 0.005
SCORED: dict[str, list[Scored]] = {}


@dataclass
class Scored:
    case: Case
    score: float


def _word_sets(entity: Entity) -> set[frozenset[str]]:
    return {frozenset(normalize(re.sub(r"\(.*?\)", " ", n)).split()) for n in entity.names}


def same_person(a: Entity, b: Entity) -> bool:
    """The same person listed twice (in two regimes, or twice in one): a shared
    spelling in any word order, or a shared birth date and a shared name word."""
    if a.id == b.id or _word_sets(a) & _word_sets(b):
        return True
    shared_birth = set(a.get("birthDate")) & set(b.get("birthDate"))
    words_a = {w for ws in _word_sets(a) for w in ws if len(w) > 3}
    words_b = {w for ws in _word_sets(b) for w in ws if len(w) > 3}
    return bool(shared_birth and words_a & words_b)


def restricted(entity: Entity, names: tuple[str, ...]) -> Entity:
    copy = Entity.from_dict(entity.to_dict())
    for prop in ("name", "alias", "weakAlias", "previousName"):
        copy.properties.pop(prop, None)
    copy.add("name", names[0])
    copy.add("alias", list(names[1:]))
    return copy


class SanctioMatcher:
    """Sanctio's screener, end to end: candidate generation, ranking and scoring.

    A positive case is screened against every listed entity, each restricted the way
    the case restricts its person (only the primary name, only the Latin names, or
    only the Cyrillic ones), and counts with the score the person gets among the
    results (0 when it is not among them).
    """

    name = "sanctio"
    #: Positives are screened at the default threshold, as users screen: candidates
    #: that cannot reach it are not scored, so figures read at lower thresholds (the
    #: curve below the table) are lower bounds.
    FLOOR = DEFAULT_THRESHOLD

    def __init__(self, regimes: dict[str, list[Entity]]) -> None:
        self.regimes = regimes
        self.screener = Screener(threshold=0.0)
        for celex, entities in regimes.items():
            self.screener.add(entities, celex)
        self._restricted: dict[str, Screener] = {}

    def _screener(self, restriction: str) -> Screener:
        if restriction not in self._restricted:
            screener = Screener(threshold=0.0)
            for celex, entities in self.regimes.items():
                kept = []
                for entity in entities:
                    names = restrict_names(entity, restriction)
                    if names:
                        kept.append(restricted(entity, names))
                screener.add(kept, celex)
            self._restricted[restriction] = screener
        return self._restricted[restriction]

    def positive(self, case: Case) -> float:
        screener = self._screener(RESTRICTION.get(case.kind, "primary"))
        matches = screener.screen(Query.make(case.query), self.FLOOR, limit=10)
        return next((m.score for m in matches if m.entity.id == case.entity_id), 0.0)

    def best_other(self, query: str, exclude: Callable[[Entity], bool]) -> float:
        matches = self.screener.screen(Query.make(query), 0.0, limit=20)
        return max((m.score for m in matches if not exclude(m.entity)), default=0.0)


#: Which names of every entity the index keeps for a positive case of each class.
RESTRICTION = {"cyrillic_to_latin": "latin", "latin_to_cyrillic": "cyrillic"}


def restrict_names(entity: Entity, restriction: str) -> tuple[str, ...]:
    """The names an entity keeps under a restriction (see ``cases.person_cases``)."""
    if restriction == "primary":
        return (entity.caption,)
    cyrillic = restriction == "cyrillic"
    return tuple(n for n in entity.names if bool(re.search(r"[\u0400-\u04ff]", n)) == cyrillic)


class TokenSetBaseline:
    """rapidfuzz token_set_ratio over every name, brute force: the usual quick matcher."""

    name = "rapidfuzz token_set"

    def __init__(self, regimes: dict[str, list[Entity]]) -> None:
        self.names: list[str] = []
        self.owners: list[Entity] = []
        for entities in regimes.values():
            for entity in entities:
                for name in entity.names:
                    self.names.append(utils.default_process(name))
                    self.owners.append(entity)

    def positive(self, case: Case, entity: Entity) -> float:
        q = utils.default_process(case.query)
        return max(fuzz.token_set_ratio(q, utils.default_process(n)) for n in entity.names) / 100

    def best_other(self, query: str, exclude: Callable[[Entity], bool]) -> float:
        q = utils.default_process(query)
        for _, score, i in process.extract(q, self.names, scorer=fuzz.token_set_ratio, limit=50):
            if not exclude(self.owners[i]):
                return score / 100
        return 0.0


def score_cases(matcher: object, cases: list[Case], by_id: dict[str, Entity]) -> list[Scored]:
    scored = []
    for case in cases:
        person = by_id[case.entity_id]
        if case.kind in POSITIVE_CLASSES and isinstance(matcher, SanctioMatcher):
            scored.append(Scored(case, matcher.positive(case)))
        elif case.kind in POSITIVE_CLASSES:
            entity = restricted(person, case.indexed_names) if case.indexed_names else person
            scored.append(Scored(case, matcher.positive(case, entity)))  # type: ignore[attr-defined]
        elif case.kind == "other_persons":
            # a different person listed under exactly the same name is a homonym, which
            # no name matcher can or should tell apart: not counted as a false alert
            query = normalize(case.query)

            def excluded(e: Entity, p: Entity = person, q: str = query) -> bool:
                return same_person(e, p) or any(normalize(n) == q for n in e.names)

            scored.append(Scored(case, matcher.best_other(case.query, excluded)))  # type: ignore[attr-defined]
        else:  # other_given_name: only an alert on the person counts
            score = matcher.best_other(case.query, lambda e, p=person: not same_person(e, p))  # type: ignore[attr-defined]
            scored.append(Scored(case, score))
    return scored


def calibrate(scored: list[Scored]) -> float:
    negatives = sorted((s.score for s in scored if s.case.kind in NEGATIVE_CLASSES), reverse=True)
    allowed = int(len(negatives) * MAX_FALSE_ALERTS)
    threshold = round(negatives[allowed] + 0.005, 3) if len(negatives) > allowed else 0.5
    return min(threshold, 1.0)  # a matcher that cannot get there is shown at 1.0


def report(name: str, scored: list[Scored], threshold: float) -> dict[str, tuple[int, float]]:
    by_class: dict[str, list[float]] = defaultdict(list)
    for s in scored:
        by_class[s.case.kind].append(s.score)
    rows = {}
    for kind in [*POSITIVE_CLASSES, *NEGATIVE_CLASSES]:
        values = by_class.get(kind, [])
        if values:
            rows[kind] = (len(values), sum(v >= threshold for v in values) / len(values))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit-per-class", type=int, default=0)
    parser.add_argument(
        "--without-nomenklatura",
        action="store_true",
        help="leave out nomenklatura's logic-v2 (slow: about 7 minutes more)",
    )
    args = parser.parse_args()
    regimes = load_entities()
    by_id = {e.id: e for es in regimes.values() for e in es}
    cases = build_cases(regimes)
    if args.limit_per_class:
        seen: dict[tuple[str, str], int] = defaultdict(int)
        kept = []
        for c in cases:
            if seen[(c.kind, c.split)] < args.limit_per_class:
                seen[(c.kind, c.split)] += 1
                kept.append(c)
        cases = kept
    results = {}
    matchers: list[type] = [SanctioMatcher, TokenSetBaseline]
    if args.without_nomenklatura:
        pass
    elif nomenklatura_matcher.available():
        matchers.append(nomenklatura_matcher.LogicV2Matcher)
    else:
        print("nomenklatura not installed (pip install -e '.[bench]'): logic-v2 left out")
    for matcher_class in matchers:
        start = time.perf_counter()
        matcher = matcher_class(regimes)
        scored = score_cases(matcher, cases, by_id)
        SCORED[matcher.name] = scored
        threshold = calibrate([s for s in scored if s.case.split == "tune"])
        reported = report(matcher.name, [s for s in scored if s.case.split == "report"], threshold)
        tuned = report(matcher.name, [s for s in scored if s.case.split == "tune"], threshold)
        results[matcher.name] = (threshold, reported, tuned, time.perf_counter() - start)
    print(f"{len(cases)} cases; thresholds set on the tune regimes; figures on the report regimes")
    names = list(results)
    print(f"{'class':24} {'n':>5}  " + "  ".join(f"{n:>22}" for n in names))
    first = results[names[0]][1]
    for kind, (n, _) in first.items():
        label = "false alerts" if kind in NEGATIVE_CLASSES else "recall"
        cells = "  ".join(f"{results[m][1][kind][1]:>15.3f} {label[:6]:>6}" for m in names)
        print(f"{kind:24} {n:>5}  {cells}")
    for m in names:
        threshold, reported, _, seconds = results[m]
        positives = [(n, r) for k, (n, r) in reported.items() if k in POSITIVE_CLASSES]
        negatives = [(n, r) for k, (n, r) in reported.items() if k in NEGATIVE_CLASSES]
        overall = sum(n * r for n, r in positives) / sum(n for n, _ in positives)
        false = sum(n * r for n, r in negatives) / sum(n for n, _ in negatives)
        print(
            f"{m}: threshold {threshold:.3f} (set on tune), report recall {overall:.3f}, "
            f"false alerts {false:.3f}, {seconds:.0f} s"
        )
    print("report recall / false alerts at other thresholds:")
    for m in names:
        curve = []
        for t in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
            rows = report(m, [s for s in SCORED[m] if s.case.split == "report"], t)
            pos = [(n, r) for k, (n, r) in rows.items() if k in POSITIVE_CLASSES]
            neg = [(n, r) for k, (n, r) in rows.items() if k in NEGATIVE_CLASSES]
            rec = sum(n * r for n, r in pos) / sum(n for n, _ in pos)
            fal = sum(n * r for n, r in neg) / sum(n for n, _ in neg)
            curve.append(f"{t:.2f}: {rec:.3f}/{fal:.3f}")
        print(f"  {m:22} " + "  ".join(curve))


if __name__ == "__main__":
    main()
