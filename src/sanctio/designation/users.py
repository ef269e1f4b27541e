"""Users and their tokens: added, checked, listed, revoked and rotated, every change
audited in the transaction that makes it.

A token is a long random string shown once; the registry keeps its SHA-256 and the
day it expires (``SANCTIO_TOKEN_DAYS`` after it was given; none when 0). A token is
refused the moment its user is revoked or its day has passed, wherever it is checked
(the command line, the API, the web pages' sign-in and every page after it), because
all of them ask ``Users.authenticate``. Rotation replaces the stored hash, so the old
token stops working at once. No token or hash ever goes into the audit chain.

User names are shown in the audit log, on pages and in terminals, so a name holding a
newline, a control or a bidirectional character (U+202E turns the rest of a line
around) could forge a line or disguise who acted: such names are refused.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sanctio import settings
from sanctio.designation.auth import Actor, PermissionDeniedError, Role, new_token, token_hash
from sanctio.designation.records import User
from sanctio.designation.workflow import WorkflowError
from sanctio.errors import InputError, NotFoundError
from sanctio.registry.audit import serialize_writers

if TYPE_CHECKING:
    from sanctio.designation.workflow import Designation

#: Longest user name: it is the audit record's actor and part of its subject.
MAX_NAME = 100
#: Unicode categories a user name may not hold: control (Cc, newline included), format
#: (Cf: bidirectional overrides and isolates, zero-width characters), surrogate, line
#: and paragraph separators.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: The code points of those categories (Python's Unicode database, surrogates aside),
#: as ranges: the API's schema describes user names with them (``name_pattern``), and a
#: test checks they still agree with ``unicodedata``.
REFUSED_RANGES = (
    (0x0, 0x1F),
    (0x7F, 0x9F),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
#: Who acts when the command line gives an officer a new token because no officer
#: holds a valid one (whoever runs it can write to the database anyway).
RECOVERY = "(command line, no officer with a valid token)"


class UserNameError(InputError):
    """A user name that is empty, too long, padded, or holds an invisible character."""


class UserStateError(WorkflowError):
    """A user change the users' current state does not allow (a name taken, the last
    officer revoked)."""


def check_name(name: str) -> str:
    """``name`` when it may name a user; else a UserNameError saying what is wrong."""
    if not name:
        raise UserNameError("user name", "empty; expected 1 to 100 characters")
    if len(name) > MAX_NAME:
        raise UserNameError(
            "user name", f"{len(name)} characters long; expected at most {MAX_NAME}"
        )
    for position, char in enumerate(name, 1):
        category = unicodedata.category(char)
        if category in REFUSED_CATEGORIES:
            kind = "a control" if category == "Cc" else "an invisible or bidirectional"
            raise UserNameError(
                "user name",
                f"{kind} character U+{ord(char):04X} at character {position}; "
                "expected visible letters, digits, spaces and punctuation",
            )
    if name != name.strip():
        raise UserNameError(
            "user name", f"{name!r} starts or ends with a space; expected none at either end"
        )
    return name


def name_pattern() -> str:
    """``check_name`` as a regular expression (JSON Schema's and Python's alike): no
    refused character, no white space at either end. Code points of the Basic
    Multilingual Plane are written as ``\\uXXXX``, the others as themselves."""

    def char(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    # lone surrogates, refused too, are left out: JSON Schema's regular expressions
    # cannot name them, and no UTF-8 text carries one
    refused = "".join(
        char(low) if low == high else f"{char(low)}-{char(high)}" for low, high in REFUSED_RANGES
    )
    return f"^[^\\s{refused}](?:[^{refused}]*[^\\s{refused}])?$"


def _utc(moment: datetime | None) -> datetime | None:
    """A stored moment with its time zone (SQLite gives it back without)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def expiry(now: datetime) -> datetime | None:
    """When a token given ``now`` expires (``SANCTIO_TOKEN_DAYS``), None for never."""
    days = settings.token_days()
    return now + timedelta(days=days) if days else None


@dataclass(frozen=True)
class UserInfo:
    """A user as ``users list`` shows it: never its token or the token's hash."""

    name: str
    role: str
    member_state: str | None
    created_at: datetime
    token_expires_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        """``active``, ``revoked`` or ``expired`` on ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.token_expires_at is not None and self.token_expires_at <= now:
            return "expired"
        return "active"

    def to_dict(self, now: datetime) -> dict[str, Any]:
        def day(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment is not None else None

        return {
            "name": self.name,
            "role": self.role,
            "member_state": self.member_state,
            "state": self.state(now),
            "created_at": self.created_at.isoformat(),
            "token_expires_at": day(self.token_expires_at),
            "revoked_at": day(self.revoked_at),
        }


def _info(user: User) -> UserInfo:
    created = _utc(user.created_at)
    assert created is not None
    return UserInfo(
        user.name,
        user.role,
        user.member_state,
        created,
        _utc(user.token_expires_at),
        _utc(user.revoked_at),
    )


def _valid(user: User, now: datetime) -> bool:
    return _info(user).state(now) == "active"


class Rotated(NamedTuple):
    """A new token, to hand over once, and when it expires (None: never)."""

    token: str
    expires_at: datetime | None


class Users:
    """The users of one registry's workflow (``Designation.users``)."""

    def __init__(self, designation: Designation) -> None:
        self.designation = designation

    def add(
        self, actor: Actor | None, name: str, role: Role, member_state: str | None = None
    ) -> str:
        """A new user and its token (returned once). The first user needs no actor and
        must be an officer; later users are added by an officer."""
        check_name(name)
        codes = {s.code for s in self.designation.states}
        if role is Role.DELEGATE and member_state not in codes:
            known = ", ".join(sorted(codes))
            raise UserStateError(f"a delegate needs a member state, one of {known}")
        if role is not Role.DELEGATE and member_state is not None:
            raise UserStateError("only a delegate speaks for a member state")
        token = new_token()
        now = datetime.now(UTC)
        expires = expiry(now)
        with self.designation.transaction() as session:
            # two first users at once on PostgreSQL: the second waits here, then counts one
            serialize_writers(session.connection())
            users = session.scalar(select(func.count()).select_from(User)) or 0
            if users == 0:
                if role is not Role.OFFICER:
                    raise UserStateError("the first user must be an officer")
                by = name
            else:
                if actor is None:
                    raise PermissionDeniedError("adding a user needs an officer's token")
                actor.require(Role.OFFICER)
                by = actor.name
            session.add(
                User(
                    name=name,
                    role=role.value,
                    member_state=member_state,
                    token_hash=token_hash(token),
                    created_at=now,
                    token_expires_at=expires,
                )
            )
            try:
                session.flush()
            except IntegrityError:
                raise UserStateError(f"a user named {name!r} exists already") from None
            self.designation.audit(
                session,
                by,
                "user.added",
                f"user:{name}",
                {
                    "role": role.value,
                    "member_state": member_state,
                    "token_expires_at": expires.isoformat() if expires else None,
                },
            )
        return token

    def authenticate(self, token: str | None) -> Actor:
        """The user a token belongs to; a clear refusal for a missing, unknown, revoked
        or expired token."""
        if not token:
            raise PermissionDeniedError("no token: pass --token or set SANCTIO_TOKEN")
        with Session(self.designation.registry.engine) as session:
            user = session.scalar(select(User).where(User.token_hash == token_hash(token)))
        if user is None:
            raise PermissionDeniedError("unknown token")
        info = _info(user)
        if info.revoked_at is not None:
            raise PermissionDeniedError(
                f"token revoked: {user.name}'s token was revoked on "
                f"{info.revoked_at:%Y-%m-%d %H:%M} UTC; ask an officer for a new one"
            )
        expires = info.token_expires_at
        if expires is not None and expires <= datetime.now(UTC):
            raise PermissionDeniedError(
                f"token expired on {expires:%Y-%m-%d %H:%M} UTC; ask an officer to rotate "
                f"it (sanctio users rotate {user.name})"
            )
        return Actor(user.name, Role(user.role), user.member_state)

    def list(self, actor: Actor) -> list[UserInfo]:
        """Every user, oldest first: who may act, as what, until when (officers only)."""
        actor.require(Role.OFFICER)
        with Session(self.designation.registry.engine) as session:
            return [_info(u) for u in session.scalars(select(User).order_by(User.id))]

    def revoke(self, actor: Actor, name: str) -> UserInfo:
        """Void the user's token at once (officers only). The last officer with a valid
        token is not revoked: nobody could manage users after it."""
        actor.require(Role.OFFICER)
        now = datetime.now(UTC)
        with self.designation.transaction() as session:
            user = self._user(session, name)
            if user.revoked_at is not None:
                raise UserStateError(f"{name}'s token is revoked already")
            if user.role == Role.OFFICER.value and not self._other_officer(session, user, now):
                raise UserStateError(
                    f"{name} is the only officer with a valid token; add or rotate another "
                    "officer first"
                )
            user.revoked_at = now
            self.designation.audit(
                session, actor.name, "user.revoked", f"user:{name}", {"role": user.role}
            )
            session.flush()
            return _info(user)

    def rotate(self, actor: Actor | None, name: str) -> Rotated:
        """A new token for the user (returned once); the old one stops working at once.
        A user rotates its own token, an officer anyone's (a revoked user's too, which
        reinstates it). Without an actor (the command line only) only when no officer
        holds a valid token, so an expired officer token is not the end of the registry."""
        if actor is not None and actor.name != name:
            actor.require(Role.OFFICER)
        token = new_token()
        now = datetime.now(UTC)
        expires = expiry(now)
        with self.designation.transaction() as session:
            user = self._user(session, name)
            by = actor.name if actor is not None else RECOVERY
            if actor is None:
                if user.role != Role.OFFICER.value:
                    raise PermissionDeniedError(
                        f"rotating {name}'s token needs an officer's token or {name}'s own"
                    )
                if self._other_officer(session, None, now):
                    raise PermissionDeniedError(
                        f"rotating {name}'s token needs an officer's token or {name}'s own "
                        "(without one only when no officer holds a valid token)"
                    )
            reinstated = user.revoked_at is not None
            user.token_hash = token_hash(token)
            user.token_expires_at = expires
            user.revoked_at = None
            self.designation.audit(
                session,
                by,
                "user.rotated",
                f"user:{name}",
                {
                    "token_expires_at": expires.isoformat() if expires else None,
                    "reinstated": reinstated,
                },
            )
        return Rotated(token, expires)

    @staticmethod
    def _user(session: Session, name: str) -> User:
        user = session.scalar(select(User).where(User.name == name).with_for_update())
        if user is None:
            known = ", ".join(session.scalars(select(User.name).order_by(User.id))) or "none"
            raise NotFoundError(f"no user {name!r}; users: {known}")
        return user

    @staticmethod
    def _other_officer(session: Session, but: User | None, now: datetime) -> bool:
        """Whether an officer other than ``but`` holds a valid token."""
        officers = session.scalars(select(User).where(User.role == Role.OFFICER.value))
        return any(_valid(o, now) for o in officers if but is None or o.id != but.id)
