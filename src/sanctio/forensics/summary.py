"""Totals of an election as its precincts report them: turnout and each candidate's
share, the figures an official result is compared with."""

from __future__ import annotations

from sanctio.forensics.precincts import Precincts


def candidate_shares(p: Precincts) -> dict[str, float]:
    """Each candidate's votes over the ballots found in the boxes (valid and invalid),
    the denominator official results use; largest first."""
    found = int(p.ballots_found.sum())
    if found == 0:
        return {}
    totals = p.votes.sum(axis=0)
    shares = {name: int(total) / found for name, total in zip(p.candidates, totals, strict=True)}
    return dict(sorted(shares.items(), key=lambda item: -item[1]))


def turnout(p: Precincts) -> float:
    """Ballots issued over registered voters, all precincts together."""
    registered = int(p.registered.sum())
    return int(p.ballots_issued.sum()) / registered if registered else 0.0
