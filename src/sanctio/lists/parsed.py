"""What every list reader returns: the entities of one list file, ready to store."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sanctio.errors import InputError
from sanctio.model import Entity


@dataclass
class ParsedList:
    """The entities read from one file, with the list name the file implies."""

    name: str
    format: str
    source: Path
    entities: list[Entity]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for entity in self.entities:
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
