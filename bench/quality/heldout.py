"""Held-out screening evaluation: recall per class of name variation and false alerts,
on sources and variations kept apart from the matcher's tuning.

    python bench/quality/heldout.py [--per-class N] [--seed S] [--without-nomenklatura]
    python bench/quality/heldout.py --sanctio-only      # the quick mode: no logic-v2

evaluate.py's figures come from EU regimes, on which the matcher was tuned. Here:

- Sources: the OFAC SDN list of 2021 and the UN Security Council consolidated list,
  never the EU files. The index holds both lists whole (persons, organisations,
  vessels, aircraft).
- Positives (variations.py): a listed person's, organisation's or vessel's primary
  name, changed by one class of variation at a time; up to N cases per class and
  kind of entity. A case is found when the listed entity is among the screener's
  results (limit 10) with a score at or above the threshold.
- Negatives: (1) customer names made by ``faker`` in the locales of a European
  bank's customers (persons and companies, seeded); any alert is false, except on an
  entity listed under exactly the same name (same words, any order, case and
  punctuation aside): a homonym, counted apart. (2) A listed person's name with the
  first given name swapped for an unlike one; only an alert on that person (or the
  same person listed again) is false.
- Matchers: Sanctio at its DEFAULT_THRESHOLD, and nomenklatura's logic-v2 (what yente
  scores with) at yente's usual 0.7; and, to compare at equal false alerts, each at
  the lowest threshold at which at most 0.5% of the faker negatives alert. Logic-v2
  scores a positive against the listed entity directly (no retrieval: an upper
  bound), and a negative against the candidates rapidfuzz retrieves for it (see
  nomenklatura_matcher.py: a lower bound on its false alerts).
- Overall: recall over every positive case, false alerts over every negative, and F1
  with precision = found / (found + false alerts), the cases' own counts.

The table is printed as it is computed, then again as markdown for
docs/benchmarks.md. ``--dump PATH`` writes every case with each matcher's result
(JSON lines) to look at the misses.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctio.model import Entity
from sanctio.screening import DEFAULT_THRESHOLD, Query, QueryError, Screener

sys.path.insert(0, str(Path(__file__).parent))
import nomenklatura_matcher
import variations
from evaluate import same_person
from variations import KINDS, Case

MAX_FALSE_ALERTS = 0.005
#: yente's default threshold for logic-v2
LOGIC_V2_THRESHOLD = 0.7
#: Negatives are screened at this threshold: only scores above it can set one.
NEGATIVE_FLOOR = 0.5
LIMIT = 10
#: Customers' countries of a European bank: the EU's larger languages, its
#: neighbours' (UK, Ukraine, Russia, Turkey) and Arabic.
FAKER_LOCALES = [
    "en_GB", "en_IE", "de_DE", "de_AT", "fr_FR", "it_IT", "es_ES", "pt_PT", "nl_NL",
    "pl_PL", "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "bg_BG", "hr_HR", "el_GR", "sv_SE",
    "da_DK", "fi_FI", "lt_LT", "ru_RU", "uk_UA", "tr_TR", "ar_AA",
]  # fmt: skip
FAKER_PERSONS_SHARE = 0.75


@dataclass(frozen=True)
class Customer:
    """A faker negative."""

    name: str
    schema: str  # Person or Organization
    locale: str

    @property
    def kind(self) -> str:
        return "person" if self.schema == "Person" else "organisation"


def customer_names(count: int, seed: int) -> list[Customer]:
    """``count`` customer names, three in four persons, spread evenly over the locales."""
    import random

    from faker import Faker

    customers: list[Customer] = []
    seen: set[tuple[str, ...]] = set()
    for number, locale in enumerate(FAKER_LOCALES):
        share = count // len(FAKER_LOCALES) + (number < count % len(FAKER_LOCALES))
        fake = Faker(locale)
        fake.seed_instance(zlib.crc32(f"{seed}:{locale}".encode()))
        rng = random.Random(f"{seed}:{locale}")
        persons = round(share * FAKER_PERSONS_SHARE)
        for i in range(share):
            for _ in range(20):  # each name once (faker repeats a locale's short lists)
                if i >= persons:
                    customer = Customer(fake.company(), "Organization", locale)
                elif rng.random() < 0.5:
                    customer = Customer(fake.name(), "Person", locale)
                else:
                    name = f"{fake.first_name()} {fake.last_name()}"
                    customer = Customer(name, "Person", locale)
                if name_key(customer.name) not in seen:
                    break
            seen.add(name_key(customer.name))
            customers.append(customer)
    return customers


def name_key(name: str) -> tuple[str, ...]:
    """A name's words, in any order, case and punctuation aside (for homonyms)."""
    return tuple(sorted(re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())))


# --- matchers --------------------------------------------------------------------------


class SanctioMatcher:
    name = "sanctio"
    usual = DEFAULT_THRESHOLD

    def __init__(self, lists: dict[str, list[Entity]]) -> None:
        self.screener = Screener(threshold=0.0)
        for list_name, entities in lists.items():
            self.screener.add(entities, list_name)

    def _screen(self, query: str, schema: str, threshold: float, limit: int) -> list[Any]:
        try:
            return self.screener.screen(Query.make(query, schema=schema), threshold, limit=limit)
        except QueryError:
            return []  # a query the screener refuses finds nothing

    def found(self, cases: list[Case], threshold: float, by_id: dict[str, Entity]) -> list[bool]:
        return [
            any(
                m.entity.id == case.entity_id and m.score >= threshold
                for m in self._screen(case.query, case.schema, threshold, LIMIT)
            )
            for case in cases
        ]

    def best_other(self, query: str, schema: str, exclude: Callable[[Entity], bool]) -> float:
        matches = self._screen(query, schema, NEGATIVE_FLOOR, 2 * LIMIT)
        return max((m.score for m in matches if not exclude(m.entity)), default=0.0)


class SchemaLogicV2(nomenklatura_matcher.LogicV2Matcher):
    """LogicV2Matcher with queries of another schema than Person (organisations and
    vessels), and candidates of the schemas that one can match."""

    def __init__(self, lists: dict[str, list[Entity]], schema: str) -> None:
        self._schema_name = schema
        super().__init__(lists)

    def _person_can_match(self, entity: Entity) -> bool:
        query, listed = self._model.get(self._schema_name), self._model.get(entity.schema.name)
        return query is not None and listed is not None and query.can_match(listed)

    def _query(self, query: str) -> Any:
        data = {"schema": self._schema_name, "properties": {"name": [query]}}
        return self._model.get_proxy({**data, "id": nomenklatura_matcher._content_id(data)})


class LogicV2:
    name = "logic-v2"
    usual = LOGIC_V2_THRESHOLD

    def __init__(self, lists: dict[str, list[Entity]]) -> None:
        self.by_schema = {
            schema: SchemaLogicV2(lists, schema) for schema in variations.QUERY_SCHEMA.values()
        }
        self._scores: dict[tuple[str, str, str], float] = {}

    def score(self, case: Case, by_id: dict[str, Entity]) -> float:
        key = (case.query, case.schema, case.entity_id)
        if key not in self._scores:
            matcher = self.by_schema[case.schema]
            self._scores[key] = matcher.positive(case, by_id[case.entity_id])
        return self._scores[key]

    def found(self, cases: list[Case], threshold: float, by_id: dict[str, Entity]) -> list[bool]:
        return [self.score(case, by_id) >= threshold for case in cases]

    def best_other(self, query: str, schema: str, exclude: Callable[[Entity], bool]) -> float:
        return self.by_schema[schema].best_other(query, exclude)


# --- scoring -------------------------------------------------------------------------


@dataclass
class Result:
    """One matcher's results at its usual and its calibrated threshold."""

    name: str
    thresholds: dict[str, float]  # "usual", "calibrated"
    found: dict[str, list[bool]] = field(default_factory=dict)  # per positive case
    faker: list[float] = field(default_factory=list)  # best non-homonym score
    other_given: list[float] = field(default_factory=list)  # score of the person
    seconds: float = 0.0


def calibrate(scores: list[float], floor: float) -> float:
    """The lowest threshold (three decimals) at which at most MAX_FALSE_ALERTS of the
    scores reach it; 1.0 when even that lets more through."""
    ranked = sorted(scores, reverse=True)
    allowed = int(len(ranked) * MAX_FALSE_ALERTS)
    if allowed >= len(ranked):
        return floor
    above = (math.floor(round(ranked[allowed] * 1000, 6)) + 1) / 1000
    return min(max(above, floor), 1.0)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_matcher(
    matcher: Any,
    positives: list[Case],
    other_given: list[Case],
    customers: list[Customer],
    homonyms: dict[tuple[str, ...], set[str]],
    by_id: dict[str, Entity],
) -> Result:
    start = time.perf_counter()
    result = Result(matcher.name, {})
    for number, customer in enumerate(customers):
        same_name = homonyms.get(name_key(customer.name), set())
        result.faker.append(
            matcher.best_other(customer.name, customer.schema, lambda e, s=same_name: e.id in s)
        )
        if number % 500 == 499:
            progress(f"  {matcher.name}: {number + 1} faker negatives")
    usual = matcher.usual
    calibrated = calibrate(result.faker, NEGATIVE_FLOOR)
    result.thresholds = {"usual": usual, "calibrated": calibrated}
    for case in other_given:
        person = by_id[case.entity_id]
        score = matcher.best_other(
            case.query, case.schema, lambda e, p=person: not same_person(e, p)
        )
        result.other_given.append(score)
    progress(f"  {matcher.name}: negatives done, {time.perf_counter() - start:.0f} s")
    for label, threshold in result.thresholds.items():
        if label == "calibrated" and threshold == usual:
            result.found[label] = result.found["usual"]
        else:
            result.found[label] = matcher.found(positives, threshold, by_id)
        elapsed = time.perf_counter() - start
        progress(f"  {matcher.name}: positives at {threshold:.3f}, {elapsed:.0f} s")
    result.seconds = time.perf_counter() - start
    return result


# --- the table -----------------------------------------------------------------------


def _rate(values: Iterable[bool]) -> tuple[int, float]:
    values = list(values)
    return len(values), (sum(values) / len(values) if values else float("nan"))


def table(
    results: list[Result],
    positives: list[Case],
    customers: list[Customer],
    homonym_flags: list[bool],
) -> tuple[list[str], list[list[str]]]:
    """Header and rows: class rows, matcher-and-threshold columns."""
    columns = [(r, label) for r in results for label in ("usual", "calibrated")]
    header = ["class", "type", "n"] + [
        f"{r.name} @{r.thresholds[label]:.3f}" + (" (cal.)" if label == "calibrated" else "")
        for r, label in columns
    ]
    rows: list[list[str]] = []

    def row(name: str, kind: str, cells: list[tuple[int, float]]) -> None:
        n = cells[0][0] if cells else 0
        rows.append([name, kind, str(n)] + [f"{rate:.3f}" for _, rate in cells])

    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, case in enumerate(positives):
        groups[(case.kind, case.entity_type)].append(i)
    for kind_name in variations.CLASSES:
        for kind in KINDS:
            if (kind_name, kind) in groups:
                ids = groups[(kind_name, kind)]
                row(kind_name, kind, [_rate(r.found[lb][i] for i in ids) for r, lb in columns])
    for kind in KINDS:
        ids = [i for i, c in enumerate(positives) if c.entity_type == kind]
        row("recall, all classes", kind, [_rate(r.found[lb][i] for i in ids) for r, lb in columns])
    every = range(len(positives))
    row("RECALL", "all", [_rate(r.found[lb][i] for i in every) for r, lb in columns])
    counted = [i for i, flag in enumerate(homonym_flags) if not flag]
    for kind in ("person", "organisation"):
        ids = [i for i in counted if customers[i].kind == kind]
        cells = [_rate(r.faker[i] >= r.thresholds[lb] for i in ids) for r, lb in columns]
        row("false alerts: faker", kind, cells)
    cells = [_rate(s >= r.thresholds[lb] for s in r.other_given) for r, lb in columns]
    row("false alerts: other_given_name", "person", cells)
    homonym_row = ["homonyms (faker, not counted)", "", str(sum(homonym_flags))]
    rows.append(homonym_row + [""] * len(columns))
    f1_cells = []
    precision_cells = []
    false_cells = []
    for r, lb in columns:
        t = r.thresholds[lb]
        found = sum(r.found[lb])
        false = sum(r.faker[i] >= t for i in counted) + sum(s >= t for s in r.other_given)
        negatives = len(counted) + len(r.other_given)
        recall = found / len(positives)
        precision = found / (found + false) if found + false else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        false_cells.append((negatives, false / negatives))
        precision_cells.append((len(positives), precision))
        f1_cells.append((len(positives), f1))
    row("FALSE ALERTS", "all", false_cells)
    row("precision", "all", precision_cells)
    row("F1", "all", f1_cells)
    return header, rows


def print_plain(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def print_markdown(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-class", type=int, default=150, help="cases per class and kind")
    parser.add_argument("--seed", type=int, default=20211231)
    parser.add_argument("--faker", type=int, default=2000, help="faker negatives")
    parser.add_argument(
        "--without-nomenklatura", action="store_true", help="leave out logic-v2 (slow)"
    )
    parser.add_argument("--sanctio-only", action="store_true", help="quick mode: Sanctio alone")
    parser.add_argument("--examples", type=int, default=0, help="print K cases of each class")
    parser.add_argument("--dump", type=Path, help="write every case and result as JSON lines")
    args = parser.parse_args()
    wall = time.perf_counter()
    lists = variations.load_heldout()
    entities = [e for es in lists.values() for e in es]
    by_id = {e.id: e for e in entities}
    positives = variations.positive_cases(entities, args.per_class, args.seed)
    other_given = variations.other_given_name_cases(entities, args.per_class, args.seed)
    customers = customer_names(args.faker, args.seed)
    homonyms: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for entity in entities:
        for name in entity.names:
            homonyms[name_key(name)].add(entity.id)
    homonym_flags = [name_key(c.name) in homonyms for c in customers]
    progress(
        f"{len(positives)} positives, {len(other_given)} other_given_name, "
        f"{len(customers)} faker negatives ({sum(homonym_flags)} homonyms); "
        f"loaded in {time.perf_counter() - wall:.0f} s"
    )
    if args.examples:
        shown: dict[tuple[str, str], int] = defaultdict(int)
        for case in [*positives, *other_given]:
            if shown[(case.kind, case.entity_type)] < args.examples:
                shown[(case.kind, case.entity_type)] += 1
                query = ascii(case.query) if case.kind == "invisible" else repr(case.query)
                print(f"{case.kind:19} {by_id[case.entity_id].caption!r:45} -> {query}")
        for customer in customers[:: max(1, len(customers) // (3 * args.examples))]:
            print(f"faker {customer.locale:6} {customer.schema:12} {customer.name!r}")
    matchers: list[Callable[[dict[str, list[Entity]]], Any]] = [SanctioMatcher]
    if args.without_nomenklatura or args.sanctio_only:
        pass
    elif nomenklatura_matcher.available():
        matchers.append(LogicV2)
    else:
        progress("nomenklatura not installed (pip install -e '.[bench]'): logic-v2 left out")
    results = []
    for make in matchers:
        start = time.perf_counter()
        matcher = make(lists)
        progress(f"{matcher.name}: built in {time.perf_counter() - start:.0f} s")
        results.append(run_matcher(matcher, positives, other_given, customers, homonyms, by_id))
    header, rows = table(results, positives, customers, homonym_flags)
    seconds = time.perf_counter() - wall
    print()
    print_plain(header, rows)
    for r in results:
        print(
            f"{r.name}: usual threshold {r.thresholds['usual']:.3f}, calibrated "
            f"{r.thresholds['calibrated']:.3f} (<= {MAX_FALSE_ALERTS:.1%} of faker negatives), "
            f"{r.seconds:.0f} s"
        )
    print(f"wall time {seconds:.0f} s")
    if args.dump:
        with args.dump.open("w") as out:
            for i, case in enumerate(positives):
                found = {f"{r.name}@{lb}": r.found[lb][i] for r in results for lb in r.found}
                out.write(json.dumps({**case.__dict__, "found": found}, ensure_ascii=False) + "\n")
            for i, case in enumerate(other_given):
                scores = {r.name: r.other_given[i] for r in results}
                line = json.dumps({**case.__dict__, "scores": scores}, ensure_ascii=False)
                out.write(line + "\n")
            for i, customer in enumerate(customers):
                scores = {r.name: r.faker[i] for r in results}
                row = {"kind": "faker", **customer.__dict__, "homonym": homonym_flags[i]}
                out.write(json.dumps({**row, "scores": scores}, ensure_ascii=False) + "\n")
    print()
    print(
        f"Held-out sources OFAC SDN 2021 + UN consolidated; seed {args.seed}, up to "
        f"{args.per_class} cases per class and type, {len(customers)} faker negatives; "
        f"`python bench/quality/heldout.py`, {seconds:.0f} s."
    )
    print()
    print_markdown(header, rows)


if __name__ == "__main__":
    main()
