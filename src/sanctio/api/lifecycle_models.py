"""Request and response bodies of the users, list and after-listing endpoints
(``routers/lifecycle.py``): the ``sanctio users add`` and ``sanctio designation``
commands' arguments, under the names their ``--json`` output and the workflow use.

Dates, act numbers and free text are bounded as in ``own_models``, so a request the
database or the calendar cannot hold is a 422, never a failure inside the workflow.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from sanctio.api.own_models import (
    ACT_GIVEN,
    ActNumber,
    Day,
    Name,
    RequestModel,
    Said,
    act_given,
)
from sanctio.api.user_models import UserName
from sanctio.designation.auth import Role
from sanctio.designation.consensus import load_member_states
from sanctio.designation.lifecycle import SUBMISSIONS

#: The member states a delegate may speak for: the workflow's own table.
STATE_CODES = sorted(state.code for state in load_member_states())


def _member_state(value: str) -> str:
    if value not in STATE_CODES:
        raise ValueError(f"expected a member state's code, one of {', '.join(STATE_CODES)}")
    return value


MemberState = Annotated[
    str,
    AfterValidator(_member_state),
    Field(
        json_schema_extra={"enum": STATE_CODES},
        description="The member state's code, upper case.",
        examples=["DE"],
    ),
]
#: What a listed person (or a lawyer) may send: the lifecycle's ``SUBMISSIONS``.
SubmissionKind = Literal["observations", "reconsideration_request"]
assert set(get_args(SubmissionKind)) == set(SUBMISSIONS)
#: Most items one list request returns.
MAX_PAGE = 100
DossierStatus = Literal["proposed", "in_package", "listed", "delisted"]
PackageStatus = Literal["draft", "circulated", "adopted"]


# -- users ----------------------------------------------------------------------------


class UserIn(RequestModel):
    """A user of the workflow: one role and, for a delegate, the state it speaks for."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"name": "delegate-de", "role": "delegate", "member_state": "DE"},
                {"name": "eeas", "role": "proposer"},
            ],
            # a delegate needs its member state; nobody else has one
            "if": {"properties": {"role": {"const": Role.DELEGATE.value}}, "required": ["role"]},
            "then": {
                "required": ["member_state"],
                "properties": {"member_state": {"type": "string"}},
            },
            "else": {"properties": {"member_state": {"type": "null"}}},
        },
    )

    name: UserName
    role: Role = Field(description="What the user may do.")
    member_state: MemberState | None = Field(
        default=None, description="The member state a delegate speaks for (delegates only)."
    )

    @model_validator(mode="after")
    def _state(self) -> UserIn:
        if self.role is Role.DELEGATE and self.member_state is None:
            raise ValueError("a delegate needs the member state it speaks for (member_state)")
        if self.role is not Role.DELEGATE and self.member_state is not None:
            raise ValueError("only a delegate speaks for a member state")
        return self


class UserOut(BaseModel):
    name: str = Field(examples=["eeas"])
    role: Role
    member_state: str | None = Field(examples=[None])
    token: str = Field(
        description="The user's token, shown this once: only its SHA-256 is kept, so a "
        "lost token is replaced (`POST /users/{name}/rotate`).",
        examples=["sanctio_Q2hvb3NlIGEgZ29vZCB0b2tlbiBhbmQga2VlcCBpdA"],
    )


# -- after listing ----------------------------------------------------------------------


class NotifyIn(RequestModel):
    on: Day = Field(description="The day the notification was sent or published.")
    method: Literal["letter", "official_journal_notice"] = Field(
        description="A letter where an address is known, else a notice in the Official "
        "Journal (C series)."
    )


class SubmissionIn(RequestModel):
    on: Day = Field(description="The day it was received.")
    kind: SubmissionKind
    summary: Said = Field(
        description="What the listed person submits.",
        examples=["Denies having commanded the unit on 10 August 2020."],
    )


class AmendIn(RequestModel):
    """A correction or amendment of a listed entry: a new statement of reasons, more
    spellings, or both; and the act(s) that decide it (at least one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "allOf": [
                {
                    "anyOf": [
                        {"required": ["reasons"], "properties": {"reasons": {"type": "string"}}},
                        {"required": ["add_names"], "properties": {"add_names": {"minItems": 1}}},
                    ]
                },
                ACT_GIVEN,
            ],
            "examples": [
                {
                    "on": "2020-12-01",
                    "add_names": ["Ivan Ivanavich PIATROU"],
                    "decision_number": "2020/2130",
                }
            ],
        },
    )

    on: Day = Field(description="The day of the amendment and publication.")
    decision_number: ActNumber | None = None
    regulation_number: ActNumber | None = None
    reasons: Said | None = Field(
        default=None,
        max_length=65000,  # FtM's longest text: the published Sanction's reason
        description="The new statement of reasons.",
    )
    add_names: list[Name] = Field(
        default_factory=list,
        max_length=100,
        description="Spellings to add (aliases), in any script.",
    )

    @model_validator(mode="after")
    def _change(self) -> AmendIn:
        if self.reasons is None and not self.add_names:
            raise ValueError("an amendment needs a change: reasons or add_names")
        act_given(self.decision_number, self.regulation_number, "an amendment")
        return self


class DueReviewOut(BaseModel):
    """A listing whose periodic review falls due soon, or is late."""

    dossier: int = Field(examples=[1])
    caption: str = Field(examples=["Ivan Ivanovich PETROV"])
    listed_on: date | None
    review_due: date | None
    overdue: bool = Field(description="The review was due before `on`.")

    @classmethod
    def from_due(cls, due: dict[str, Any]) -> DueReviewOut:
        return cls.model_validate(
            {**due, "listed_on": due["listed_on"] or None, "review_due": due["review_due"] or None}
        )


class RenewIn(RequestModel):
    on: Day = Field(description="The day of the renewal decision: before the term ends.")
    decision_number: ActNumber = Field(description="The renewal decision's number.")


class RenewOut(BaseModel):
    regime: str = Field(examples=["BLR"])
    in_force_until: date = Field(description="The end of the new term.")


class OnIn(RequestModel):
    on: Day


class ExpireIn(RequestModel):
    on: Day = Field(description="The day the lapse is published: after the term ended.")
    notice_number: ActNumber = Field(
        description="The number of the notice that the listings lapsed (a published list "
        "changes only by a numbered act)."
    )


class ExpireOut(BaseModel):
    regime: str = Field(examples=["BLR"])
    list_version: int | None = Field(
        description="The list version without the lapsed entries; None when none was listed."
    )


class AppliedOut(BaseModel):
    versions: dict[str, int] = Field(
        description="The new list version of each regime with a delisting that took effect.",
        examples=[{"BLR": 3}],
    )
