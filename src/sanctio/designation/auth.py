"""Who may do what: per-user tokens (stored as SHA-256, shown once) and four roles."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sanctio.errors import SanctioError


class Role(StrEnum):
    OFFICER = "officer"  # sanctions officer: regimes, users, circulation, adoption
    PROPOSER = "proposer"  # drafts dossiers and packages (High Representative, a state)
    DELEGATE = "delegate"  # records its own member state's positions
    VIEWER = "viewer"  # reads, public evidence only


#: Roles cleared to see restricted evidence.
CLEARED = {Role.OFFICER, Role.PROPOSER}


class PermissionDeniedError(SanctioError):
    """An action the user's role or state does not allow; says which role would."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role
    member_state: str | None = None

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise PermissionDeniedError(f"{self.name} is a {self.role.value}; this needs {allowed}")

    @property
    def cleared(self) -> bool:
        return self.role in CLEARED


def new_token() -> str:
    """A token to hand to a user once; only its hash is kept."""
    return "sanctio_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long random strings, so one SHA-256 pass is enough (no password
    stretching needed) and lets a token be found by its hash."""
    return hashlib.sha256(token.encode()).hexdigest()
