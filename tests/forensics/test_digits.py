"""Digit tests: Benford counts pass the 2BL test, planted last digits fail the
last-digit test, invented pairs fail the pair tests; output labelled secondary."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.forensics.digits import (
    BENFORD_SECOND,
    BENFORD_SECOND_MEAN,
    _upper_gamma_regularized,
    chi2_sf,
    digit_tests,
    last_digit_test,
    pair_test,
    plot_digits,
    second_digit_test,
    second_digits,
)
from sanctio.forensics.precincts import Precincts

Ints = npt.NDArray[np.int64]


def _benford(n: int, seed: int) -> Ints:
    """Counts log-uniform over 100 to 1,000,000: Benford in their leading digits."""
    rng = np.random.default_rng(seed)
    return np.floor(10.0 ** rng.uniform(2.0, 6.0, n)).astype(np.int64)


def _precincts(counts: Ints) -> Precincts:
    n = len(counts)
    other = np.full(n, 7, dtype=np.int64)
    total = counts + other
    return Precincts(
        ids=[str(i) for i in range(n)],
        regions=["r"] * n,
        registered=total * 2,
        ballots_issued=total,
        ballots_found=total,
        votes=np.column_stack([counts, other]),
        candidates=["Leader", "Minor"],
    )


def test_benford_constants() -> None:
    assert BENFORD_SECOND.sum() == pytest.approx(1.0)
    assert abs(BENFORD_SECOND_MEAN - 4.187) < 5e-4
    assert BENFORD_SECOND[0] == pytest.approx(0.11968, abs=1e-5)


def test_benford_counts_pass_the_2bl_test() -> None:
    result = second_digit_test(_benford(20_000, 1))
    assert result.n == 20_000
    assert result.mean == pytest.approx(BENFORD_SECOND_MEAN, abs=0.06)
    assert abs(result.z) < 3.0
    assert result.chi2_p_value > 0.001


def test_uniform_second_digits_fail_the_2bl_test() -> None:
    rng = np.random.default_rng(2)
    counts = 10 * rng.integers(1, 10, 20_000) + rng.integers(0, 10, 20_000)  # 10..99
    result = second_digit_test(counts)
    assert result.mean == pytest.approx(4.5, abs=0.05)
    assert result.z > 5.0
    assert result.p_value < 1e-6


def test_planted_last_digits_are_rejected() -> None:
    counts = _benford(5_000, 3)
    rng = np.random.default_rng(3)
    rounded = rng.random(counts.size) < 0.3
    counts[rounded] = 5 * np.round(counts[rounded] / 5)  # 30 % end in 0 or 5
    result = last_digit_test(counts)
    assert result.p_value < 1e-6
    assert result.frequencies[0] + result.frequencies[5] > 0.3 * result.n


def test_genuine_last_digits_are_not_rejected() -> None:
    result = last_digit_test(_benford(5_000, 4))
    assert result.p_value > 0.001
    assert result.n == 5_000


def test_small_counts_are_left_out_of_the_last_digit_test() -> None:
    result = last_digit_test(np.array([0, 3, 9, 10, 25, 137], dtype=np.int64))
    assert result.n == 3
    assert result.minimum == 10


def test_invented_pairs_fail_the_pair_tests() -> None:
    # A falsifier who never repeats a numeral and likes neighbours: the last two digits
    # are drawn as (a, a + 1) a third of the time and never as (a, a).
    rng = np.random.default_rng(5)
    n = 5_000
    tens = rng.integers(0, 9, n)
    units = np.where(rng.random(n) < 1 / 3, tens + 1, (tens + rng.integers(2, 9, n)) % 10)
    counts = 100 * rng.integers(1, 50, n) + 10 * tens + units
    result = pair_test(counts)
    assert result.repeated.share == 0.0
    assert result.repeated.p_value < 1e-6
    assert result.adjacent.share > 0.3
    assert result.adjacent.p_value < 1e-6


def test_genuine_pairs_match_their_expectations() -> None:
    result = pair_test(_benford(20_000, 6))
    for share in (result.repeated, result.adjacent, result.non_adjacent):
        assert abs(share.z) < 4.0
    assert result.repeated.expected == 0.10
    assert result.adjacent.expected == 0.18
    assert result.non_adjacent.expected == 0.72


def test_digit_tests_are_labelled_secondary_and_json_ready() -> None:
    result = digit_tests(_precincts(_benford(1_000, 7)))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["label"] == "secondary"
    assert data["candidate"] == "Leader"
    assert any("Deckert" in note for note in data["notes"])
    assert data["second_digit"]["n"] == 1_000


def test_no_counts_gives_nulls_not_nan() -> None:
    result = digit_tests(_precincts(np.array([1, 2, 3], dtype=np.int64)))
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["second_digit"]["mean"] is None
    assert data["pairs"]["repeated"]["share"] is None


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=200))
def test_second_digit_is_the_second_character(counts: list[int]) -> None:
    digits = second_digits(np.array(counts, dtype=np.int64))
    expected = [int(str(c)[1]) for c in counts if c >= 10]
    assert digits.tolist() == expected


@given(st.lists(st.integers(10, 10**9), min_size=1, max_size=200))
def test_2bl_mean_lies_between_0_and_9(counts: list[int]) -> None:
    result = second_digit_test(np.array(counts, dtype=np.int64))
    assert 0.0 <= result.mean <= 9.0
    assert result.n == len(counts)


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=200))
def test_pair_shares_add_up(counts: list[int]) -> None:
    result = pair_test(np.array(counts, dtype=np.int64))
    if result.n:
        total = result.repeated.count + result.adjacent.count + result.non_adjacent.count
        assert total == result.n


@settings(max_examples=60)
@given(st.floats(0.0, 300.0), st.integers(1, 40))
def test_chi_square_fallback_matches_scipy(statistic: float, df: int) -> None:
    fallback = _upper_gamma_regularized(df / 2.0, statistic / 2.0)
    assert 0.0 <= fallback <= 1.0
    if importlib.util.find_spec("scipy") is not None:
        assert fallback == pytest.approx(chi2_sf(statistic, df), rel=1e-7, abs=1e-12)


def test_plot_digits_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = plot_digits(_precincts(_benford(2_000, 8)), None, tmp_path / "digits.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
