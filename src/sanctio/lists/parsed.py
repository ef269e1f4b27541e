"""What every list reader returns: the entities of one list file, ready to store."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sanctio.errors import InputError
from sanctio.model import Entity
from sanctio.model.types import EXPECTED, MAX_LENGTH, clean_value

#: Longest record number a reader takes over from a publisher into entity ids (an OFAC
#: ent_num, a UN reference number, a UK UniqueID, an EU logicalId). FtM's identifier
#: length: the same number is also kept as the Sanction's ``authorityId``, and ids made
#: from it (``<id>--sanction``, ``<id>--passport-<number>``) stay within FtM's 200.
MAX_RECORD_ID = MAX_LENGTH["identifier"]
#: Longest name FtM takes: a record whose name is longer has no name it could be
#: screened by, so readers refuse it like a record without a name.
MAX_NAME = MAX_LENGTH["name"]


def record_id(
    path: Path, value: str, what: str, line: int | None, column: str | None = None
) -> str:
    """``value``, a publisher's record number, when entity ids can be made from it;
    InputError naming the line otherwise."""
    if len(value) > MAX_RECORD_ID:
        raise InputError(
            path,
            f"{what} {value[:24]!r}… has {len(value)} characters; expected a record number "
            f"of at most {MAX_RECORD_ID}",
            line,
            column,
        )
    return value


def name_too_long(name: str) -> str | None:
    """What is wrong with a record's primary name that FtM cannot hold, or None."""
    if len(name) > MAX_NAME:
        return f"a name of {len(name)} characters; expected at most {MAX_NAME}"
    return None


@dataclass
class ParsedList:
    """The entities read from one file, with the list name the file implies.

    ``warnings`` are data-quality problems of a file that was read all the same: each
    names the file, line or record and what was skipped or kept as a note, so that
    nothing leaves the list without the user being told.
    """

    name: str
    format: str
    source: Path
    entities: list[Entity]
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # the last line of defence: readers check ids where they make them, with the
        # line; an id that still cannot be stored or referred to in FtM stops here
        seen: set[str] = set()
        for entity in self.entities:
            if not entity.id or clean_value("entity", entity.id) != entity.id:
                raise InputError(
                    self.source, f"entity id {entity.id[:60]!r}; expected {EXPECTED['entity']}"
                )
            if entity.id in seen:
                raise InputError(self.source, f"entity id {entity.id!r} occurs twice")
            seen.add(entity.id)

    @property
    def targets(self) -> list[Entity]:
        """The designated persons, organisations and assets (not their sanctions etc.)."""
        return [e for e in self.entities if e.target]

    def by_schema(self) -> dict[str, int]:
        """How many targets of each schema the list holds."""
        return dict(sorted(Counter(e.schema.name for e in self.targets).items()))

    def state_hashes(self) -> dict[str, str]:
        """Each entity's content hash, by id."""
        return {entity.id: entity.state_hash() for entity in self.entities}

    def content_hash(self, state_hashes: dict[str, str] | None = None) -> str:
        """SHA-256 over every entity's content: the same list read twice hashes the same."""
        hashes = state_hashes or self.state_hashes()
        digest = hashlib.sha256()
        for entity_id in sorted(hashes):
            digest.update(f"{entity_id}\t{hashes[entity_id]}\n".encode())
        return digest.hexdigest()
