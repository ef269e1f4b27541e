"""The ``sanctio`` command: one Typer app, one function per command, no logic of its own.

Every command opens the registry named by ``--db`` or SANCTIO_DB (default: an SQLite
file in the user's data directory) and reports user errors as one clear line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from sanctio import settings
from sanctio.cli import display
from sanctio.cli.common import (
    EXIT_STATUS,
    JsonOption,
    TokenOption,
    print_json,
    registry,
    user_errors,
)
from sanctio.cli.designation import audit_app, designation_app, users_app
from sanctio.cli.forensics import forensics_app
from sanctio.cli.keys import keys_app
from sanctio.cli.serve import register as register_serve
from sanctio.errors import InputError
from sanctio.lists import FORMATS, read_list
from sanctio.lists.writers import ExportFormat
from sanctio.screening.scorer import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from sanctio.registry import Registry
    from sanctio.screening import Screener

app = typer.Typer(
    help="Sanctio: sanctions lists from evidence to publication, and screening against them.",
    epilog=EXIT_STATUS,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
lists_app = typer.Typer(
    help="Versioned sanctions lists. Without a command: every list with its current "
    "version, entity counts and import time. Commands import files, show versions, "
    "compare and export them.",
    epilog=EXIT_STATUS,
)
app.add_typer(lists_app, name="lists")
app.add_typer(designation_app, name="designation")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.add_typer(forensics_app, name="forensics")
register_serve(app)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Registry database URL (sqlite:///FILE or postgresql+psycopg://...). "
            "Default: SANCTIO_DB, else sanctio.db in the user's data directory.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Sanctio: sanctions lists from evidence to publication, and screening against them."""
    ctx.obj = settings.load(db)


def load_index(ctx: typer.Context, list_names: list[str] | None) -> Screener:
    """The screening index of the named lists (default: all), saved in the data
    directory after its first use so later commands load it instead of rebuilding."""
    from sanctio.screening.cache import load_screener

    config: settings.Settings = ctx.obj
    return load_screener(registry(ctx), list_names or None, config.data_dir / "index")


@lists_app.callback(invoke_without_command=True)
def lists_overview(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show every list with its current version, entity counts and import time."""
    if ctx.invoked_subcommand is not None:
        if as_json:
            raise typer.BadParameter(
                f"put --json after the command: sanctio lists {ctx.invoked_subcommand} ... --json",
                param_hint="--json",
            )
        return
    with user_errors():
        items = registry(ctx).lists()
    if as_json:
        print_json([item.to_dict() for item in items])
    elif not items:
        display.console().print("No lists yet. Add one with: sanctio lists import PATH")
    else:
        display.console().print(display.lists_table(items))


@lists_app.command("import")
def lists_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The list file to read.", show_default=False)],
    name: Annotated[
        str | None,
        typer.Option(help="List name. Default: from the file, e.g. eu-32006R0765."),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(help=f"File format; default: detected. One of: {', '.join(FORMATS)}."),
    ] = None,
    allow_removals: Annotated[
        bool,
        typer.Option(
            "--allow-removals",
            help="Store the version even if it removes more of the list's entities than "
            "SANCTIO_MAX_REMOVAL_SHARE allows (default 10%); recorded in the audit trail.",
        ),
    ] = False,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a list file as a new immutable version of the named list.

    Unchanged content creates no new version. A file with an error is refused whole
    and the current version stays in force. Data-quality problems of a file read all
    the same (a row skipped, a target without a name) are counted in the summary and
    printed as warnings on stderr (the first 20; --json gives all in its warnings list).

    Refused, naming what is wrong: a list published here by adoption (it changes only
    through the designation workflow); a file of another format or regulation than
    the list's; entity ids another list holds; a version that removes more than 10%
    of the list's entities (SANCTIO_MAX_REMOVAL_SHARE) unless --allow-removals is
    given. Every new version is recorded in the audit trail, as the user of --token
    (or SANCTIO_TOKEN) if given, else as the login name (os:NAME).
    """
    out = display.console(stderr=as_json)
    with user_errors():
        with out.status(f"Reading {path.name}…"):
            parsed = read_list(path, format)
        store = registry(ctx)
        actor = _token_user(store, token)
        columns = (TextColumn("Storing"), BarColumn(), MofNCompleteColumn())
        err = display.console(stderr=True)
        # no bar where nobody sees it: it would leave a blank line before an error
        bar_shown = err.is_terminal
        with Progress(*columns, console=err, transient=True, disable=not bar_shown) as bar:
            task = bar.add_task("store", total=len(parsed.entities))
            result = store.import_list(
                parsed,
                name,
                progress=lambda done, _total: bar.update(task, completed=done),
                allow_removals=allow_removals,
                actor=actor,
            )
    info = result.version
    warned = display.warnings_count(len(parsed.warnings))
    errors = display.console(stderr=True)
    for line in display.warning_lines(parsed.warnings):
        errors.print(line, soft_wrap=True)
    if as_json:
        print_json(
            {
                "created": result.created,
                "previous": result.previous,
                **info.to_dict(),
                "removed": [{"id": i, "caption": c} for i, c in result.removed],
                "removals_allowed": result.removals_allowed,
                "warnings": parsed.warnings,
            }
        )
    elif result.created:
        out.print(
            f"[green]Imported[/] {info.name} version {info.version}: {info.entities} entities "
            f"({', '.join(f'{k} {v}' for k, v in info.by_schema.items())}){warned}",
            soft_wrap=True,
        )
        if result.removals_allowed:
            out.print(
                f"Removed {len(result.removed)} entities of version {result.previous}, "
                "allowed by --allow-removals (recorded in the audit trail).",
                soft_wrap=True,
            )
        if result.previous:
            out.print(f"See what changed: sanctio lists diff {info.name}")
    else:
        out.print(
            f"Unchanged: {path.name} has the same content as {info.name} version "
            f"{info.version}; no new version created{warned}.",
            soft_wrap=True,
        )


def _token_user(store: Registry, token: str | None) -> str | None:
    """The name of the user whose token is given (--token, else SANCTIO_TOKEN), for the
    audit trail; None without a token (the login name is recorded then). A token that
    is given must be valid."""
    given = token or settings.token()
    if not given:
        return None
    from sanctio.designation.workflow import Designation

    return Designation(store).authenticate(given).name


@lists_app.command("show")
def lists_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="List name.", show_default=False)],
    version: Annotated[int | None, typer.Option(help="Version number; default: current.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show one version of a list: entity counts by schema, source and import time."""
    with user_errors():
        store = registry(ctx)
        info = store.version(name, version)
        versions = store.versions(name)
    if as_json:
        print_json(info.to_dict())
    else:
        display.console().print(display.version_panel(info, versions))


@lists_app.command("versions")
def lists_versions(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="List name.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """List every version of a list, oldest first."""
    with user_errors():
        versions = registry(ctx).versions(name)
    if as_json:
        print_json([v.to_dict() for v in versions])
    else:
        display.console().print(display.versions_table(versions))


@lists_app.command("diff")
def lists_diff(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="List name.", show_default=False)],
    old: Annotated[
        int | None, typer.Argument(help="Older version; default: the one before.")
    ] = None,
    new: Annotated[int | None, typer.Argument(help="Newer version; default: current.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show entities added, removed and changed (with old and new values) between versions."""
    with user_errors():
        diff = registry(ctx).diff(name, old, new)
    if as_json:
        print_json(diff.to_dict())
    else:
        display.console().print(display.diff_view(diff))


@lists_app.command("export")
def lists_export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="List name.", show_default=False)],
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="ftm-json: FollowTheMoney entity JSON, one per line; targets-simple-csv: "
            "OpenSanctions' targets.simple.csv, one row per target; annex-html: a page with "
            "the table as the Official Journal prints it; eu-fsf-xml: EU Financial "
            "Sanctions Files XML.",
            show_default=False,
        ),
    ],
    version: Annotated[int | None, typer.Option(help="Version number; default: current.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write (a regular file or a new one; - for standard output). "
            "Default: standard output.",
            show_default=False,
        ),
    ] = None,
    token: TokenOption = None,
) -> None:
    """Export one version of a list as FtM JSON, OpenSanctions CSV, annex HTML or EU XML.

    The output is complete or absent: a file is written under a temporary name and
    renamed when done, and nothing reaches standard output unless the export succeeded.
    Only a regular file is replaced: a FIFO, device, folder or symbolic link at --out
    is refused. Exporting a list published here is recorded in the audit trail, as the
    user of --token (or SANCTIO_TOKEN) if given, else as the login name (os:NAME).
    """
    from sanctio.lists import writers

    if out is not None and str(out) == "-":
        out = None
    err = display.console(stderr=True)
    with user_errors():
        store = registry(ctx)
        info = store.version(name, version)
        actor = _token_user(store, token) if info.origin == "published" else None
        with err.status(f"Exporting {info.name} version {info.version}…"):
            entities = store.entities(info.name, info.version)
            title = f"{info.name}, version {info.version}"
            if out is None:
                writers.export_stdout(format, entities, title)
            else:
                writers.export_file(format, entities, out, title)
            where = "stdout" if out is None else str(out.resolve())
            store.record_export(info.name, info.version, format, where, actor)
    if out is not None:
        err.print(
            f"Exported {info.name} version {info.version} ({info.entities} entities, "
            f"{info.records} records) as {format} to {out}",
            soft_wrap=True,
        )


@app.command("entity")
def entity(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="Entity id.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Show one entity: every spelling, identifiers, sanctions, and the versions holding it."""
    with user_errors():
        view = registry(ctx).entity(entity_id)
    if as_json:
        print_json(
            {
                "entity": view.entity.to_dict(),
                "related": [e.to_dict() for e in view.related],
                "list": view.list_name,
                "version": view.version,
                "appearances": view.appearances,
                "current": view.current,
            }
        )
    else:
        display.console().print(display.entity_view(view))


ThresholdOption = Annotated[
    float | None,
    typer.Option(help=f"Alert at or above this score (0..1). Default: {DEFAULT_THRESHOLD}."),
]


@app.command("screen")
def screen(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="The name to screen, in any script.", show_default=False)
    ],
    birth_date: Annotated[
        str | None, typer.Option(help="Birth date YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Nationality or country, code or name.")
    ] = None,
    schema: Annotated[
        str,
        typer.Option(help="Person, Organization, Company, Vessel...; by default any kind (Thing)."),
    ] = "Thing",
    threshold: ThresholdOption = None,
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 10,
    list_names: Annotated[
        list[str] | None,
        typer.Option("--list", help="Screen against this list only (repeatable). Default: all."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Screen one name against the current version of every list, best matches first.

    Each result has its score, whether it alerts, and a one-line explanation.
    """
    from sanctio.screening import Query, QueryError

    with user_errors():
        try:
            query = Query.make(name, schema=schema, birth_date=birth_date, country=country)
        except QueryError as exc:
            raise InputError("query", str(exc)) from None
        screener = load_index(ctx, list_names)
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        matches = screener.screen(query, cutoff, limit)
    if as_json:
        print_json({"query": name, "threshold": cutoff, "results": [m.to_dict() for m in matches]})
    else:
        display.console().print(display.matches_table(name, matches, cutoff))


@app.command("compare")
def compare_names(
    a: Annotated[str, typer.Argument(help="First name.", show_default=False)],
    b: Annotated[str, typer.Argument(help="Second name.", show_default=False)],
    schema: Annotated[str, typer.Option(help="Person, Organization, LegalEntity...")] = "Person",
    threshold: ThresholdOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare two names: score, whether they match, and why."""
    from sanctio.screening import QueryError, compare

    with user_errors():
        try:
            result = compare(a, b, schema, DEFAULT_THRESHOLD if threshold is None else threshold)
        except QueryError as exc:
            raise InputError("query", str(exc)) from None
    if as_json:
        print_json(
            {
                "a": a,
                "b": b,
                "score": result.score,
                "match": result.match,
                "explanation": result.explanation,
            }
        )
    else:
        verdict = "[bold red]match[/]" if result.match else "[green]no match[/]"
        display.console().print(f"{result.score:.2f} {verdict}: {result.explanation}")


@app.command("screen-file")
def screen_file(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header: id,name[,birth_date,country,schema].", show_default=False
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write one JSON object per row.")],
    threshold: ThresholdOption = None,
    limit: Annotated[int, typer.Option(help="At most this many matches a row.")] = 10,
    workers: Annotated[int | None, typer.Option(help="Processes; default: every core.")] = None,
    list_names: Annotated[
        list[str] | None,
        typer.Option("--list", help="Screen against this list only (repeatable). Default: all."),
    ] = None,
) -> None:
    """Screen every row of a CSV file; write {"id", "matches": [...]} per row to --out.

    A bad row is reported with its line number and written as {"id", "line", "error"};
    the rest of the file is still screened.
    """
    from sanctio.screening.batch import screen_file as run

    err = display.console(stderr=True)
    with user_errors():
        screener = load_index(ctx, list_names)
        columns = (TextColumn("Screening"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task("screen", total=None)
            summary = run(
                screener,
                source,
                out,
                DEFAULT_THRESHOLD if threshold is None else threshold,
                limit,
                workers,
                progress=lambda done: bar.update(task, completed=done),
                on_error=lambda line, error: err.print(
                    f"{source}, line {line}: {error}", soft_wrap=True
                ),
            )
    display.console(stderr=True).print(
        f"Screened {summary.rows} rows: {summary.with_matches} with matches, "
        f"{summary.errors} refused. Results in {out}"
    )


@app.command("demo")
def demo(
    ctx: typer.Context,
    scenario: Annotated[
        str,
        typer.Argument(
            help="tour: the bundled EU Belarus list imported, shown and screened; "
            "belarus-2020: the 2020 listings replayed through the designation workflow; "
            "forensics: the bundled independent count reconciled with the protocols."
        ),
    ] = "tour",
    keep: Annotated[
        bool, typer.Option(help="Keep an existing demo database instead of starting fresh.")
    ] = False,
    into: Annotated[
        str | None,
        typer.Option(
            "--into",
            metavar="URL",
            help="Write into this registry instead of the demo's own database: the tour "
            "imports its list; belarus-2020 needs a registry without users; forensics "
            "records its findings as the user of --token (officer or proposer).",
            show_default=False,
        ),
    ] = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a demo on the bundled real data in a fresh SQLite registry of its own.

    Always demo.db (tour) or belarus-2020.db (belarus-2020, forensics) in the data
    directory, never the registry of --db or SANCTIO_DB: a demo adds nothing to the
    registry you work with unless you name it with --into.
    """
    config: settings.Settings = ctx.obj
    if config.db_configured and into is None:
        display.console(stderr=True).print(
            "note: the demo uses its own database in the data directory, not --db or "
            "SANCTIO_DB; --into URL writes into another registry",
            soft_wrap=True,
        )
    with user_errors():
        if scenario == "tour":
            from sanctio.demo import run_demo

            run_demo(display.console(), into, not keep)
        elif scenario == "belarus-2020":
            from sanctio.demo import run_belarus_2020

            result = run_belarus_2020(display.console(), into, not keep, quiet=as_json)
            if as_json:
                print_json(result.to_dict())
            if not result.audit_ok:
                raise typer.Exit(1)
        elif scenario == "forensics":
            from sanctio.demo import run_forensics_demo

            given = token or settings.token()
            summary = run_forensics_demo(display.console(), into, given, quiet=as_json)
            if as_json:
                print_json(summary)
        else:
            raise InputError("SCENARIO", f"{scenario!r}; expected tour, belarus-2020 or forensics")
