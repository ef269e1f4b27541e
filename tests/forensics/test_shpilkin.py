"""Shpilkin's estimate: near zero on a clean simulated election, and the known number
of ballots added for the leader at high turnout recovered within 15 %."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.forensics.precincts import Precincts
from sanctio.forensics.shpilkin import anomalous_votes, plot_shpilkin

Ints = npt.NDArray[np.int64]


def _election(
    n: int, seed: int, stuffed: float = 0.0, from_above_peak: bool = False
) -> tuple[Precincts, int]:
    """A clean election (turnout 55 % +- 8, leader 50 % +- 8, independent, binomial
    counts); then ``stuffed`` of the precincts get 30-90 % of their non-voters added as
    ballots for the leader. Returns the precincts and the number of ballots added."""
    rng = np.random.default_rng(seed)
    registered = rng.integers(300, 3000, n)
    turnout = np.clip(rng.normal(0.55, 0.08, n), 0.05, 1.0)
    issued = rng.binomial(registered, turnout)
    leader = rng.binomial(issued, np.clip(rng.normal(0.5, 0.08, n), 0.0, 1.0))
    others = issued - leader
    added = 0
    if stuffed:
        pool = np.flatnonzero(turnout > 0.55) if from_above_peak else np.arange(n)
        chosen = rng.choice(pool, int(stuffed * n), replace=False)
        extra = (rng.uniform(0.3, 0.9, chosen.size) * (registered[chosen] - issued[chosen])).astype(
            np.int64
        )
        issued[chosen] += extra
        leader[chosen] += extra
        added = int(extra.sum())
    p = Precincts(
        ids=[str(i) for i in range(n)],
        regions=["r"] * n,
        registered=registered.astype(np.int64),
        ballots_issued=issued.astype(np.int64),
        ballots_found=issued.astype(np.int64),
        votes=np.column_stack([leader, others]).astype(np.int64),
        candidates=["Leader", "Challenger"],
    )
    return p, added


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clean_election_has_almost_no_anomalous_votes(seed: int) -> None:
    p, _ = _election(50_000, seed)
    result = anomalous_votes(p, "Leader")
    assert abs(result.share_of_leader_votes) < 0.01
    assert result.clean_share == pytest.approx(0.5, abs=0.01)
    assert 0.5 <= result.clean_turnout_peak <= 0.6


@pytest.mark.parametrize(("seed", "from_above_peak"), [(4, False), (5, False), (6, True)])
def test_added_ballots_are_recovered(seed: int, from_above_peak: bool) -> None:
    p, added = _election(50_000, seed, stuffed=0.1, from_above_peak=from_above_peak)
    result = anomalous_votes(p, "Leader")
    assert added > 0
    assert result.anomalous_votes == pytest.approx(added, rel=0.15)
    assert result.share_of_leader_votes == pytest.approx(added / result.leader_votes, rel=0.15)


def test_result_states_its_assumptions_and_is_json_ready() -> None:
    p, _ = _election(5_000, 7, stuffed=0.05)
    result = anomalous_votes(p)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["leader"] == "Leader"
    assert data["label"] == "estimate under stated assumptions"
    assert any("does not depend on turnout" in a for a in data["assumptions"])
    assert len(data["bins"]["turnout"]) == 100
    assert sum(data["bins"]["leader"]) == result.leader_votes
    lo, hi = data["clean_range"]
    assert lo < hi <= 1.0


def test_small_and_empty_precincts_are_left_out() -> None:
    p, _ = _election(2_000, 8)
    p.registered[:10] = 50
    p.ballots_found[10:20] = 0
    result = anomalous_votes(p)
    assert result.n_excluded == 20
    assert result.n_used == 1_980


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 0.2))
def test_anomalous_votes_never_exceed_the_leaders_votes_above_the_peak(
    seed: int, stuffed: float
) -> None:
    p, _ = _election(2_000, seed, stuffed=stuffed)
    result = anomalous_votes(p)
    peak_bin = round(result.clean_turnout_peak / result.bin_width - 0.5)
    above = sum(result.leader_by_bin[peak_bin + 1 :])
    assert result.anomalous_votes <= above + 1e-6


def test_plot_shpilkin_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    p, _ = _election(5_000, 9, stuffed=0.1)
    out = plot_shpilkin(p, None, tmp_path / "shpilkin.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
