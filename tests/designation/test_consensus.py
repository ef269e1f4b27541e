"""The Council's decision rules: unanimity with constructive abstention, qualified majority."""

from __future__ import annotations

from pathlib import Path
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.designation.consensus import (
    MemberState,
    Outcome,
    Position,
    Rule,
    decide,
    load_member_states,
)
from sanctio.errors import InputError

STATES = load_member_states()
CODES = [state.code for state in STATES]
BY_SIZE = [state.code for state in sorted(STATES, key=lambda s: -s.population)]
"""Codes from the most to the least populous."""
SMALLEST_NINE = BY_SIZE[-9:]


def profile(
    default: Position | None = Position.agree, **others: Position | None
) -> dict[str, Position | None]:
    """Every state at ``default`` except those named."""
    positions = dict.fromkeys(CODES, default)
    positions.update(others)
    return positions


def with_(codes: list[str], position: Position, rest: Position) -> dict[str, Position | None]:
    return {code: position if code in codes else rest for code in CODES}


# The bundled table


def test_bundled_table_has_the_27_member_states() -> None:
    assert len(STATES) == 27
    assert len(set(CODES)) == 27
    assert "GR" in CODES
    assert "EL" not in CODES
    assert 440_000_000 < sum(state.population for state in STATES) < 455_000_000


def test_bundled_table_holds_eurostat_figures() -> None:
    by_code = {state.code: state for state in STATES}
    assert by_code["DE"] == MemberState("DE", "Germany", 83_166_711)
    assert by_code["MT"].population == 514_564


def test_a_users_table_with_the_same_header_loads(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_text("code,name,population\nAA,Alpha,10\nBB,Beta,20\n", "utf-8")
    assert load_member_states(path) == [
        MemberState("AA", "Alpha", 10),
        MemberState("BB", "Beta", 20),
    ]


def test_a_bad_population_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_text("code,name,population\nDE,Germany,83166711\nFR,France,lots\n", "utf-8")
    with pytest.raises(InputError) as caught:
        load_member_states(path)
    assert caught.value.line == 3
    assert caught.value.column == "population"
    message = str(caught.value)
    assert "line 3" in message
    assert "column population" in message
    assert "'lots'" in message
    assert "whole number" in message


def test_a_repeated_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    path.write_text("code,name,population\nDE,Germany,1\nDE,Deutschland,2\n", "utf-8")
    with pytest.raises(InputError, match=r"line 3, column code: DE already given on line 2"):
        load_member_states(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("state,name,population\n", r"line 1: expected the header code,name,population"),
        ("code,name,population\nde,Germany,1\n", r"line 2, column code: .*'de'"),
        ("code,name,population\nDE,,1\n", r"line 2, column name"),
        ("code,name,population\nDE,Germany\n", r"line 2: expected 3 fields"),
        ("code,name,population\nDE,Germany,0\n", r"line 2, column population"),
        ("code,name,population\n", r"at least one member state"),
    ],
)
def test_malformed_tables_say_what_was_expected(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "states.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match=expected):
        load_member_states(path)


# Unanimity (Art. 31(1) TEU)


def test_all_agree_is_adopted() -> None:
    decision = decide(profile(), STATES)
    assert decision.outcome is Outcome.adopted
    assert decision.agree == 27
    assert decision.states_for == 27
    assert decision.population_share_for == pytest.approx(1.0)


def test_one_block_blocks_and_names_the_state() -> None:
    decision = decide(profile(CY=Position.block), STATES)
    assert decision.outcome is Outcome.blocked
    assert decision.block == 1
    assert "blocked by CY" in decision.reasons


def test_a_scrutiny_reserve_keeps_it_pending() -> None:
    decision = decide(profile(HU=Position.scrutiny_reserve), STATES)
    assert decision.outcome is Outcome.pending
    assert decision.reserve == 1
    assert "scrutiny reserve held by HU" in decision.reasons


def test_plain_abstentions_do_not_prevent_unanimity() -> None:
    decision = decide(profile(HU=Position.abstain, SK=Position.abstain), STATES)
    assert decision.outcome is Outcome.adopted
    assert decision.abstain == 2
    assert any("HU, SK" in reason and "238(4)" in reason for reason in decision.reasons)


def test_a_missing_position_keeps_it_pending() -> None:
    positions = profile(HU=None)
    del positions["SK"]
    decision = decide(positions, STATES)
    assert decision.outcome is Outcome.pending
    assert decision.missing == 2
    assert "no position yet from 2 states: HU, SK" in decision.reasons


def test_silence_after_the_deadline_counts_as_agreement() -> None:
    decision = decide(profile(HU=None), STATES, deadline_passed=True, silence_is_agreement=True)
    assert decision.outcome is Outcome.adopted
    assert decision.agree == 26
    assert decision.missing == 1
    assert decision.states_for == 27


def test_silence_before_the_deadline_is_not_agreement() -> None:
    decision = decide(profile(HU=None), STATES, silence_is_agreement=True)
    assert decision.outcome is Outcome.pending


def test_without_the_silence_rule_a_missing_position_fails_the_written_procedure() -> None:
    decision = decide(profile(HU=None), STATES, deadline_passed=True)
    assert decision.outcome is Outcome.blocked
    assert "written procedure failed: no position from HU" in decision.reasons


def test_a_block_outweighs_a_reserve() -> None:
    decision = decide(profile(CY=Position.block, HU=Position.scrutiny_reserve), STATES)
    assert decision.outcome is Outcome.blocked
    assert decision.reasons[0] == "blocked by CY"
    assert "scrutiny reserve held by HU" in decision.reasons


def test_constructive_abstention_by_nine_small_states_is_adopted() -> None:
    positions = with_(SMALLEST_NINE, Position.constructive_abstention, Position.agree)
    decision = decide(positions, STATES)
    assert decision.outcome is Outcome.adopted
    assert decision.constructive_abstention == 9
    assert any("below one third of population" in reason for reason in decision.reasons)


def test_constructive_abstention_by_a_third_of_states_and_population_blocks() -> None:
    abstaining = ["DE", "FR", "IT", *BY_SIZE[-6:]]
    positions = with_(abstaining, Position.constructive_abstention, Position.agree)
    decision = decide(positions, STATES)
    assert decision.outcome is Outcome.blocked
    [reason] = [r for r in decision.reasons if "constructive" in r]
    assert reason.startswith("constructive abstentions by 9 states (")
    assert "reach one third of states and of population (Art. 31(1) TEU)" in reason
    assert "DE" in reason
    assert "MT" in reason


def test_constructive_abstention_by_large_states_under_a_third_of_states_is_adopted() -> None:
    positions = with_(BY_SIZE[:8], Position.constructive_abstention, Position.agree)
    decision = decide(positions, STATES)
    assert decision.outcome is Outcome.adopted
    assert any("below one third of states" in reason for reason in decision.reasons)


def test_an_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError, match="XX"):
        decide({**profile(), "XX": Position.agree}, STATES)


# Qualified majority (Art. 31(2), 16(4) TEU; Art. 238(2) TFEU)


def test_qmv_fifteen_large_states_are_a_qualified_majority() -> None:
    positions = with_(BY_SIZE[:15], Position.agree, Position.block)
    decision = decide(positions, STATES, Rule.qualified_majority)
    assert decision.outcome is Outcome.adopted
    assert decision.states_for == 15
    assert decision.population_share_for >= 0.65


def test_qmv_fourteen_states_are_not_enough_whatever_their_population() -> None:
    positions = with_(BY_SIZE[:14], Position.agree, Position.block)
    decision = decide(positions, STATES, Rule.qualified_majority)
    assert decision.outcome is Outcome.blocked
    assert decision.population_share_for >= 0.65


def test_qmv_fifteen_smallest_states_are_not_a_qualified_majority() -> None:
    positions = with_(BY_SIZE[-15:], Position.agree, Position.block)
    decision = decide(positions, STATES, Rule.qualified_majority)
    assert decision.outcome is Outcome.blocked
    assert decision.population_share_for < 0.65
    assert decision.reasons[0].startswith("no qualified majority: 15 of 27 states for")


def test_qmv_three_large_states_against_are_no_blocking_minority() -> None:
    positions = profile(DE=Position.block, FR=Position.block, IT=Position.block)
    decision = decide(positions, STATES, Rule.qualified_majority)
    assert decision.population_share_for < 0.65
    assert decision.outcome is Outcome.adopted
    assert "deemed attained" in decision.reasons[0]
    assert "DE, FR, IT" in decision.reasons[0]
    assert "voted against: DE, FR, IT" in decision.reasons


def test_qmv_four_states_against_form_a_blocking_minority() -> None:
    positions = profile(DE=Position.block, FR=Position.block, IT=Position.block, MT=Position.block)
    decision = decide(positions, STATES, Rule.qualified_majority)
    assert decision.outcome is Outcome.blocked


def test_qmv_an_abstention_joins_the_blocking_minority() -> None:
    # Abstaining counts as not for under QMV, so it makes the fourth member.
    positions = profile(
        DE=Position.block, FR=Position.block, IT=Position.block, MT=Position.abstain
    )
    decision = decide(positions, STATES, Rule.qualified_majority)
    assert decision.outcome is Outcome.blocked


def test_qmv_reinforced_needs_twenty_states() -> None:
    nineteen = with_(BY_SIZE[:19], Position.agree, Position.block)
    twenty = with_(BY_SIZE[:20], Position.agree, Position.block)
    qmv = Rule.qualified_majority
    assert decide(nineteen, STATES, qmv).outcome is Outcome.adopted
    assert decide(nineteen, STATES, qmv, reinforced=True).outcome is Outcome.blocked
    decision = decide(twenty, STATES, qmv, reinforced=True)
    assert decision.outcome is Outcome.adopted
    assert "at least 20 needed, 72%" in decision.reasons[0]


def test_qmv_reinforced_has_no_four_member_clause() -> None:
    positions = profile(DE=Position.block, FR=Position.block, IT=Position.block)
    decision = decide(positions, STATES, Rule.qualified_majority, reinforced=True)
    assert decision.outcome is Outcome.blocked


def test_qmv_missing_positions_that_could_change_the_result_keep_it_pending() -> None:
    positions = with_(BY_SIZE[:14], Position.agree, Position.block)
    positions[BY_SIZE[14]] = None
    decision = decide(positions, STATES, Rule.qualified_majority)
    assert decision.outcome is Outcome.pending
    assert any(reason.startswith("no position yet from 1 state") for reason in decision.reasons)


def test_qmv_missing_positions_that_cannot_change_the_result_do_not_wait() -> None:
    positions = with_(BY_SIZE[:20], Position.agree, Position.block)
    positions["MT"] = None
    positions["LU"] = Position.scrutiny_reserve
    assert decide(positions, STATES, Rule.qualified_majority).outcome is Outcome.adopted
    positions = with_(BY_SIZE[-10:], Position.agree, Position.block)
    positions["DE"] = None
    assert decide(positions, STATES, Rule.qualified_majority).outcome is Outcome.blocked


def test_qmv_silence_after_the_deadline_counts_for() -> None:
    positions = with_(BY_SIZE[:14], Position.agree, Position.block)
    positions[BY_SIZE[14]] = None
    qmv = Rule.qualified_majority
    silent = decide(positions, STATES, qmv, deadline_passed=True, silence_is_agreement=True)
    assert silent.outcome is Outcome.adopted
    assert decide(positions, STATES, qmv, deadline_passed=True).outcome is Outcome.blocked


# Properties

_ANY_POSITION = st.sampled_from([*Position, None])
_RANDOM_PROFILES = st.lists(_ANY_POSITION, min_size=len(CODES), max_size=len(CODES)).map(
    lambda values: dict(zip(CODES, values, strict=True))
)
_NEAR_CONSENSUS = st.dictionaries(st.sampled_from(CODES), _ANY_POSITION, max_size=10).map(
    lambda changes: {**profile(), **changes}
)
PROFILES = st.one_of(_RANDOM_PROFILES, _NEAR_CONSENSUS)
"""Any mix of positions, and near-consensus ones, where adoption is often at stake."""
FLAGS = st.booleans()


@given(PROFILES, st.sampled_from(CODES), FLAGS, FLAGS)
def test_adding_a_block_never_adopts_under_unanimity(
    positions: dict[str, Position | None], code: str, deadline: bool, silence: bool
) -> None:
    positions[code] = Position.block
    decision = decide(positions, STATES, deadline_passed=deadline, silence_is_agreement=silence)
    assert decision.outcome is Outcome.blocked
    assert any(reason.startswith("blocked by") and code in reason for reason in decision.reasons)


@given(st.sampled_from(list(Rule)), FLAGS, FLAGS, FLAGS)
def test_everyone_agreeing_is_adopted(
    rule: Rule, deadline: bool, silence: bool, reinforced: bool
) -> None:
    decision = decide(
        profile(),
        STATES,
        rule,
        deadline_passed=deadline,
        silence_is_agreement=silence,
        reinforced=reinforced,
    )
    assert decision.outcome is Outcome.adopted


@given(PROFILES, FLAGS, FLAGS)
def test_unanimity_adopted_means_every_state_answered_or_silence_counted(
    positions: dict[str, Position | None], deadline: bool, silence: bool
) -> None:
    decision = decide(positions, STATES, deadline_passed=deadline, silence_is_agreement=silence)
    if decision.outcome is Outcome.adopted:
        assert decision.missing == 0 or (deadline and silence)
        assert decision.block == 0
        assert decision.reserve == 0


@given(PROFILES, st.randoms(use_true_random=False), st.sampled_from(list(Rule)), FLAGS, FLAGS)
def test_decisions_do_not_depend_on_the_order_of_positions(
    positions: dict[str, Position | None],
    random: Random,
    rule: Rule,
    deadline: bool,
    reinforced: bool,
) -> None:
    items = list(positions.items())
    random.shuffle(items)
    shuffled = dict(items)
    assert decide(positions, STATES, rule, deadline_passed=deadline, reinforced=reinforced) == (
        decide(shuffled, STATES, rule, deadline_passed=deadline, reinforced=reinforced)
    )


@given(PROFILES, st.sampled_from(CODES), FLAGS, FLAGS)
def test_qmv_one_more_state_agreeing_never_undoes_adoption(
    positions: dict[str, Position | None], code: str, deadline: bool, reinforced: bool
) -> None:
    before = decide(
        positions, STATES, Rule.qualified_majority, deadline_passed=deadline, reinforced=reinforced
    )
    positions[code] = Position.agree
    after = decide(
        positions, STATES, Rule.qualified_majority, deadline_passed=deadline, reinforced=reinforced
    )
    if before.outcome is Outcome.adopted:
        assert after.outcome is Outcome.adopted
