"""Precinct results as columns of numbers: what every forensic test reads.

One row per precinct (polling station), whatever the source format. Counts are
integer numpy arrays so that the tests run vectorized over 100,000 precincts; the
rows a loader could not use are kept as ``Exclusion`` records with their reason, so
nothing leaves the analysis silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Counts = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Exclusion:
    """A precinct left out, with where it came from and why."""

    precinct: str
    line: int | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"precinct": self.precinct, "line": self.line, "reason": self.reason}


@dataclass
class Precincts:
    """Precinct-level results of one election.

    - ``ids``: precinct codes (Belarus ``RR-DDD-NNNN``; Russia ``region/tik/uik``).
    - ``regions``: region name or code of each precinct (for per-region results).
    - ``registered``: voters on the register.
    - ``ballots_issued``: ballots given out (early + in the station + outside), the
      turnout numerator of Kobak et al. 2016.
    - ``ballots_found``: ballots found in the boxes (valid + invalid), the leader's
      share denominator.
    - ``votes``: one column per candidate (shape precincts x candidates), in the order
      of ``candidates``.
    - ``source``/``sha256``: the file read and its SHA-256, for evidence items.
    """

    ids: list[str]
    regions: list[str]
    registered: Counts
    ballots_issued: Counts
    ballots_found: Counts
    votes: Counts
    candidates: list[str]
    source: str = ""
    sha256: str = ""
    format: str = ""
    excluded: list[Exclusion] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def candidate_index(self, name: str | None) -> int:
        """The column of ``name`` (case-insensitive, or a unique prefix of it); without a
        name, the top vote-getter overall (the leader)."""
        if name is None:
            return int(np.argmax(self.votes.sum(axis=0)))
        wanted = name.casefold()
        exact = [i for i, c in enumerate(self.candidates) if c.casefold() == wanted]
        if exact:
            return exact[0]
        partial = [i for i, c in enumerate(self.candidates) if wanted in c.casefold()]
        if len(partial) == 1:
            return partial[0]
        known = ", ".join(self.candidates)
        raise KeyError(f"candidate {name!r}: expected one of {known}")

    def subset(self, keep: npt.NDArray[np.bool_]) -> Precincts:
        """The precincts where ``keep`` is true (same candidates, same exclusions)."""
        index = np.flatnonzero(keep)
        return Precincts(
            ids=[self.ids[i] for i in index],
            regions=[self.regions[i] for i in index],
            registered=self.registered[index],
            ballots_issued=self.ballots_issued[index],
            ballots_found=self.ballots_found[index],
            votes=self.votes[index],
            candidates=list(self.candidates),
            source=self.source,
            sha256=self.sha256,
            format=self.format,
            excluded=list(self.excluded),
        )
