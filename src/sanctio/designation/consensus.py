"""How the Council of the EU decides on a sanctions package, from member states' positions.

Pure functions, no database: given each member state's position and the population
figures, say whether the package is adopted, blocked or still pending, and why, in
sentences that name the states involved.

Two voting rules apply to CFSP decisions such as sanctions (Art. 29 TEU):

- unanimity, the default (Art. 31(1) TEU), with constructive abstention;
- qualified majority, where Art. 31(2) TEU allows it (e.g. implementing decisions that
  add or remove listings), with the thresholds of Art. 16(4) TEU, or of Art. 238(2) TFEU
  when the Council does not act on a proposal of the Commission or the High Representative.

Population counts use ``data/member_states.csv`` (Eurostat, 1 January 2020; see
``data/SOURCE.md``); pass other figures to follow a later year's Annex III of the
Council's Rules of Procedure.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from sanctio.errors import InputError

BUNDLED_CSV = "sanctio/designation/data/member_states.csv"
"""How error messages name the bundled table, which has no path of its own in a wheel."""

HEADER = ("code", "name", "population")

_CODE = re.compile(r"[A-Z]{2}")
_POPULATION = re.compile(r"[0-9]+")


class Position(StrEnum):
    """What one member state has said about a package."""

    agree = "agree"
    abstain = "abstain"
    """Plain abstention: does not prevent unanimity (Art. 238(4) TFEU)."""
    constructive_abstention = "constructive_abstention"
    """Abstention with a formal declaration (Art. 31(1) TEU, second subparagraph): the
    state need not apply the decision but accepts that it commits the Union."""
    scrutiny_reserve = "scrutiny_reserve"
    """The state waits for its national parliament before it can take a position."""
    block = "block"
    """Under unanimity a veto; under qualified majority a vote against."""


class Rule(StrEnum):
    """Voting rule the Council applies to the package."""

    unanimity = "unanimity"
    """Art. 31(1) TEU: the default for CFSP decisions."""
    qualified_majority = "qualified_majority"
    """Art. 31(2) TEU, thresholds of Art. 16(4) TEU (or Art. 238(2) TFEU if reinforced)."""


class Outcome(StrEnum):
    """Where the package stands."""

    adopted = "adopted"
    blocked = "blocked"
    pending = "pending"


@dataclass(frozen=True)
class MemberState:
    """A member of the Council, with the population it counts for."""

    code: str
    name: str
    population: int


@dataclass(frozen=True)
class Decision:
    """The outcome, the reasons for it, and the counts behind it.

    ``population_share_for`` is a fraction (0 to 1) of the total population of ``states``
    held by the states counted for: those that agree, plus silent states when the
    written procedure's silence rule applies (``states_for`` counts them).
    """

    rule: Rule
    outcome: Outcome
    reasons: tuple[str, ...]
    agree: int
    abstain: int
    constructive_abstention: int
    reserve: int
    block: int
    missing: int
    states_for: int
    population_share_for: float

    def to_dict(self) -> dict[str, object]:
        data = {k: v for k, v in self.__dict__.items()}
        data["reasons"] = list(self.reasons)
        data["population_share_for"] = round(self.population_share_for, 4)
        return data


def load_member_states(path: Path | None = None) -> list[MemberState]:
    """The member states from the bundled table, or from a CSV with the same header.

    A user's file lets the Council's yearly population update be applied without a new
    release; any malformed row is refused with its line and column, because a wrong
    population silently changes qualified majority outcomes.
    """
    if path is None:
        return list(_bundled_member_states())
    try:
        content = path.read_text("utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, "expected UTF-8 text") from exc
    return _parse_member_states(content.removeprefix("\ufeff"), path)


@cache
def _bundled_member_states() -> tuple[MemberState, ...]:
    """Read once per process: every workflow (each API request builds one) uses it."""
    text = resources.files("sanctio.designation.data").joinpath("member_states.csv")
    content = text.read_text("utf-8").removeprefix("\ufeff")
    return tuple(_parse_member_states(content, BUNDLED_CSV))


def _parse_member_states(content: str, source: Path | str) -> list[MemberState]:
    """Rows of a ``code,name,population`` CSV as member states, checked one by one."""
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != HEADER:
        found = ",".join(header) if header else "nothing"
        raise InputError(source, f"expected the header {','.join(HEADER)}, found {found}", 1)
    states: list[MemberState] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            raise InputError(
                source,
                f"expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(row)}",
                line,
            )
        code, name, population = (cell.strip() for cell in row)
        if not _CODE.fullmatch(code):
            raise InputError(
                source,
                f"expected an ISO 3166-1 alpha-2 code in capitals (e.g. DE), found {code!r}",
                line,
                "code",
            )
        if code in seen:
            raise InputError(source, f"{code} already given on line {seen[code]}", line, "code")
        if not name:
            raise InputError(source, "expected the state's name, found nothing", line, "name")
        if not _POPULATION.fullmatch(population) or int(population) == 0:
            raise InputError(
                source,
                f"expected a positive whole number of inhabitants, found {population!r}",
                line,
                "population",
            )
        seen[code] = line
        states.append(MemberState(code, name, int(population)))
    if not states:
        raise InputError(source, "expected at least one member state, found none")
    return states


def decide(
    positions: Mapping[str, Position | None],
    states: Sequence[MemberState],
    rule: Rule = Rule.unanimity,
    *,
    deadline_passed: bool = False,
    silence_is_agreement: bool = False,
    reinforced: bool = False,
) -> Decision:
    """Whether the Council adopts a package, given each member state's position.

    A state absent from ``positions`` or mapped to None has given no position yet.
    ``deadline_passed`` and ``silence_is_agreement`` describe a written procedure: once
    its deadline passes, silence counts as agreement only if the procedure said so.
    ``reinforced`` applies only to qualified majority: the Council is not acting on a
    proposal of the Commission or the High Representative (Art. 238(2) TFEU).

    Raises ValueError for a code in ``positions`` that is not one of ``states``.
    """
    rule = Rule(rule)  # a plain string from storage must not fall through to QMV
    by_code = _index(states)
    unknown = sorted(code for code in positions if code not in by_code)
    if unknown:
        raise ValueError(f"not a member state in the table: {', '.join(unknown)}")
    groups: dict[Position | None, list[str]] = {p: [] for p in (*Position, None)}
    for code in sorted(by_code):
        value = positions.get(code)
        groups[None if value is None else Position(value)].append(code)
    silence = deadline_passed and silence_is_agreement
    tally = _Tally(by_code, groups, silence)
    if rule is Rule.unanimity:
        outcome, reasons = _unanimity(tally, deadline_passed)
    else:
        outcome, reasons = _qualified_majority(tally, deadline_passed, reinforced)
    return Decision(
        rule=rule,
        outcome=outcome,
        reasons=tuple(reasons),
        agree=len(groups[Position.agree]),
        abstain=len(groups[Position.abstain]),
        constructive_abstention=len(groups[Position.constructive_abstention]),
        reserve=len(groups[Position.scrutiny_reserve]),
        block=len(groups[Position.block]),
        missing=len(groups[None]),
        states_for=len(tally.for_),
        population_share_for=tally.share(tally.for_),
    )


def _index(states: Sequence[MemberState]) -> dict[str, MemberState]:
    """States by code, refusing an empty or repeated table: counts would be meaningless."""
    if not states:
        raise ValueError("no member states to count positions against")
    by_code: dict[str, MemberState] = {}
    for state in states:
        if state.code in by_code:
            raise ValueError(f"member state {state.code} appears twice")
        by_code[state.code] = state
    return by_code


@dataclass(frozen=True)
class _Tally:
    """Positions grouped by state code (sorted), with the population arithmetic."""

    states: Mapping[str, MemberState]
    groups: Mapping[Position | None, list[str]]
    silence: bool

    @property
    def total(self) -> int:
        return sum(state.population for state in self.states.values())

    @property
    def silent(self) -> list[str]:
        """States whose missing position counts as agreement."""
        return self.groups[None] if self.silence else []

    @property
    def for_(self) -> list[str]:
        return sorted(self.groups[Position.agree] + self.silent)

    def population(self, codes: Sequence[str]) -> int:
        return sum(self.states[code].population for code in codes)

    def share(self, codes: Sequence[str]) -> float:
        return self.population(codes) / self.total

    def percent(self, codes: Sequence[str]) -> str:
        return f"{100 * self.share(codes):.1f}%"


def _names(codes: Sequence[str]) -> str:
    return ", ".join(codes)


def _states(count: int) -> str:
    return f"{count} state" if count == 1 else f"{count} states"


def _unanimity(tally: _Tally, deadline_passed: bool) -> tuple[Outcome, list[str]]:
    """Art. 31(1) TEU: adopted when no state blocks, none is still to answer, and
    constructive abstentions stay below one third of the states or of the population."""
    groups = tally.groups
    blocked: list[str] = []
    pending: list[str] = []
    notes: list[str] = []

    if groups[Position.block]:
        blocked.append(f"blocked by {_names(groups[Position.block])}")

    constructive = groups[Position.constructive_abstention]
    if constructive:
        n, share = len(constructive), tally.percent(constructive)
        reach_states = 3 * n >= len(tally.states)
        reach_population = 3 * tally.population(constructive) >= tally.total
        described = f"constructive abstentions by {_states(n)} ({share} of population)"
        if reach_states and reach_population:
            blocked.append(
                f"{described} reach one third of states and of population (Art. 31(1) TEU): "
                f"{_names(constructive)}"
            )
        else:
            below = " and of ".join(
                label
                for label, reached in (("states", reach_states), ("population", reach_population))
                if not reached
            )
            notes.append(
                f"{described} stay below one third of {below}: {_names(constructive)} "
                "need not apply the decision (Art. 31(1) TEU)"
            )

    missing = groups[None]
    if missing:
        if tally.silence:
            notes.append(
                f"silence counted as agreement after the written procedure's deadline: "
                f"{_names(missing)}"
            )
        elif deadline_passed:
            blocked.append(f"written procedure failed: no position from {_names(missing)}")
        else:
            pending.append(f"no position yet from {_states(len(missing))}: {_names(missing)}")

    if groups[Position.scrutiny_reserve]:
        pending.append(f"scrutiny reserve held by {_names(groups[Position.scrutiny_reserve])}")

    if groups[Position.abstain]:
        notes.append(
            f"abstentions by {_names(groups[Position.abstain])} do not prevent unanimity "
            "(Art. 238(4) TFEU)"
        )

    if blocked:
        return Outcome.blocked, [*blocked, *pending, *notes]
    if pending:
        return Outcome.pending, [*pending, *notes]
    agreed = f"adopted unanimously: {len(tally.for_)} of {len(tally.states)} states agree"
    if tally.silent:
        agreed += f" ({_names(tally.silent)} by silence)"
    return Outcome.adopted, [agreed, *notes]


def _qualified_majority(
    tally: _Tally, deadline_passed: bool, reinforced: bool
) -> tuple[Outcome, list[str]]:
    """Art. 31(2) TEU with the thresholds of Art. 16(4) TEU or Art. 238(2) TFEU.

    States not counted for (against, abstaining, silent without the silence rule) all
    count against the thresholds, as abstention does under qualified majority. States
    whose position can still change (no position before the deadline, or a scrutiny
    reserve) make the result pending only if their choice could change it.
    """
    groups = tally.groups
    undecided = sorted(
        groups[Position.scrutiny_reserve] + ([] if deadline_passed else groups[None])
    )
    for_now = tally.for_
    if_all_agree = sorted(for_now + undecided)
    met_now, detail = _qualified(tally, for_now, reinforced)
    met_at_best, _ = _qualified(tally, if_all_agree, reinforced)

    reasons = [detail]
    if groups[Position.block]:
        reasons.append(f"voted against: {_names(groups[Position.block])}")
    not_for = groups[Position.abstain] + groups[Position.constructive_abstention]
    if not_for:
        reasons.append(f"abstentions, which count as not for: {_names(sorted(not_for))}")
    if tally.silent:
        reasons.append(
            f"silence counted as agreement after the written procedure's deadline: "
            f"{_names(tally.silent)}"
        )
    elif deadline_passed and groups[None]:
        reasons.append(f"no position by the deadline, counted as not for: {_names(groups[None])}")

    waiting: list[str] = []
    if groups[Position.scrutiny_reserve]:
        waiting.append(f"scrutiny reserve held by {_names(groups[Position.scrutiny_reserve])}")
    if not deadline_passed and groups[None]:
        waiting.append(f"no position yet from {_states(len(groups[None]))}: {_names(groups[None])}")

    if met_at_best and not met_now:
        return Outcome.pending, [*waiting, *reasons]
    settled = [f"{reason}, which cannot change the result" for reason in waiting]
    return (Outcome.adopted if met_now else Outcome.blocked), [*reasons, *settled]


def _qualified(tally: _Tally, for_: Sequence[str], reinforced: bool) -> tuple[bool, str]:
    """Whether the states in ``for_`` form a qualified majority, and a sentence saying why.

    Standard (Art. 16(4) TEU): at least 55% of the members, at least fifteen of them
    when there are that many, comprising at least 65% of the population; a blocking
    minority needs at least four members, failing which the majority is deemed attained.
    Reinforced (Art. 238(2) TFEU): at least 72% of the members and 65% of the
    population, with no four-member clause.
    """
    n = len(tally.states)
    percent = 72 if reinforced else 55
    needed = -(-percent * n // 100)  # ceiling, in whole numbers to avoid rounding
    if not reinforced and n >= 15:
        needed = max(needed, 15)
    states_met = len(for_) >= needed
    population_met = 100 * tally.population(for_) >= 65 * tally.total
    article = "Art. 238(2) TFEU" if reinforced else "Art. 16(4) TEU"
    counts = (
        f"{len(for_)} of {n} states for (at least {needed} needed, {percent}%), "
        f"holding {tally.percent(for_)} of population (at least 65% needed; {article})"
    )
    if states_met and population_met:
        return True, f"qualified majority reached: {counts}"
    minority = sorted(set(tally.states) - set(for_))
    if not reinforced and states_met and len(minority) < 4:
        return True, (
            f"qualified majority deemed attained: {counts}, but the states not for "
            f"({_names(minority)}) are fewer than the four a blocking minority must "
            "include (Art. 16(4) TEU)"
        )
    return False, f"no qualified majority: {counts}"
