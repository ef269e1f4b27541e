"""One report with every test on one election: the same content as JSON and as a
self-contained HTML page (plots embedded), with method notes, citations, the rows
left out and why, and a summary in plain words."""

from __future__ import annotations

import base64
import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctio.errors import SanctioError
from sanctio.forensics.digits import digit_tests, plot_digits
from sanctio.forensics.fingerprint import fit, plot_fingerprint
from sanctio.forensics.integer import integer_test
from sanctio.forensics.plots import plot_integer_percents
from sanctio.forensics.precincts import Precincts
from sanctio.forensics.reconcile import IndependentCount, reconcile
from sanctio.forensics.shpilkin import anomalous_votes, plot_shpilkin
from sanctio.forensics.summary import candidate_shares, turnout

CITATIONS = {
    "integer-test": 'D. Kobak, S. Shpilkin, M. S. Pshenichnikov, "Integer percentages as '
    'electoral falsification fingerprints", Annals of Applied Statistics 10(1), 54-73, 2016.',
    "fingerprint": 'P. Klimek, Y. Yegorov, R. Hanel, S. Thurner, "Statistical detection of '
    'systematic election irregularities", PNAS 109(41), 16469-16473, 2012.',
    "anomalous-votes": 'D. Kobak, S. Shpilkin, M. S. Pshenichnikov, "Statistical fingerprints '
    "of electoral fraud?\", Significance 13(4), 20-23, 2016 (Shpilkin's method).",
    "digits": "W. R. Mebane, \"Election forensics: the second-digit Benford's law test and "
    'recent American presidential elections", 2006; B. Beber, A. Scacco, "What the numbers '
    'say: a digit-based test for election fraud", Political Analysis 20(2), 211-234, 2012.',
    "reconcile": "Precinct-by-precinct comparison of the protocol with an independent count "
    "(voters' registrations and photographs of ballots): no statistical assumption.",
}
PRINCIPLE = (
    "Every result here is evidence about election protocols, not about persons. A "
    "statistical anomaly says a protocol is unlikely to be an honest count; a "
    "contradiction says it is not one. Neither names who falsified it: a person enters a "
    "dossier only through a human decision in the designation workflow."
)


@dataclass
class Report:
    source: str
    sha256: str
    format: str
    leader: str
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    plots: dict[str, bytes] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    exclusions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": {"file": self.source, "sha256": self.sha256, "format": self.format},
            "leader": self.leader,
            "summary": self.summary,
            "principle": PRINCIPLE,
            "tests": self.sections,
            "citations": CITATIONS,
            "rows_excluded": self.exclusions,
        }


def build_report(
    p: Precincts,
    leader: int,
    count: IndependentCount | None = None,
    candidate: str = "tihanovkaja",
    draws: int = 1000,
    seed: int = 0,
    replicates: int = 5,
) -> Report:
    """Every test that the data allows; a test the data cannot feed says why."""
    name = p.candidates[leader]
    report = Report(Path(p.source).name, p.sha256, p.format, name)
    report.exclusions = [e.to_dict() for e in p.excluded]
    report.sections["totals"] = {
        "precincts": len(p),
        "turnout": round(turnout(p), 4) if (p.ballots_issued >= 0).all() else None,
        "shares": {k: round(v, 4) for k, v in candidate_shares(p).items()},
    }
    with tempfile.TemporaryDirectory() as folder:
        plot = Path(folder) / "plot.png"

        def run(key: str, test: Callable[[], Any], draw: Callable[[], Any] | None) -> Any:
            try:
                result = test()
            except (ValueError, KeyError, SanctioError) as exc:  # data cannot feed it
                report.sections[key] = {"skipped": str(exc)}
                return None
            report.sections[key] = result.to_dict()
            if draw is not None:
                draw()
                report.plots[key] = plot.read_bytes()
            return result

        integer = run(
            "integer-test",
            lambda: integer_test(p, leader, draws, seed),
            lambda: plot_integer_percents(p, leader, plot),
        )
        fingerprint = run(
            "fingerprint",
            lambda: fit(p, leader, replicates=replicates, seed=seed),
            lambda: plot_fingerprint(p, leader, plot),
        )
        anomalous = run(
            "anomalous-votes",
            lambda: anomalous_votes(p, leader),
            lambda: plot_shpilkin(p, leader, plot),
        )
        run("digits", lambda: digit_tests(p, leader), lambda: plot_digits(p, leader, plot))
    contradictions = reconcile(count, candidate) if count is not None else None
    if contradictions is not None:
        data = contradictions.to_dict()
        data["contradictions"] = data["contradictions"][
            :50
        ]  # the worst; all in --json of reconcile
        report.sections["reconcile"] = data
    report.summary = _summary(report, integer, fingerprint, anomalous, contradictions)
    return report


def _summary(
    report: Report, integer: Any, fingerprint: Any, anomalous: Any, contradictions: Any
) -> list[str]:
    lines = []
    totals = report.sections["totals"]
    shares = ", ".join(f"{k} {v:.1%}" for k, v in list(totals["shares"].items())[:3])
    lines.append(f"{totals['precincts']} precincts read; on them: {shares}.")
    if contradictions is not None:
        lines.append(
            f"The independent count contradicts {contradictions.contradicted_by_photos} of "
            f"{contradictions.with_protocol} published protocols for {contradictions.candidate}: "
            "more voters showed a photo of their ballot than the protocol credits. This needs "
            "no statistics."
        )
    if integer is not None:
        strength = "far more" if integer.z > 5 else "more" if integer.z > 2 else "about as many"
        lines.append(
            f"{integer.observed} precincts report a turnout or {report.leader}'s share on a "
            f"whole percent, {strength} than the {integer.expected:.0f} expected by chance "
            f"(excess {integer.excess:.0f}, z = {integer.z:.1f}): round numbers are what "
            "written-in results look like."
        )
    if anomalous is not None and anomalous.anomalous_votes <= 0:
        lines.append(
            "Shpilkin's method finds no votes above what the clean precincts' turnout "
            f"predicts for {report.leader} (estimate {anomalous.anomalous_votes:,.0f})."
        )
    elif anomalous is not None:
        lines.append(
            f"Shpilkin's method attributes about {anomalous.anomalous_votes:,.0f} of "
            f"{report.leader}'s votes ({anomalous.share_of_leader_votes:.0%}) to turnout "
            "above what clean precincts show, under the assumptions stated with it."
        )
    if fingerprint is not None:
        lines.append(
            f"The fingerprint model fits incremental fraud in {fingerprint.f_i:.0%} and "
            f"extreme fraud in {fingerprint.f_e:.1%} of precincts: a qualitative reading."
        )
    lines.append(PRINCIPLE)
    return lines


def render_html(report: Report) -> str:
    """A self-contained page: text escaped, plots embedded as PNG data."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Election forensics: {e(report.source)}</title>",
        "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
        "pre{background:#f6f6f6;padding:8px;overflow:auto}.note{color:#555}</style>",
        "</head><body>",
        f"<h1>Election forensics: {e(report.source)}</h1>",
        f"<p>Input: <code>{e(report.source)}</code> ({e(report.format)}), SHA-256 "
        f"<code>{e(report.sha256)}</code>. Candidate tested: {e(report.leader)}.</p>",
        "<h2>Summary</h2><ul>",
        *(f"<li>{e(line)}</li>" for line in report.summary),
        "</ul>",
    ]
    for key, section in report.sections.items():
        parts.append(f"<h2 id='{e(key)}'>{e(key)}</h2>")
        if key in CITATIONS:
            parts.append(f"<p class='note'>Method: {e(CITATIONS[key])}</p>")
        if key in report.plots:
            data = base64.b64encode(report.plots[key]).decode()
            parts.append(
                f"<img alt='{e(key)} plot' style='max-width:100%' "
                f"src='data:image/png;base64,{data}'>"
            )
        parts.append(_section_html(section))
    parts.append(
        f"<h2>Rows left out ({len(report.exclusions)})</h2><table>"
        "<tr><th>precinct</th><th>line</th><th>reason</th></tr>"
    )
    for row in report.exclusions[:500]:
        parts.append(
            f"<tr><td>{e(str(row['precinct']))}</td><td>{e(str(row['line']))}</td>"
            f"<td>{e(str(row['reason']))}</td></tr>"
        )
    parts.append("</table>")
    if len(report.exclusions) > 500:
        parts.append(f"<p>... and {len(report.exclusions) - 500} more (see the JSON).</p>")
    parts.append(f"<p class='note'>{e(PRINCIPLE)}</p></body></html>")
    return "\n".join(parts)


def _section_html(section: dict[str, Any]) -> str:
    e = html.escape
    rows = []
    for key, value in section.items():
        if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
            shown = "<ul>" + "".join(f"<li>{e(v)}</li>" for v in value) + "</ul>"
        elif isinstance(value, dict | list):
            text = repr(value)
            shown = f"<pre>{e(text[:2000])}{'...' if len(text) > 2000 else ''}</pre>"
        else:
            shown = e(str(value))
        rows.append(f"<tr><th>{e(key)}</th><td>{shown}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"
