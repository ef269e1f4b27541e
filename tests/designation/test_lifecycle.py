"""After listing: review dates, notification and submissions, amendments, renewal,
expiry, and delisting (an annulment only after the appeal period)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctio.designation.consensus import Position
from sanctio.designation.lifecycle import Ground, Lifecycle, ReviewOutcome, appeal_period_end
from sanctio.designation.workflow import Designation, WorkflowError
from sanctio.registry import Registry
from sanctio.registry.audit import verify
from sanctio.screening import Query, Screener

from .test_workflow import OFFICER, circulated_package, delegate

LISTED = date(2020, 10, 2)
ACTS = {"implementing decision": "D-2", "implementing regulation": "R-2"}


@pytest.fixture
def listed(workflow: Designation) -> tuple[Lifecycle, list[int]]:
    package, dossiers, content = circulated_package(workflow)
    for state in workflow.states:
        workflow.record_position(delegate(state.code), package, Position.agree, content)
    workflow.adopt(OFFICER, package, LISTED, "D-1", "R-1")
    return Lifecycle(workflow), dossiers


def targets(registry: Registry) -> set[str]:
    return {e.id for e in registry.entities("sanctio-blr") if e.target}


def test_listing_sets_the_review_and_the_term(
    listed: tuple[Lifecycle, list[int]], registry: Registry
) -> None:
    lifecycle, dossiers = listed
    due = lifecycle.reviews_due(date(2021, 9, 15))
    assert [(d.dossier, d.review_due, d.overdue) for d in due] == [
        (dossiers[0], "2021-10-02", False),
        (dossiers[1], "2021-10-02", False),
    ]
    assert lifecycle.reviews_due(date(2021, 8, 1)) == []
    assert all(d.overdue for d in lifecycle.reviews_due(date(2021, 10, 3)))
    lifecycle.notify(OFFICER, dossiers[0], date(2020, 10, 5), "letter")
    lifecycle.submission(OFFICER, dossiers[0], date(2020, 11, 1), "reconsideration_request",
                         "asks to be delisted")  # fmt: skip
    lifecycle.review(OFFICER, dossiers[0], date(2021, 2, 1), ReviewOutcome.MAINTAIN, "still chair")
    kinds = [event["kind"] for event in lifecycle.history(dossiers[0])]
    assert kinds == ["notified", "reconsideration_request", "reviewed"]
    remaining = lifecycle.reviews_due(date(2021, 10, 1))
    assert [d.dossier for d in remaining] == [dossiers[1]]  # the reviewed one: next in 2022
    assert verify(registry.engine).ok


def test_an_amendment_publishes_a_new_version_with_the_new_spelling(
    listed: tuple[Lifecycle, list[int]], registry: Registry
) -> None:
    lifecycle, dossiers = listed
    version = lifecycle.amend(OFFICER, dossiers[1], date(2021, 3, 1), ACTS,
                              add_names=["Юрий Хаджимуратович КАРАЕВ"])  # fmt: skip
    assert version == 2
    screener = Screener.from_registry(registry, ["sanctio-blr"])
    found = screener.screen(Query.make("Юрий Хаджимуратович Караев"))
    assert found[0].entity.id == "sanctio-blr-2"
    diff = registry.diff("sanctio-blr")
    assert [change["id"] for change in diff.changed] == ["sanctio-blr-2"]
    with pytest.raises(WorkflowError, match="exists already"):
        lifecycle.amend(OFFICER, dossiers[0], date(2021, 3, 2), ACTS, reasons="new reasons")
    assert registry.version("sanctio-blr").version == 2  # the refused amendment left nothing


def test_delisting_by_review_takes_effect_at_once(
    listed: tuple[Lifecycle, list[int]], registry: Registry
) -> None:
    lifecycle, dossiers = listed
    version = lifecycle.review(OFFICER, dossiers[1], date(2021, 2, 1), ReviewOutcome.DELIST,
                               "no longer in post", ACTS)  # fmt: skip
    assert version == 2
    assert targets(registry) == {"sanctio-blr-1"}
    assert [e["id"] for e in registry.diff("sanctio-blr").removed] == ["sanctio-blr-2"]


def test_an_annulment_waits_for_the_appeal_period(
    listed: tuple[Lifecycle, list[int]], registry: Registry
) -> None:
    lifecycle, dossiers = listed
    judgment = date(2021, 3, 10)
    assert lifecycle.delist(OFFICER, dossiers[0], judgment, Ground.ANNULMENT, ACTS,
                            judgment="T-123/21") is None  # fmt: skip
    assert "sanctio-blr-1" in targets(registry)
    effective = appeal_period_end(judgment)
    assert effective == date(2021, 5, 20)
    assert lifecycle.apply_due(OFFICER, effective - timedelta(days=1)) == {}
    assert lifecycle.apply_due(OFFICER, effective) == {"BLR": 2}
    assert targets(registry) == {"sanctio-blr-2"}
    with pytest.raises(WorkflowError, match="needs the judgment"):
        lifecycle.delist(OFFICER, dossiers[1], judgment, Ground.ANNULMENT, {"x": "y"})


def test_renewal_extends_the_term_and_without_it_listings_expire(
    listed: tuple[Lifecycle, list[int]], registry: Registry
) -> None:
    lifecycle, _ = listed
    with pytest.raises(WorkflowError, match="in force until 2021-02-28"):
        lifecycle.expire(OFFICER, "BLR", date(2021, 2, 1), "N-1")
    until = lifecycle.renew(OFFICER, "BLR", date(2021, 2, 25), "Decision (CFSP) 2021/264")
    assert until == date(2022, 2, 28)
    with pytest.raises(WorkflowError, match="expired on 2022-02-28"):
        lifecycle.renew(OFFICER, "BLR", date(2022, 3, 1), "Decision (CFSP) 2022/1")
    version = lifecycle.expire(OFFICER, "BLR", date(2022, 3, 1), "N-1")
    assert version == 2
    assert targets(registry) == set()


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_the_appeal_period_is_two_months_and_ten_days(judgment: date) -> None:
    end = appeal_period_end(judgment)
    assert 69 <= (end - judgment).days <= 72
    assert end - timedelta(days=10) >= judgment
