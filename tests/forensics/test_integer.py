"""The integer-percent test (Kobak, Shpilkin & Pshenichnikov 2016): the exact null
probabilities against full enumeration and against redrawn binomial counts, no excess
on honest simulated counts, the injected precincts found again, the published Russian
figures reproduced, and every left-out precinct counted by reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from sanctio.errors import InputError
from sanctio.forensics import integer
from sanctio.forensics.integer import (
    REASONS,
    IntegerResult,
    integer_probability,
    integer_test,
    near_integer,
)
from sanctio.forensics.loaders import load_precincts
from sanctio.forensics.precincts import Precincts


def _clean(n: int, seed: int, low: int = 300, high: int = 3000) -> Precincts:
    """An honest election: every count a binomial draw at the precinct's own rates."""
    rng = np.random.default_rng(seed)
    registered = rng.integers(low, high, n)
    issued = rng.binomial(registered, rng.uniform(0.4, 0.9, n))
    found = issued - rng.binomial(issued, 0.003)
    leader = rng.binomial(found, rng.uniform(0.3, 0.8, n))
    return Precincts(
        ids=[f"P{i}" for i in range(n)],
        regions=[f"R{i % 7}" for i in range(n)],
        registered=registered,
        ballots_issued=issued,
        ballots_found=found,
        votes=np.column_stack([leader, found - leader]),
        candidates=["Leader", "Other"],
        source="simulated",
    )


def test_near_integer_is_exact_at_the_edges() -> None:
    total = np.array([2000, 2000, 2000, 2000, 1000, 3])
    count = np.array([901, 902, 1001, 999, 500, 1])  # 45.05, 45.1, 50.05, 49.95, 50, 33.3
    assert near_integer(count, total, 0.05).tolist() == [True, False, True, True, True, False]


@pytest.mark.parametrize("tolerance", [0.05, 0.01, 0.2, 0.49])
def test_probability_is_the_binomial_mass_of_every_near_integer_count(tolerance: float) -> None:
    """Against summing the pmf over all n + 1 counts: the runs, their edges and the
    window leave nothing out, for tiny totals, certain rates and long runs (cdf path)."""
    rng = np.random.default_rng(11)
    totals = np.r_[np.arange(1, 301), rng.integers(300, 20_000, 100), [10**6]].astype(np.int64)
    rates = np.round(rng.uniform(0, 1, len(totals)) * totals) / totals
    rates[:3], rates[-3:] = 0.0, [1.0, 0.99, 0.37]
    got = integer_probability(totals, rates, tolerance)
    full = [
        stats.binom.pmf(
            np.flatnonzero(near_integer(np.arange(n + 1), np.full(n + 1, n), tolerance)), n, rate
        ).sum()
        for n, rate in zip(totals, rates, strict=True)
    ]
    assert np.abs(got - full).max() < 1e-12


def test_window_leaves_out_a_negligible_tail() -> None:
    totals = np.repeat(np.array([1, 2, 5, 20, 100, 1000, 3000, 100_000]), 5)
    rates = np.tile([0.0, 0.001, 0.3, 0.9, 0.99], 8)
    low, high = integer._window(totals, rates)
    outside = stats.binom.cdf(low - 1, totals, rates) + stats.binom.sf(high, totals, rates)
    assert outside.max() < 1e-13


def test_exact_null_agrees_with_redrawn_counts() -> None:
    """The paper's null, brute force: 2,000 redraws of every precinct's counts from
    binomials at its own rates. Expected count, sd, each precinct's rate of being integer
    and the distribution of the count all agree with the exact q_i within sampling error."""
    p, draws = _clean(300, seed=12, low=100, high=1500), 2_000
    rng = np.random.default_rng(13)
    turnout, share = p.ballots_issued / p.registered, p.votes[:, 0] / p.ballots_found
    issued = rng.binomial(p.registered, turnout, size=(draws, len(p)))
    leader = rng.binomial(p.ballots_found, share, size=(draws, len(p)))
    hits = near_integer(issued, p.registered, 0.05) | near_integer(leader, p.ballots_found, 0.05)
    redrawn = hits.sum(axis=1)

    result = integer_test(p, draws=draws, seed=14)
    assert result.precincts_used == len(p)
    assert abs(redrawn.mean() - result.expected) < 4 * result.sd / np.sqrt(draws)
    assert abs(redrawn.std(ddof=1) / result.sd - 1) < 4 / np.sqrt(2 * draws)
    chance = 1 - (1 - integer_probability(p.registered, turnout, 0.05)) * (
        1 - integer_probability(p.ballots_found, share, 0.05)
    )
    assert result.expected == pytest.approx(chance.sum())
    assert np.abs(hits.mean(axis=0) - chance).max() < 5 * np.sqrt(0.25 / draws)
    # the p-value's Bernoulli draws and the redrawn counts: one distribution
    drawn = integer._draw_totals(chance, draws, seed=14)
    assert stats.ks_2samp(drawn, redrawn).pvalue > 0.001
    by_region = np.bincount([int(r[1:]) for r in p.regions], weights=chance)
    assert [r["expected"] for r in result.per_region] == pytest.approx(by_region.tolist())


def test_draws_depend_on_the_seed_never_on_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    chance = np.random.default_rng(15).uniform(0, 0.4, 300_000)  # several chunks of draws
    first = integer._draw_totals(chance, 20, seed=7)
    monkeypatch.setattr(integer.os, "cpu_count", lambda: 1)
    assert (integer._draw_totals(chance, 20, seed=7) == first).all()
    assert (integer._draw_totals(chance, 20, seed=8) != first).any()
    assert abs(first.mean() - chance.sum()) < 4 * np.sqrt((chance * (1 - chance)).sum())


def test_honest_counts_show_no_excess() -> None:
    result = integer_test(_clean(20_000, seed=1), draws=200, seed=3)
    assert result.precincts_used == 20_000
    assert abs(result.z) < 4
    assert abs(result.excess) < 4 * result.sd
    assert 0.15 < result.expected / 20_000 < 0.25  # ~10 % per rate, two rates
    assert result.p_value > 0.001


def test_injected_whole_percents_are_found_again() -> None:
    clean = _clean(20_000, seed=2, low=1000)  # 1000+ voters: rounding lands within 0.05 pp
    rng = np.random.default_rng(5)
    chosen = rng.choice(len(clean), size=2_000, replace=False)
    before = near_integer(clean.ballots_issued, clean.registered, 0.05) | near_integer(
        clean.votes[:, 0], clean.ballots_found, 0.05
    )
    forged = clean.subset(np.ones(len(clean), dtype=bool))
    forged.ballots_issued = clean.ballots_issued.copy()
    whole = np.rint(100 * clean.ballots_issued[chosen] / clean.registered[chosen])
    forged.ballots_issued[chosen] = np.rint(whole * clean.registered[chosen] / 100).astype(np.int64)
    assert near_integer(forged.ballots_issued[chosen], forged.registered[chosen], 0.05).all()
    newly = int((~before[chosen]).sum())  # injected precincts that were not integer already

    honest = integer_test(clean, draws=200, seed=9)
    result = integer_test(forged, draws=200, seed=9)
    assert result.observed - honest.observed == newly
    assert abs(result.excess - honest.excess - newly) < 0.03 * newly
    assert abs(result.excess - newly) < 4 * result.sd  # i.e. ~0.8 N: 1 in 5 was already round
    assert result.z > 10
    assert result.p_value == 1 / 201


@pytest.mark.parametrize(("year", "published"), [(2011, 1003), (2012, 1160), (2018, 1709)])
def test_published_russian_excess_reproduced(shared_data: Path, year: int, published: int) -> None:
    p = load_precincts(shared_data / "elections" / "russia" / f"{year}.csv.zip")
    result = integer_test(p, draws=200, seed=0)
    assert abs(result.excess / published - 1) < 0.03, result.excess
    assert result.z > 8
    assert sum(r["observed"] for r in result.per_region) == result.observed
    assert sum(r["expected"] for r in result.per_region) == pytest.approx(result.expected)
    assert result.precincts_used + sum(result.excluded.values()) == len(p)


def test_exclusions_counted_by_reason() -> None:
    # columns: registered, issued, found, leader
    rows = [
        (50, 40, 40, 20),  # fewer than 100 registered
        (80, 80, 80, 80),  # fewer than 100 registered (also turnout, share: first reason)
        (1000, 0, 0, 0),  # no ballots
        (1000, 995, 990, 500),  # turnout 99.5 %
        (1000, 600, 600, 595),  # share 99.2 %
        (1000, 990, 990, 980),  # turnout exactly 99 %, share 98.99 %: kept
        (1000, 700, 690, 400),  # kept
        (1000, 800, 795, 300),  # kept
    ]
    registered, issued, found, leader = (
        np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)
    )
    p = Precincts(
        ids=[f"P{i}" for i in range(len(rows))],
        regions=["A"] * 4 + ["B"] * 4,
        registered=registered,
        ballots_issued=issued,
        ballots_found=found,
        votes=np.column_stack([leader, found - leader]),
        candidates=["Leader", "Other"],
    )
    result = integer_test(p, leader=0, draws=50)
    assert result.excluded == dict(zip(REASONS, [2, 1, 1, 1], strict=True))
    assert result.precincts_used == 3
    assert [r["region"] for r in result.per_region] == ["B"]
    assert result.per_region[0]["precincts"] == 3


def test_result_is_seeded_and_serialisable() -> None:
    p = _clean(3_000, seed=4)
    first, again = integer_test(p, draws=100, seed=7), integer_test(p, draws=100, seed=7)
    assert first == again
    other_seed = integer_test(p, draws=100, seed=8)  # the seed moves only the drawn p-value
    assert (other_seed.expected, other_seed.sd) == (first.expected, first.sd)
    data = json.loads(json.dumps(first.to_dict()))
    assert data["excess"] == pytest.approx(first.excess)
    assert data["leader"] == "Leader"
    assert data["draws"] == 100
    assert data["seed"] == 7
    assert {"observed", "expected", "sd", "z", "p_value", "excluded", "per_region"} <= set(data)
    assert isinstance(first, IntegerResult)
    other = integer_test(p, leader=1, draws=100)
    assert other.leader == "Other"


def test_format_without_ballots_issued_is_refused() -> None:
    p = _clean(200, seed=6)
    p.ballots_issued = np.full(len(p), -1, dtype=np.int64)
    p.format = "belarus-golos"
    with pytest.raises(InputError, match="belarus-golos") as caught:
        integer_test(p, draws=10)
    assert "ballots issued" in str(caught.value)


def test_golos_file_is_refused_with_a_clear_error(shared_data: Path) -> None:
    p = load_precincts(shared_data / "elections" / "belarus-2020" / "golos-voice.csv")
    with pytest.raises(InputError, match="belarus-protocols"):
        integer_test(p, draws=10)


def test_belarus_protocols_run(shared_data: Path) -> None:
    p = load_precincts(shared_data / "elections" / "belarus-2020" / "protocols.csv")
    result = integer_test(p, draws=200)
    assert result.leader == "Лукашенко Александр Григорьевич"
    assert result.precincts_used + sum(result.excluded.values()) == len(p)
    assert len(result.per_region) == 7
