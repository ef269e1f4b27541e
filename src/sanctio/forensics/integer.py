"""The integer-percent test: too many precincts reporting a round turnout or result.

Kobak, D., Shpilkin, S. & Pshenichnikov, M. S. (2016), "Integer percentages as
electoral falsification fingerprints", *The Annals of Applied Statistics* 10(1), 54-73.

A commission that writes down a target figure rather than a count tends to pick a
whole percent (70 %, 85 %) for the turnout or the leader's share. In honest counts a
whole percent turns up only as often as arithmetic allows, which depends on each
precinct's size; so the expected number is simulated: every precinct's counts are
redrawn from binomials at its own observed rates, many times, and the count of
"integer" precincts in the real data is compared with the simulated ones. The excess
is a number of precincts, not a proof about any one of them.

As in the paper: turnout = ballots issued / registered voters (ballots issued early,
in the station and outside it); leader's share = leader's votes / ballots found
(valid + invalid); a precinct is integer when either lies within ``tolerance``
percentage points of a whole percent; precincts with fewer than 100 registered
voters, no ballots, or a turnout or share above 99 % are left out (at such values
round percents are common for reasons that have nothing to do with fraud).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctio.errors import InputError
from sanctio.forensics.precincts import Counts, Precincts

#: Fewest registered voters for a precinct to count (small ones hit whole percents often).
MIN_REGISTERED = 100
#: Turnout or share above this fraction leaves a precinct out (100 % is a whole percent).
MAX_RATE = 0.99
#: Exclusion reasons, in the order they are checked; each precinct gets the first that
#: applies, so the counts add up to the precincts left out.
REASONS = (
    f"fewer than {MIN_REGISTERED} registered voters",
    "no ballots issued or found",
    f"turnout above {MAX_RATE:.0%}",
    f"leader's share above {MAX_RATE:.0%}",
)
#: Simulated precinct-draws held in memory at once (about 50 MB of working arrays).
_CHUNK_CELLS = 2_000_000
#: Float slack so that a value exactly ``tolerance`` from a whole percent counts as near.
_EPSILON = 1e-9

Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class IntegerResult:
    """Observed and expected numbers of integer-percent precincts.

    ``per_region`` rows: ``region``, ``precincts``, ``observed``, ``expected``, ``sd``,
    ``excess``, in the order regions first appear in the data."""

    observed: int
    expected: float
    sd: float
    excess: float
    z: float
    p_value: float
    precincts_used: int
    excluded: dict[str, int]
    per_region: list[dict[str, Any]]
    leader: str
    draws: int
    seed: int
    tolerance: float = 0.05
    method: str = field(
        default="Kobak, Shpilkin & Pshenichnikov (2016), Ann. Appl. Stat. 10(1), 54-73"
    )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: non-finite numbers (z with no spread) become ``None``."""
        return {
            "test": "integer-percent",
            "method": self.method,
            "leader": self.leader,
            "observed": self.observed,
            "expected": _finite(self.expected),
            "sd": _finite(self.sd),
            "excess": _finite(self.excess),
            "z": _finite(self.z),
            "p_value": _finite(self.p_value),
            "precincts_used": self.precincts_used,
            "excluded": dict(self.excluded),
            "draws": self.draws,
            "seed": self.seed,
            "tolerance": self.tolerance,
            "per_region": [
                {k: _finite(v) if isinstance(v, float) else v for k, v in row.items()}
                for row in self.per_region
            ],
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def near_integer(count: Counts, total: Counts, tolerance: float) -> Flags:
    """Whether ``100 * count / total`` lies within ``tolerance`` percentage points of a
    whole number (``total`` positive). In integers, so no rounding decides a tie:
    100 * count is within tolerance * total of a multiple of total."""
    slack = np.floor(tolerance * total + _EPSILON).astype(np.int64)
    rest = (100 * count) % total
    flags: Flags = (rest <= slack) | (rest >= total - slack)
    return flags


def integer_test(
    p: Precincts,
    leader: int | None = None,
    draws: int = 1000,
    seed: int = 0,
    tolerance: float = 0.05,
) -> IntegerResult:
    """Count precincts with a whole-percent turnout or leader's share and compare with
    ``draws`` binomial simulations of the same precincts (seeded: same result for the
    same data, seed and draws, whatever the number of cores)."""
    if draws < 2:
        raise ValueError(f"draws must be at least 2 (for a spread), got {draws}")
    if not 0 < tolerance < 0.5:
        raise ValueError(f"tolerance must be between 0 and 0.5 percentage points, got {tolerance}")
    if (p.registered < 0).any() or (p.ballots_issued < 0).any():
        raise InputError(
            p.source or "<precincts>",
            f"registered voters or ballots issued are unknown in this data (format "
            f"{p.format or 'unknown'}); the integer test needs both for the turnout. "
            "Use the official protocols (belarus-protocols, russia-cik or generic).",
        )
    column = p.candidate_index(None) if leader is None else leader
    if not 0 <= column < len(p.candidates):
        raise ValueError(f"leader column {column}: the data has {len(p.candidates)} candidates")

    registered, issued, found = p.registered, p.ballots_issued, p.ballots_found
    votes = p.votes[:, column]
    reasons = [
        registered < MIN_REGISTERED,
        (found <= 0) | (issued <= 0),
    ]
    safe_registered = np.maximum(registered, 1)
    safe_found = np.maximum(found, 1)
    turnout = issued / safe_registered
    share = votes / safe_found
    reasons += [turnout > MAX_RATE, share > MAX_RATE]
    left_out = np.zeros(len(p), dtype=bool)
    excluded: dict[str, int] = {}
    for reason, hit in zip(REASONS, reasons, strict=True):
        excluded[reason] = int((hit & ~left_out).sum())
        left_out |= hit
    keep = ~left_out
    if not keep.any():
        raise InputError(p.source or "<precincts>", "no precinct is left after the exclusions")

    registered, found = registered[keep], found[keep]
    issued, votes = issued[keep], votes[keep]
    turnout, share = turnout[keep], share[keep]
    flags = near_integer(issued, registered, tolerance) | near_integer(votes, found, tolerance)
    observed = int(flags.sum())

    region_names, region_of = np.unique(
        np.array(p.regions, dtype=object)[keep], return_inverse=True
    )
    regions = len(region_names)
    simulated = _simulate(registered, turnout, found, share, region_of, draws, seed, tolerance)
    totals = simulated.sum(axis=1)  # integer precincts per draw
    expected = float(totals.mean())
    sd = float(totals.std(ddof=1))
    excess = observed - expected
    z = excess / sd if sd > 0 else (0.0 if excess == 0 else math.copysign(math.inf, excess))
    p_value = (int((totals >= observed).sum()) + 1) / (draws + 1)

    observed_by_region = np.bincount(region_of, weights=flags, minlength=regions)
    used_by_region = np.bincount(region_of, minlength=regions)
    mean_by_region = simulated.mean(axis=0)
    sd_by_region = simulated.std(axis=0, ddof=1)
    first_seen = np.full(regions, len(region_of))
    np.minimum.at(first_seen, region_of, np.arange(len(region_of)))
    per_region = [
        {
            "region": str(region_names[r]),
            "precincts": int(used_by_region[r]),
            "observed": int(observed_by_region[r]),
            "expected": float(mean_by_region[r]),
            "sd": float(sd_by_region[r]),
            "excess": float(observed_by_region[r] - mean_by_region[r]),
        }
        for r in np.argsort(first_seen, kind="stable")
    ]
    return IntegerResult(
        observed=observed,
        expected=expected,
        sd=sd,
        excess=excess,
        z=z,
        p_value=p_value,
        precincts_used=int(keep.sum()),
        excluded=excluded,
        per_region=per_region,
        leader=p.candidates[column],
        draws=draws,
        seed=seed,
        tolerance=tolerance,
    )


def _simulate(
    registered: Counts,
    turnout: npt.NDArray[np.float64],
    found: Counts,
    share: npt.NDArray[np.float64],
    region_of: npt.NDArray[np.intp],
    draws: int,
    seed: int,
    tolerance: float,
) -> npt.NDArray[np.int64]:
    """Integer precincts per draw and region (draws x regions).

    Draws are cut into fixed chunks, each with its own generator spawned from ``seed``;
    the chunks run on threads (numpy's binomial sampler releases the GIL), so the
    result depends on the seed, never on the number of cores. Within a chunk each
    precinct's draws are consecutive, which lets the sampler reuse its set-up for the
    same n and p; precincts are sorted by region so regions are contiguous slices."""
    order = np.argsort(region_of, kind="stable")
    registered, turnout = registered[order, None], turnout[order, None]
    found, share = found[order, None], share[order, None]
    sorted_regions = region_of[order]
    starts = np.flatnonzero(np.r_[True, sorted_regions[1:] != sorted_regions[:-1]])
    n = len(order)
    slack_registered = np.floor(tolerance * registered + _EPSILON).astype(np.int64)
    slack_found = np.floor(tolerance * found + _EPSILON).astype(np.int64)

    def integer(count: Counts, total: Counts, slack: Counts) -> Flags:
        rest = (100 * count) % total
        flags: Flags = (rest <= slack) | (rest >= total - slack)
        return flags

    size = max(1, min(draws, _CHUNK_CELLS // max(n, 1)))
    chunks = [min(size, draws - start) for start in range(0, draws, size)]
    streams = np.random.SeedSequence(seed).spawn(len(chunks))

    def run(job: int) -> npt.NDArray[np.int64]:
        rng = np.random.default_rng(streams[job])
        shape = (n, chunks[job])
        issued = rng.binomial(registered, turnout, size=shape)
        leader = rng.binomial(found, share, size=shape)
        flags = integer(issued, registered, slack_registered)
        flags |= integer(leader, found, slack_found)
        by_region = np.add.reduceat(flags.view(np.int8), starts, axis=0, dtype=np.int64)
        return np.ascontiguousarray(by_region.T)  # draws x regions

    workers = max(1, min(len(chunks), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(run, range(len(chunks))))
    return np.concatenate(parts, axis=0)
