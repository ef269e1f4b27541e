"""An independent count against the official protocol, precinct by precinct.

Voters who register their ballot on an independent platform (Belarus 2020: "Golos",
with a photo of the ballot where they sent one) are a lower bound on the votes cast
for their candidate at their precinct. Where that lower bound exceeds the candidate's
official figure, the protocol is contradicted without any statistical assumption: at
least that many ballots for the candidate are missing from the official count.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctio.errors import InputError
from sanctio.forensics.precincts import Exclusion

#: The Golos file's candidate keys, with the candidates' names as on the ballot.
GOLOS_CANDIDATES = {
    "lukashenko": "Lukashenka (Лукашенко)",
    "tihanovkaja": "Tsikhanouskaya (Тихановская)",
    "dmitriyev": "Dmitriyeu (Дмитриев)",
    "kanopatskaja": "Kanapatskaya (Канопацкая)",
    "cherechen": "Cherachen (Черечень)",
    "against": "against all",
}
UNKNOWN = -1


@dataclass
class IndependentCount:
    """Per precinct and candidate: registrations, photo-verified ballots, and the
    official figure (UNKNOWN where the protocol was not published)."""

    ids: list[str]
    candidates: list[str]
    keys: list[str]
    registered: npt.NDArray[np.int64]
    photos: npt.NDArray[np.int64]
    official: npt.NDArray[np.int64]
    source: str
    sha256: str
    excluded: list[Exclusion] = field(default_factory=list)

    def candidate_index(self, name: str) -> int:
        wanted = name.casefold()
        for i, (key, label) in enumerate(zip(self.keys, self.candidates, strict=True)):
            if wanted == key or wanted in label.casefold():
                return i
        raise KeyError(f"candidate {name!r}: expected one of {', '.join(self.keys)}")


def load_golos(path: Path) -> IndependentCount:
    """The Golos platform's export (``id,...,<key>_registered,<key>_photoVoices,
    <key>_officialVotes``). A row with a count that is not a whole number is left out
    with its line and reason."""
    data = path.read_bytes()
    rows = csv.reader(data.decode("utf-8-sig").splitlines())
    header = next(rows, None)
    if not header or header[0] != "id":
        raise InputError(path, "expected the Golos header starting with 'id'", line=1)
    column = {name: i for i, name in enumerate(header)}
    keys = list(GOLOS_CANDIDATES)
    for key in keys:
        for suffix in ("registered", "photoVoices", "officialVotes"):
            if f"{key}_{suffix}" not in column:
                raise InputError(path, f"missing column {key}_{suffix}", line=1)
    ids: list[str] = []
    values: list[list[int]] = []
    excluded: list[Exclusion] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        precinct = row[0]
        if precinct in seen:
            excluded.append(Exclusion(precinct, line, f"duplicate of line {seen[precinct]}"))
            continue
        try:
            counts = [
                _count(row, column, f"{key}_{suffix}", official=suffix == "officialVotes")
                for suffix in ("registered", "photoVoices", "officialVotes")
                for key in keys
            ]
        except ValueError as exc:
            excluded.append(Exclusion(precinct, line, str(exc)))
            continue
        seen[precinct] = line
        ids.append(precinct)
        values.append(counts)
    table = np.array(values, dtype=np.int64).reshape(len(ids), 3, len(keys))
    return IndependentCount(
        ids=ids,
        candidates=[GOLOS_CANDIDATES[k] for k in keys],
        keys=keys,
        registered=table[:, 0, :],
        photos=table[:, 1, :],
        official=table[:, 2, :],
        source=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        excluded=excluded,
    )


def _count(row: list[str], column: dict[str, int], name: str, official: bool) -> int:
    index = column[name]
    text = row[index].strip() if index < len(row) else ""
    if text == "":
        if official:
            return UNKNOWN  # no published protocol
        return 0  # nobody registered a vote for this candidate
    if not text.isdigit():
        raise ValueError(f"{name} is {text!r}; expected a whole number of 0 or more")
    return int(text)


@dataclass(frozen=True)
class Contradiction:
    precinct: str
    official: int
    photos: int
    registered: int

    @property
    def missing_at_least(self) -> int:
        """Ballots for the candidate missing from the protocol, at the least."""
        return max(self.photos, self.registered) - self.official

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "missing_at_least": self.missing_at_least}


@dataclass(frozen=True)
class ReconcileResult:
    candidate: str
    precincts: int
    with_protocol: int
    contradicted_by_photos: int
    contradicted_by_registrations: int
    contradictions: tuple[Contradiction, ...]
    excluded: tuple[Exclusion, ...]
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "reconcile",
            "candidate": self.candidate,
            "precincts": self.precincts,
            "with_protocol": self.with_protocol,
            "contradicted_by_photos": self.contradicted_by_photos,
            "contradicted_by_registrations": self.contradicted_by_registrations,
            "contradictions": [c.to_dict() for c in self.contradictions],
            "excluded": [e.to_dict() for e in self.excluded],
            "input_sha256": self.sha256,
            "note": NOTE,
        }


NOTE = (
    "A contradiction is evidence about a protocol: more voters showed their ballot for "
    "the candidate than the protocol credits. It accuses no person; a person enters a "
    "dossier only through a human decision in the designation workflow."
)


def reconcile(count: IndependentCount, candidate: str) -> ReconcileResult:
    """Precincts whose protocol credits the candidate with fewer votes than voters
    proved (photos) or registered on the independent platform."""
    i = count.candidate_index(candidate)
    official = count.official[:, i]
    known = official != UNKNOWN
    by_photos = known & (count.photos[:, i] > official)
    by_registrations = known & (count.registered[:, i] > official)
    either = np.flatnonzero(by_photos | by_registrations)
    contradictions = tuple(
        Contradiction(
            count.ids[j],
            int(official[j]),
            int(count.photos[j, i]),
            int(count.registered[j, i]),
        )
        for j in either
    )
    return ReconcileResult(
        candidate=count.candidates[i],
        precincts=len(count.ids),
        with_protocol=int(known.sum()),
        contradicted_by_photos=int(by_photos.sum()),
        contradicted_by_registrations=int(by_registrations.sum()),
        contradictions=tuple(sorted(contradictions, key=lambda c: -c.missing_at_least)),
        excluded=tuple(count.excluded),
        sha256=count.sha256,
    )
