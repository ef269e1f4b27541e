"""What every list reader returns: the entities of one list file, ready to store."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sanctio.model import Entity


@dataclass
class ParsedList:
    """The entities read from one file, with the list name the file implies."""

    name: str
    format: str
    source: Path
    entities: list[Entity]

    @property
    def targets(self) -> list[Entity]:
        """The designated persons, organisations and assets (not their sanctions etc.)."""
        return [e for e in self.entities if e.target]

    def by_schema(self) -> dict[str, int]:
        """How many targets of each schema the list holds."""
        return dict(sorted(Counter(e.schema.name for e in self.targets).items()))

    def content_hash(self) -> str:
        """SHA-256 over every entity's content: the same list read twice hashes the same."""
        digest = hashlib.sha256()
        for entity in sorted(self.entities, key=lambda e: e.id):
            digest.update(f"{entity.id}\t{entity.state_hash()}\n".encode())
        return digest.hexdigest()
