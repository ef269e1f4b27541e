"""Shpilkin's estimate of anomalous votes for the leader.

Sergey Shpilkin's method, as described by Kobak, Shpilkin & Pshenichnikov ("Statistical
fingerprints of electoral fraud?", Significance 13(4), 2016; "Integer percentages as
electoral falsification fingerprints", Annals of Applied Statistics 10(1), 2016,
Section 2): votes are added up in 1 % bins of turnout. Near the peak of the turnout
distribution the leader's share is taken as the clean share; at higher turnout every
vote for the leader beyond that share of the ballots is counted as anomalous.

The leader's genuine votes in a high-turnout bin are taken to be the other candidates'
votes there times ``clean_share / (1 - clean_share)`` (the others' votes stand in for
the clean turnout distribution, which Shpilkin observed to be Gaussian-like); the rest
of the leader's votes there are anomalous. The excess ballots at high turnout are thus
attributed to the leader, whichever precincts they were stuffed into.

The result is an estimate under the stated assumptions, never a count of proven fraud.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from sanctio.forensics.fingerprint import candidate_column, load_pyplot, usable
from sanctio.forensics.precincts import Precincts

Floats = npt.NDArray[np.float64]

ASSUMPTIONS = (
    "In the absence of falsification, the leader's share of the ballots does not depend "
    "on turnout: the share measured near the peak of the turnout distribution holds at "
    "every turnout.",
    "In the absence of falsification, the turnout distribution is single-peaked and "
    "roughly symmetric (Gaussian-like); the precincts below its peak are the clean ones.",
    "Falsification adds votes for the leader (ballots stuffed, or votes moved from other "
    "candidates) and raises the recorded turnout; the other candidates' recorded votes "
    "at high turnout are genuine.",
    "Everything the leader receives above the clean share at turnouts above the peak is "
    "counted as anomalous; anything below the peak is not counted.",
)

LIMITS = (
    "Where the leader's genuine support rises with turnout (e.g. mobilised regions, "
    "ethnic or urban/rural differences), the excess is counted as anomalous although it "
    "may be genuine: split by region to check.",
    "Votes moved from other candidates to the leader are over-counted (the lost votes "
    "also lower the genuine baseline, by clean_share / (1 - clean_share) per vote).",
    "Genuine voters of a stuffed precinct are not counted, but stuffing that stays "
    "below the peak of the turnout distribution is not seen either.",
    "Falsification spread evenly over all turnouts (e.g. votes moved between candidates "
    "everywhere, without stuffing) shifts the clean share itself and is not seen.",
)


@dataclass(frozen=True)
class AnomalousResult:
    """Shpilkin's estimate for one leader, with the per-bin curves behind it."""

    leader: str
    anomalous_votes: float
    leader_votes: int
    share_of_leader_votes: float
    clean_turnout_peak: float
    clean_range: tuple[float, float]
    clean_share: float
    bin_width: float
    n_used: int
    n_excluded: int
    turnout_bins: tuple[float, ...]
    ballots: tuple[int, ...]
    leader_by_bin: tuple[int, ...]
    expected_leader_by_bin: tuple[float, ...]
    assumptions: tuple[str, ...] = ASSUMPTIONS
    limits: tuple[str, ...] = LIMITS
    label: str = "estimate under stated assumptions"

    def to_dict(self) -> dict[str, object]:
        return {
            "method": "shpilkin-anomalous-votes",
            "label": self.label,
            "leader": self.leader,
            "anomalous_votes": round(self.anomalous_votes),
            "leader_votes": self.leader_votes,
            "share_of_leader_votes": round(self.share_of_leader_votes, 4),
            "clean_turnout_peak": round(self.clean_turnout_peak, 4),
            "clean_range": [round(self.clean_range[0], 4), round(self.clean_range[1], 4)],
            "clean_share": round(self.clean_share, 4),
            "bin_width": self.bin_width,
            "n_used": self.n_used,
            "n_excluded": self.n_excluded,
            "bins": {
                "turnout": [round(t, 4) for t in self.turnout_bins],
                "ballots": list(self.ballots),
                "leader": list(self.leader_by_bin),
                "expected_leader": [round(e, 1) for e in self.expected_leader_by_bin],
            },
            "assumptions": list(self.assumptions),
            "limits": list(self.limits),
        }


def _smooth(values: Floats, width: float = 2.0) -> Floats:
    """Gaussian smoothing over bins, so that spikes at round turnouts (Kobak et al.'s
    integer-percentage peaks) do not pass for the mode."""
    half = int(4 * width)
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) / width) ** 2)
    return np.convolve(values, kernel / kernel.sum(), mode="same")


def anomalous_votes(
    p: Precincts, leader: str | int | None = None, bin_width: float = 0.01
) -> AnomalousResult:
    """Shpilkin's estimate of the leader's anomalous votes (see the module docstring).

    Precincts with fewer than 100 registered voters or no ballots are left out, as in
    the fingerprint; turnouts above 100 % go into the last bin.
    """
    col = candidate_column(p, leader)
    keep = usable(p)
    if not keep.any():
        raise ValueError("no usable precincts (registered >= 100 with ballots)")
    registered = p.registered[keep].astype(np.float64)
    found = p.ballots_found[keep].astype(np.float64)
    lead = p.votes[keep, col].astype(np.float64)
    turnout = np.clip(p.ballots_issued[keep] / registered, 0.0, 1.0)

    bins = round(1.0 / bin_width)
    index = np.minimum((turnout / bin_width).astype(np.int64), bins - 1)
    by_ballots: Floats = np.bincount(index, weights=found, minlength=bins).astype(np.float64)
    by_leader: Floats = np.bincount(index, weights=lead, minlength=bins).astype(np.float64)
    by_others = by_ballots - by_leader
    centres = (np.arange(bins) + 0.5) * bin_width

    smooth = _smooth(by_ballots)
    peak = int(np.argmax(smooth))
    below = np.flatnonzero(smooth[: peak + 1] < 0.5 * smooth[peak])
    low = int(below[-1]) + 1 if below.size else 0
    clean = slice(low, peak + 1)
    clean_ballots = by_ballots[clean].sum()
    share = float(by_leader[clean].sum() / clean_ballots) if clean_ballots > 0 else 0.0

    above = np.arange(bins) > peak
    ratio = share / max(1.0 - share, 1e-12)
    expected = np.where(above, ratio * by_others, by_leader)
    excess = float(np.sum(by_leader[above] - expected[above]))

    total = int(lead.sum())
    return AnomalousResult(
        leader=p.candidates[col],
        anomalous_votes=excess,
        leader_votes=total,
        share_of_leader_votes=excess / total if total else 0.0,
        clean_turnout_peak=float(centres[peak]),
        clean_range=(low * bin_width, (peak + 1) * bin_width),
        clean_share=share,
        bin_width=bin_width,
        n_used=int(keep.sum()),
        n_excluded=len(p) - int(keep.sum()),
        turnout_bins=tuple(float(c) for c in centres),
        ballots=tuple(round(float(b)) for b in by_ballots),
        leader_by_bin=tuple(round(float(v)) for v in by_leader),
        expected_leader_by_bin=tuple(float(e) for e in expected),
    )


def plot_shpilkin(p: Precincts, leader: str | int | None, path: str | Path) -> Path:
    """Save the votes-by-turnout picture as a PNG: the leader's votes, the others'
    votes, and the leader's votes expected at the clean share; the gap is shaded."""
    result = anomalous_votes(p, leader)
    plt = load_pyplot()
    t = np.array(result.turnout_bins) * 100
    lead = np.array(result.leader_by_bin, dtype=np.float64)
    others = np.array(result.ballots, dtype=np.float64) - lead
    expected = np.array(result.expected_leader_by_bin)
    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=120)
    ax.plot(t, lead, color="tab:red", label=f"{result.leader}: votes")
    ax.plot(t, others, color="tab:blue", label="all others: votes (incl. invalid)")
    ax.plot(t, expected, color="black", linestyle="--", label="leader at the clean share")
    ax.fill_between(t, expected, lead, where=lead > expected, color="tab:red", alpha=0.2)
    ax.axvspan(result.clean_range[0] * 100, result.clean_range[1] * 100, color="grey", alpha=0.15)
    ax.set_xlabel("Turnout, % (1 % bins; grey: range used for the clean share)")
    ax.set_ylabel("Votes per turnout bin")
    ax.set_title(
        f"Shpilkin's estimate: {result.anomalous_votes:,.0f} anomalous votes "
        f"({result.share_of_leader_votes:.1%} of the leader's)"
    )
    ax.legend(loc="upper left", fontsize=8)
    out = Path(path)
    fig.savefig(out, format="png", bbox_inches="tight")
    plt.close(fig)
    return out
