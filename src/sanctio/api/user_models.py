"""Bodies of the users endpoints beyond adding one (``routers/lifecycle.py``): a user
as an officer sees it, never with its token, and a rotated token, shown once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from sanctio.designation.auth import Role
from sanctio.designation.users import MAX_NAME, UserNameError, check_name, name_pattern


def _user_name(value: str) -> str:
    """``users.check_name`` as a field validator: its message, as a 422."""
    try:
        return check_name(value)
    except UserNameError as exc:
        raise ValueError(exc.message) from None


#: A user's name: 1 to 100 characters, no control or bidirectional character, no
#: space at either end (it is shown in the audit log and on pages as who acted).
UserName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_NAME,
        description="Unique; recorded in the audit trail with each action. No control, "
        "format or bidirectional characters, no space at either end.",
        examples=["eeas"],
        # described for clients and schema-driven tests; checked by ``_user_name``, whose
        # refusal names the character (a pattern's would only repeat the pattern)
        json_schema_extra={"pattern": name_pattern()},
    ),
    AfterValidator(_user_name),
]


class UserStatusOut(BaseModel):
    """A user and the state of its token; the token itself is never shown again."""

    name: str = Field(examples=["delegate-de"])
    role: Role
    member_state: str | None = Field(examples=["DE"])
    state: Literal["active", "expired", "revoked"] = Field(
        description="active: the token works; expired: its day has passed (rotate it); "
        "revoked: voided by an officer."
    )
    created_at: datetime
    token_expires_at: datetime | None = Field(
        description="When the token stops working (SANCTIO_TOKEN_DAYS after it was "
        "given); null: never."
    )
    revoked_at: datetime | None


class RotatedOut(BaseModel):
    """A new token, in this answer only: the old one no longer works."""

    name: str = Field(examples=["delegate-de"])
    token: str = Field(examples=["sanctio_Q2hvb3NlIGEgZ29vZCB0b2tlbiBhbmQga2VlcCBpdA"])
    token_expires_at: datetime | None
