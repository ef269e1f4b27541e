"""The Klimek et al. fingerprint: histogram, simulator, and the fit recovering known
fraud rates from simulated elections."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.forensics.fingerprint import (
    ModelParams,
    estimate_clean,
    fit,
    histogram,
    plot_fingerprint,
    simulate,
    usable,
)
from sanctio.forensics.precincts import Precincts

# Clean turnout 55 % +- 7, leader 45 % +- 8 (the leader is named: "Others" win a clean
# count), incremental fraud width 0.3 as in fingerprints with a long comet tail.
PARAMS = ModelParams(0.55, 0.07, 0.45, 0.08, incremental_sd=0.3)


def _precincts(registered: list[int], issued: list[int], leader: list[int]) -> Precincts:
    n = len(registered)
    found = np.array(issued, dtype=np.int64)
    votes = np.column_stack([leader, found - np.array(leader, dtype=np.int64)])
    return Precincts(
        ids=[str(i) for i in range(n)],
        regions=["r"] * n,
        registered=np.array(registered, dtype=np.int64),
        ballots_issued=np.array(issued, dtype=np.int64),
        ballots_found=found,
        votes=votes.astype(np.int64),
        candidates=["A", "B"],
    )


@pytest.mark.parametrize(("f_i", "f_e"), [(0.0, 0.0), (0.3, 0.02), (0.6, 0.05)])
def test_fit_recovers_known_rates(f_i: float, f_e: float) -> None:
    p = simulate(20_000, f_i, f_e, PARAMS, np.random.default_rng(11))
    result = fit(p, "Leader", replicates=0, seed=1)
    assert abs(result.f_i - f_i) <= 0.05
    assert abs(result.f_e - f_e) <= 0.05
    assert result.n_used == 20_000
    assert result.params.turnout_mean == pytest.approx(0.55, abs=0.02)
    assert result.params.share_mean == pytest.approx(0.45, abs=0.02)


def test_replicates_give_mean_and_spread() -> None:
    p = simulate(8_000, 0.4, 0.03, PARAMS, np.random.default_rng(5))
    result = fit(p, "Leader", replicates=2, seed=3, sim_size=40_000)
    assert len(result.replicate_values) == 2
    assert abs(result.f_i_mean - 0.4) <= 0.1
    assert result.f_i_sd >= 0.0
    data = json.loads(json.dumps(result.to_dict()))
    assert data["label"] == "model fit (qualitative)"
    assert data["replicates"] == 2
    assert any("very different values" in note for note in data["notes"])


def test_simulate_keeps_the_accounting() -> None:
    p = simulate(5_000, 0.5, 0.1, PARAMS, np.random.default_rng(2))
    assert (p.votes.sum(axis=1) == p.ballots_found).all()
    assert (p.ballots_issued <= p.registered).all()
    assert (p.votes >= 0).all()
    turnout = p.ballots_issued / p.registered
    # extreme fraud puts about 10 % of precincts near 100 % turnout
    assert 0.07 < np.mean(turnout > 0.95) < 0.14


def test_simulate_rejects_impossible_rates() -> None:
    with pytest.raises(ValueError, match="f_i"):
        simulate(10, 0.9, 0.2, PARAMS, np.random.default_rng(0))


def test_clean_estimate_is_near_the_truth_without_fraud() -> None:
    p = simulate(20_000, 0.0, 0.0, PARAMS, np.random.default_rng(4))
    est = estimate_clean(p, "Leader")
    assert est.turnout_mean == pytest.approx(0.55, abs=0.01)
    assert est.share_mean == pytest.approx(0.45, abs=0.01)
    assert est.turnout_sd == pytest.approx(0.07, abs=0.01)


def test_histogram_leaves_out_small_and_empty_precincts() -> None:
    p = _precincts([1000, 99, 500, 800], [600, 50, 0, 800], [300, 20, 0, 800])
    counts, t_edges, s_edges = histogram(p, "A", bins=10)
    assert counts.sum() == 2
    assert counts[6, 5] == 1  # 60 % turnout, 50 % share
    assert counts[9, 9] == 1  # 100 % and 100 % go into the last bins
    assert (t_edges[0], t_edges[-1]) == (0.0, 1.0)
    assert len(s_edges) == 11


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 6000), st.floats(0.0, 1.0)),
        min_size=1,
        max_size=60,
    ),
    st.integers(2, 60),
)
def test_histogram_counts_every_usable_precinct(
    rows: list[tuple[int, int, float]], bins: int
) -> None:
    registered = [r for r, _, _ in rows]
    issued = [i for _, i, _ in rows]
    leader = [int(i * s) for _, i, s in rows]
    p = _precincts(registered, issued, leader)
    counts, _, _ = histogram(p, 0, bins=bins)
    assert counts.shape == (bins, bins)
    assert int(counts.sum()) == int(usable(p).sum())


def test_plot_fingerprint_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    p = simulate(3_000, 0.3, 0.02, PARAMS, np.random.default_rng(1))
    out = plot_fingerprint(p, "Leader", tmp_path / "fingerprint.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
