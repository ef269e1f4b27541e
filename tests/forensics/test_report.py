"""The report: every test the data allows, one page, the same content as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sanctio.forensics.fingerprint import ModelParams, simulate
from sanctio.forensics.reconcile import load_golos
from sanctio.forensics.report import PRINCIPLE, build_report, render_html


def test_report_on_a_simulated_election_holds_every_test_and_escapes_names() -> None:
    rng = np.random.default_rng(7)
    p = simulate(3000, 0.2, 0.02, ModelParams(0.55, 0.07, 0.5, 0.06), rng)
    p.candidates = ["<script>alert(1)</script>", "Others"]
    p.source = "simulated.csv"
    report = build_report(p, 0, draws=50, replicates=0)
    data = report.to_dict()
    assert set(data["tests"]) == {
        "totals",
        "integer-test",
        "fingerprint",
        "anomalous-votes",
        "digits",
    }
    assert data["tests"]["integer-test"]["draws"] == 50
    assert data["principle"] == PRINCIPLE
    json.dumps(data)  # JSON-ready all the way down
    page = render_html(report)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert page.count("data:image/png;base64,") == 4
    assert "Kobak" in page
    assert "Klimek" in page


def test_report_on_belarus_reconciles_and_says_what_it_cannot_test(
    shared_data: Path, tmp_path: Path
) -> None:
    from sanctio.forensics.loaders import load_precincts

    belarus = shared_data / "elections" / "belarus-2020"
    golos = load_golos(belarus / "golos-voice.csv")
    official_only = load_precincts(belarus / "golos-voice.csv")  # no ballots issued in it
    report = build_report(official_only, official_only.candidate_index(None), golos,
                          draws=20, replicates=0)  # fmt: skip
    tests = report.to_dict()["tests"]
    assert "skipped" in tests["integer-test"]
    assert "belarus-protocols" in tests["integer-test"]["skipped"]
    assert tests["reconcile"]["contradicted_by_photos"] == 441
    assert any("contradicts 441 of 1392" in line for line in report.summary)
