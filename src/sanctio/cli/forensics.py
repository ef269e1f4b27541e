"""``sanctio forensics``: statistical tests of precinct results, the independent count
against the protocols, findings per commission, and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sanctio.cli import display
from sanctio.cli.common import (
    EXIT_STATUS,
    JsonOption,
    TokenOption,
    open_workflow,
    parse_date,
    print_json,
    signed_in,
    user_errors,
)
from sanctio.errors import InputError

forensics_app = typer.Typer(
    help="Election forensics: prove falsification from precinct results, and turn each "
    "finding into evidence. A finding is evidence about a protocol, never an accusation.",
    epilog=EXIT_STATUS,
    no_args_is_help=True,
)

FileArgument = Annotated[
    Path,
    typer.Argument(help="Precinct results: Russian CEC zip/CSV, Belarus protocols, generic CSV."),
]
LeaderOption = Annotated[
    str | None,
    typer.Option(help="The candidate tested (name or part of it). Default: the top vote-getter."),
]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="Input format, when detection is not wanted.")
]
PlotOption = Annotated[Path | None, typer.Option(help="Also save a plot (PNG) here.")]
RecordOption = Annotated[
    bool,
    typer.Option(
        help="Store each contradicted or anomalous precinct as a finding (needs an officer's "
        "or proposer's token)."
    ),
]


def _load(path: Path, fmt: str | None) -> Any:
    from sanctio.forensics.loaders import load_precincts

    if not path.exists():
        raise InputError(path, "no such file")
    return load_precincts(path, fmt)


@forensics_app.command("reconcile")
def reconcile_command(
    ctx: typer.Context,
    count_file: Annotated[Path, typer.Argument(help="The independent count (Golos export).")],
    candidate: Annotated[
        str, typer.Option(help="Whose official votes are checked.")
    ] = "tihanovkaja",
    protocols: Annotated[
        Path | None,
        typer.Option(help="Published protocols (CSV): also print each candidate's share on them."),
    ] = None,
    record: RecordOption = False,
    token: TokenOption = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
) -> None:
    """Precincts whose protocol credits a candidate with fewer votes than voters proved
    with photos of their ballots (or registered): contradicted without statistics."""
    from sanctio.designation.findings import Findings
    from sanctio.forensics.findings import NOT_AN_ACCUSATION, reconcile_findings
    from sanctio.forensics.reconcile import load_golos, reconcile
    from sanctio.forensics.summary import candidate_shares

    with user_errors():
        if not count_file.exists():
            raise InputError(count_file, "no such file")
        count = load_golos(count_file)
        result = reconcile(count, candidate)
        if plot:
            from sanctio.forensics.plots import plot_reconcile
            from sanctio.forensics.reconcile import UNKNOWN

            index = count.candidate_index(candidate)
            known = count.official[:, index] != UNKNOWN
            plot_reconcile(
                count.official[known, index].tolist(),
                count.photos[known, index].tolist(),
                result.candidate,
                plot,
            )
        shares = candidate_shares(_load(protocols, None)) if protocols else None
        recorded = None
        if record:
            workflow = open_workflow(ctx)
            actor = signed_in(workflow, token)
            recorded = Findings(workflow).record(
                actor,
                "reconcile",
                {"candidate": candidate},
                count_file.name,
                count.sha256,
                reconcile_findings(result),
            )
    data = result.to_dict()
    if shares is not None:
        data["protocol_shares"] = shares
    if recorded is not None:
        data["findings_recorded"] = {"added": recorded[0], "already_recorded": recorded[1]}
    if as_json:
        print_json(data)
        return
    out = display.console()
    out.print(
        f"[bold]{result.candidate}[/]: of {result.with_protocol} precincts with a published "
        f"protocol, [bold]{result.contradicted_by_photos}[/] are contradicted by photos of "
        f"ballots and {result.contradicted_by_registrations} by registered votes "
        f"({len(result.excluded)} rows excluded)."
    )
    table = Table(title="Most contradicted protocols", title_justify="left")
    for column in ("precinct", "official", "photos", "registered", "missing at least"):
        table.add_column(column, justify="right")
    for c in result.contradictions[:10]:
        table.add_row(
            c.precinct, str(c.official), str(c.photos), str(c.registered), str(c.missing_at_least)
        )
    out.print(table)
    if shares is not None:
        out.print("Shares on the published protocols (of ballots found in the boxes):")
        for name, share in shares.items():
            out.print(f"  {name}: {share:.1%}")
    if recorded is not None:
        out.print(f"Findings recorded: {recorded[0]} new, {recorded[1]} already recorded.")
    out.print(f"[dim]{NOT_AN_ACCUSATION}[/]")


@forensics_app.command("commissions")
def commissions_command(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option(help="Members in post on this date (default: election date).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Commissions with findings, most first; their members where a roster was imported."""
    from sanctio.designation.auth import Actor, Role
    from sanctio.designation.findings import Findings
    from sanctio.forensics.findings import NOT_AN_ACCUSATION

    with user_errors():
        day = parse_date(on, "--on") if on else None
        listed = Findings(open_workflow(ctx)).commissions(Actor("reader", Role.VIEWER), day)
    if as_json:
        print_json({"commissions": [c.to_dict() for c in listed], "note": NOT_AN_ACCUSATION})
        return
    table = Table(title="Commissions with findings", title_justify="left")
    for column in ("commission", "findings", "persons of interest (roster)"):
        table.add_column(column)
    for c in listed:
        members = "; ".join(f"{m.name} ({m.post})" for m in c.members)
        table.add_row(
            c.code,
            "; ".join(f"{f.id} {f.method}" for f in c.findings),
            members or ("none in post" if c.roster else "no roster imported"),
        )
    display.console().print(table)
    display.console().print(f"[dim]{NOT_AN_ACCUSATION}[/]")


@forensics_app.command("cite")
def cite_command(ctx: typer.Context, finding: int, dossier: int, token: TokenOption = None) -> None:
    """Add a stored finding to a dossier as an evidence item."""
    from sanctio.designation.findings import Findings

    with user_errors():
        workflow = open_workflow(ctx)
        actor = signed_in(workflow, token)
        number, version = Findings(workflow).cite(actor, dossier, finding)
    typer.echo(f"dossier {dossier}: evidence item {number} version {version} (finding {finding})")


@forensics_app.command("integer-test")
def integer_command(
    ctx: typer.Context,
    file: FileArgument,
    leader: LeaderOption = None,
    draws: Annotated[int, typer.Option(help="Monte-Carlo draws for the expected count.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same result).")] = 0,
    fmt: FormatOption = None,
    plot: PlotOption = None,
    record: RecordOption = False,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Excess of precincts whose turnout or leader's share is a whole percent, against
    binomial simulations (Kobak, Shpilkin & Pshenichnikov, Ann. Appl. Stat. 2016)."""
    from sanctio.designation.findings import Findings
    from sanctio.forensics.findings import integer_findings
    from sanctio.forensics.integer import integer_test
    from sanctio.forensics.plots import plot_integer_percents

    with user_errors():
        precincts = _load(file, fmt)
        index = _candidate(precincts, leader)
        result = _progress(lambda: integer_test(precincts, index, draws, seed), "drawing")
        if plot:
            plot_integer_percents(precincts, index, plot)
        recorded = None
        if record:
            workflow = open_workflow(ctx)
            actor = signed_in(workflow, token)
            params = {
                "leader": result.leader,
                "draws": draws,
                "seed": seed,
                "tolerance": result.tolerance,
            }
            recorded = Findings(workflow).record(
                actor,
                "integer-test",
                params,
                file.name,
                precincts.sha256,
                integer_findings(precincts, index, result),
            )
    data = result.to_dict()
    data["input"] = {
        "file": file.name,
        "sha256": precincts.sha256,
        "format": precincts.format,
        "rows_excluded": [e.to_dict() for e in precincts.excluded],
    }
    if recorded is not None:
        data["findings_recorded"] = {"added": recorded[0], "already_recorded": recorded[1]}
    if as_json:
        print_json(data)
        return
    out = display.console()
    out.print(
        f"[bold]{result.leader}[/] on {file.name}: {result.observed} integer precincts "
        f"observed, {result.expected:.1f} expected (sd {result.sd:.1f}) → excess "
        f"[bold]{result.excess:.0f}[/], z = {result.z:.1f}, p = {result.p_value:.3g} "
        f"({result.precincts_used} precincts used, {draws} draws, seed {seed})"
    )
    excluded = ", ".join(f"{n} {why}" for why, n in result.excluded.items() if n)
    out.print(f"Excluded: {excluded or 'none'}; {len(precincts.excluded)} unreadable rows.")
    table = Table(title="Regions by excess", title_justify="left")
    for column in ("region", "precincts", "observed", "expected", "excess"):
        table.add_column(column, justify="right")
    for row in sorted(result.per_region, key=lambda r: -(r["excess"] or 0))[:15]:
        table.add_row(
            str(row["region"]),
            str(row["precincts"]),
            str(row["observed"]),
            f"{row['expected']:.1f}",
            f"{row['excess']:.1f}",
        )
    out.print(table)
    if recorded is not None:
        out.print(f"Findings recorded: {recorded[0]} new, {recorded[1]} already recorded.")


def _candidate(precincts: Any, name: str | None) -> int:
    try:
        return int(precincts.candidate_index(name))
    except KeyError as exc:
        raise InputError("--leader", str(exc.args[0])) from None


def _progress(work: Any, label: str) -> Any:
    """Run ``work`` with a spinner on stderr: the simulations take seconds."""
    with display.console(stderr=True).status(f"{label}..."):
        return work()


@forensics_app.command("fingerprint")
def fingerprint_command(
    file: FileArgument,
    leader: LeaderOption = None,
    replicates: Annotated[
        int, typer.Option(help="Bootstrap refits for the uncertainty (0: none, fastest).")
    ] = 10,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    fmt: FormatOption = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fit the election fingerprint model (Klimek et al., PNAS 2012): shares of precincts
    with incremental (f_i) and extreme (f_e) fraud. A qualitative reading."""
    from sanctio.forensics.fingerprint import fit, plot_fingerprint

    with user_errors():
        precincts = _load(file, fmt)
        index = _candidate(precincts, leader)
        result = _progress(
            lambda: fit(precincts, index, replicates=replicates, seed=seed), "fitting"
        )
        if plot:
            plot_fingerprint(precincts, index, plot)
    if as_json:
        print_json(result.to_dict())
        return
    out = display.console()
    out.print(
        f"[bold]{result.leader}[/]: f_i = {result.f_i:.2f} (±{result.f_i_sd:.2f}), "
        f"f_e = {result.f_e:.3f} (±{result.f_e_sd:.3f}) over {replicates} replicates; "
        f"{result.n_used} precincts used, {result.n_excluded} left out."
    )
    for note in result.notes:
        out.print(f"[dim]- {note}[/]")


@forensics_app.command("anomalous-votes")
def anomalous_command(
    file: FileArgument,
    leader: LeaderOption = None,
    fmt: FormatOption = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
) -> None:
    """Shpilkin's estimate of the leader's votes above what the turnout of clean
    precincts predicts, with the method's assumptions."""
    from sanctio.forensics.shpilkin import anomalous_votes, plot_shpilkin

    with user_errors():
        precincts = _load(file, fmt)
        index = _candidate(precincts, leader)
        result = anomalous_votes(precincts, index)
        if plot:
            plot_shpilkin(precincts, index, plot)
    if as_json:
        print_json(result.to_dict())
        return
    out = display.console()
    out.print(
        f"[bold]{result.leader}[/]: about {result.anomalous_votes:,.0f} anomalous votes "
        f"({result.share_of_leader_votes:.1%} of {result.leader_votes:,}); clean turnout peak "
        f"{result.clean_turnout_peak:.1%}, clean share {result.clean_share:.1%}."
    )
    out.print("Assumptions:")
    for line in result.assumptions:
        out.print(f"  - {line}")


@forensics_app.command("digits")
def digits_command(
    file: FileArgument,
    candidate: Annotated[
        str | None, typer.Option(help="Whose counts (default: the top vote-getter).")
    ] = None,
    fmt: FormatOption = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
) -> None:
    """Secondary tests: second-digit Benford mean (2BL), last-digit uniformity and
    last-two-digit pairs (Beber & Scacco)."""
    from sanctio.forensics.digits import digit_tests, plot_digits

    with user_errors():
        precincts = _load(file, fmt)
        index = _candidate(precincts, candidate)
        result = digit_tests(precincts, index)
        if plot:
            plot_digits(precincts, index, plot)
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    out = display.console()
    out.print(f"[bold]{result.candidate}[/] (secondary tests)")
    for key in ("second_digit", "last_digit", "pairs"):
        values: dict[str, Any] = data[key]  # type: ignore[assignment]
        shown = ", ".join(f"{k} {v}" for k, v in values.items() if not isinstance(v, list | dict))
        out.print(f"  {key}: {shown}")
    for note in result.notes:
        out.print(f"[dim]- {note}[/]")


@forensics_app.command("report")
def report_command(
    file: FileArgument,
    out: Annotated[Path, typer.Option("--out", help="The HTML report to write.")],
    independent_count: Annotated[
        Path | None, typer.Option(help="Also reconcile this independent count (Golos export).")
    ] = None,
    candidate: Annotated[
        str, typer.Option(help="Whose protocol figures the independent count checks.")
    ] = "tihanovkaja",
    leader: LeaderOption = None,
    draws: Annotated[int, typer.Option(help="Monte-Carlo draws of the integer test.")] = 1000,
    replicates: Annotated[int, typer.Option(help="Fingerprint bootstrap refits.")] = 3,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every test in one self-contained HTML page (and the same content as JSON with
    --json): plots, method notes with citations, rows left out, a plain summary."""
    from sanctio.forensics.reconcile import load_golos
    from sanctio.forensics.report import build_report, render_html

    with user_errors():
        precincts = _load(file, fmt)
        index = _candidate(precincts, leader)
        count = load_golos(independent_count) if independent_count else None
        report = _progress(
            lambda: build_report(precincts, index, count, candidate, draws, seed, replicates),
            "running every test",
        )
        temporary = out.with_name(out.name + ".tmp")
        temporary.write_text(render_html(report), encoding="utf-8")
        temporary.replace(out)
    if as_json:
        print_json(report.to_dict())
        return
    for line in report.summary:
        typer.echo(f"- {line}")
    typer.echo(f"Report written to {out}")
