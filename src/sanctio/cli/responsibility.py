"""``sanctio designation`` commands for incidents, posts and candidates.

``register(designation_app)`` adds them to the designation commands.
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctio.cli import display
from sanctio.cli.common import (
    JsonOption,
    TokenOption,
    open_workflow,
    parse_date,
    print_json,
    signed_in,
    user_errors,
)
from sanctio.designation.responsibility import KINDS, NOTICE, Responsibility
from sanctio.designation.responsibility_types import Candidate, Holding, IncidentSource
from sanctio.designation.workflow import file_sha256
from sanctio.errors import InputError


def _hashed(file: Path, option: str) -> str:
    if not file.is_file():
        raise InputError(option, f"{file}: not a file; expected the stored file to hash")
    return file_sha256(file)


def register(app: typer.Typer) -> None:
    """Add the incident, occupancy and candidate commands to ``app``."""

    def responsibility(ctx: typer.Context) -> Responsibility:
        return Responsibility(open_workflow(ctx))

    @app.command("body-add")
    def body_add(
        ctx: typer.Context,
        code: str,
        name: Annotated[str, typer.Option(help="The body's name.")],
        kind: Annotated[str, typer.Option(help=f"One of {', '.join(KINDS)}.")],
        parent: Annotated[str | None, typer.Option(help="Code of the body it answers to.")] = None,
        election_date: Annotated[
            str | None,
            typer.Option("--date", help="An election commission's election date (YYYY-MM-DD)."),
        ] = None,
        token: TokenOption = None,
    ) -> None:
        """Record a body in charge: a security unit, ministry or election commission."""
        with user_errors():
            rights = responsibility(ctx)
            actor = signed_in(rights.workflow, token)
            on = parse_date(election_date, "--date") if election_date else None
            number = rights.add_body(actor, code, name, kind, parent, on)
        typer.echo(f"body {code} recorded (id {number})")

    @app.command("occupancy-add")
    def occupancy_add(
        ctx: typer.Context,
        start: Annotated[str, typer.Option(help="First day in post (YYYY-MM-DD).")],
        source: Annotated[str, typer.Option(help="Who says so (decree, register, report).")],
        end: Annotated[
            str | None, typer.Option(help="Last day in post (YYYY-MM-DD); none: no end known.")
        ] = None,
        person_id: Annotated[
            int | None, typer.Option(help="A recorded person (instead of --person).")
        ] = None,
        person: Annotated[
            list[str] | None,
            typer.Option(help="The holder's name in any script (repeat; the first is primary)."),
        ] = None,
        birth_date: Annotated[str | None, typer.Option(help="YYYY[-MM[-DD]].")] = None,
        post_id: Annotated[
            int | None, typer.Option(help="A recorded post (instead of --body and --post).")
        ] = None,
        body: Annotated[str | None, typer.Option(help="The body's code.")] = None,
        post: Annotated[str | None, typer.Option(help="The post's title, e.g. Commander.")] = None,
        rank: Annotated[
            int | None, typer.Option(help="A new post's rank; 1 is the head of the body.")
        ] = None,
        body_name: Annotated[str, typer.Option(help="A new body's name.")] = "",
        body_kind: Annotated[str, typer.Option(help="A new body's kind.")] = "",
        parent: Annotated[str | None, typer.Option(help="A new body's parent code.")] = None,
        evidence_file: Annotated[
            Path | None, typer.Option(help="A stored document; its SHA-256 is kept.")
        ] = None,
        token: TokenOption = None,
    ) -> None:
        """Record who held a post from when to when. Give ids, or names: the body,
        post and person are then created as needed (same name and birth date: same
        person)."""
        with user_errors():
            rights = responsibility(ctx)
            actor = signed_in(rights.workflow, token)
            since = parse_date(start, "--start")
            until = parse_date(end, "--end") if end else None
            sha = _hashed(evidence_file, "--evidence-file") if evidence_file else None
            if person_id is not None and post_id is not None:
                number = rights.add_occupancy(actor, person_id, post_id, since, until, source, sha)
                typer.echo(f"occupancy {number} recorded")
                return
            if person_id is not None or post_id is not None:
                raise InputError(
                    "--person-id/--post-id",
                    "give both ids, or the names (--person, --body, --post)",
                )
            if not person or not body or not post:
                raise InputError("--person/--body/--post", "each is needed when no ids are given")
            holding = Holding(
                body_code=body,
                post=post,
                rank=rank,
                person_names=tuple(person),
                start=since,
                source=source,
                end=until,
                birth_date=birth_date,
                body_name=body_name,
                body_kind=body_kind,
                parent_code=parent,
                evidence_sha256=sha,
            )
            held = rights.add_holding(actor, holding)
        typer.echo(
            f"occupancy {held.id} recorded: {held.person} (person {held.person_id}) as "
            f"{held.post} of {held.body} (post {held.post_id})"
        )

    @app.command("roster-import")
    def roster_import(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A roster CSV (see docs/designation.md).")],
        as_json: JsonOption = False,
        token: TokenOption = None,
    ) -> None:
        """Import occupancies from a roster CSV, all rows or none: a bad row is named by
        its line and column and nothing of the file is stored."""
        with user_errors():
            rights = responsibility(ctx)
            result = rights.import_roster(signed_in(rights.workflow, token), file)
        if as_json:
            print_json(result.to_dict())
            return
        created = ", ".join(f"{n} {what}" for what, n in sorted(result.created.items()))
        typer.echo(
            f"{result.path}: {len(result.occupancies)} occupancies recorded, "
            f"{result.unchanged} already recorded" + (f"; new: {created}" if created else "")
        )

    @app.command("incident-add")
    def incident_add(
        ctx: typer.Context,
        occurred: Annotated[
            str, typer.Option("--date", help="When: YYYY-MM-DD or YYYY-MM-DDTHH:MM.")
        ],
        place: Annotated[str, typer.Option(help="Where.")],
        description: Annotated[str, typer.Option(help="What happened.")],
        body: Annotated[list[str], typer.Option(help="Code of a body involved (repeat).")],
        source_file: Annotated[
            list[Path], typer.Option(help="A stored source file, hashed (repeat, with --source).")
        ],
        source: Annotated[
            list[str], typer.Option(help="What the source file is (one per --source-file).")
        ],
        victims: Annotated[int | None, typer.Option(help="Number of victims.")] = None,
        detainees: Annotated[int | None, typer.Option(help="Number of detainees.")] = None,
        restricted: Annotated[
            bool, typer.Option(help="The sources are visible only to cleared roles.")
        ] = False,
        token: TokenOption = None,
    ) -> None:
        """Record an incident of violence with the bodies involved and its sources;
        prints its number."""
        with user_errors():
            if len(source_file) != len(source):
                raise InputError(
                    "--source-file/--source",
                    f"{len(source_file)} files and {len(source)} descriptions; give one "
                    "--source for each --source-file, in the same order",
                )
            sensitivity = "restricted" if restricted else "public"
            sources = [
                IncidentSource(text, _hashed(path, "--source-file"), sensitivity)
                for path, text in zip(source_file, source, strict=True)
            ]
            rights = responsibility(ctx)
            number = rights.record_incident(
                signed_in(rights.workflow, token),
                occurred,
                place,
                description,
                body,
                sources,
                victims,
                detainees,
            )
        typer.echo(f"incident {number} recorded")

    @app.command("incident-source-add")
    def incident_source_add(
        ctx: typer.Context,
        incident: int,
        file: Annotated[Path, typer.Argument(help="The stored source file; its SHA-256 is kept.")],
        source: Annotated[str, typer.Option(help="What the file is.")],
        restricted: Annotated[bool, typer.Option(help="Visible only to cleared roles.")] = False,
        token: TokenOption = None,
    ) -> None:
        """Add a further source to a recorded incident."""
        with user_errors():
            given = IncidentSource(
                source, _hashed(file, "FILE"), "restricted" if restricted else "public"
            )
            rights = responsibility(ctx)
            number = rights.add_incident_source(signed_in(rights.workflow, token), incident, given)
        typer.echo(f"incident {incident}: source {number} added")

    @app.command("incident")
    def incident_show(
        ctx: typer.Context, incident: int, as_json: JsonOption = False, token: TokenOption = None
    ) -> None:
        """An incident with its bodies and sources (restricted ones only if cleared)."""
        with user_errors():
            rights = responsibility(ctx)
            found = rights.incident(signed_in(rights.workflow, token), incident)
        if as_json:
            print_json(found.to_dict())
            return
        counts = ", ".join(
            f"{label}: {'unknown' if n is None else n}"
            for label, n in (("victims", found.victims), ("detainees", found.detainees))
        )
        typer.echo(f"incident {found.id}, {found.occurred_at}, {found.place} ({counts})")
        typer.echo(found.description)
        typer.echo("bodies involved: " + ", ".join(f"{n} ({c})" for c, n in found.bodies))
        table = Table(title=f"Sources of incident {found.id}", title_justify="left")
        for column in ("source", "description", "sha256", "sensitivity"):
            table.add_column(column)
        for item in found.sources:
            table.add_row(str(item.number), item.source, item.sha256[:16], item.sensitivity)
        display.console().print(table)

    @app.command("candidates")
    def candidates(
        ctx: typer.Context,
        incident: Annotated[
            int | None, typer.Option(help="The officials in charge at this incident.")
        ] = None,
        commission: Annotated[
            str | None, typer.Option(help="The members of this commission (its code).")
        ] = None,
        on: Annotated[
            str | None,
            typer.Option(help="With --commission: the date (default: its election date)."),
        ] = None,
        as_json: JsonOption = False,
        token: TokenOption = None,
    ) -> None:
        """Who held the posts in charge on the date, with the chain of reasoning. They
        are leads for a human decision, not findings: no dossier is created."""
        with user_errors():
            if (incident is None) == (commission is None):
                raise InputError("--incident/--commission", "give exactly one of them")
            if on is not None and commission is None:
                raise InputError("--on", "only with --commission; an incident has its own date")
            rights = responsibility(ctx)
            actor = signed_in(rights.workflow, token)
            if incident is not None:
                found = rights.candidates_for_incident(actor, incident)
                about: dict[str, object] = {"incident": incident}
            else:
                assert commission is not None
                day = parse_date(on, "--on") if on else None
                found = rights.candidates_for_commission(actor, commission, day)
                about = {"commission": commission, "on": day.isoformat() if day else None}
        if as_json:
            print_json({**about, "candidates": [c.to_dict() for c in found], "note": NOTICE})
            return
        _print_candidates(found)
        typer.echo(NOTICE)

    @app.command("propose-candidate")
    def propose_candidate(
        ctx: typer.Context,
        person_id: int,
        regime: str,
        criterion: Annotated[int, typer.Option(help="The regime's criterion relied on.")],
        reasons: Annotated[str, typer.Option(help="The statement of reasons.")],
        token: TokenOption = None,
    ) -> None:
        """Propose a dossier for a candidate: your decision, on your reasons."""
        with user_errors():
            rights = responsibility(ctx)
            number = rights.propose_from_candidate(
                signed_in(rights.workflow, token), regime, person_id, criterion, reasons
            )
        typer.echo(f"dossier {number} proposed for person {person_id}")


def _print_candidates(found: list[Candidate]) -> None:
    table = Table(title="Candidates", title_justify="left")
    for column in ("#", "person", "name", "post", "body", "since", "until", "dossier"):
        table.add_column(column)
    for number, c in enumerate(found, 1):
        table.add_row(
            str(number),
            str(c.person_id),
            c.name,
            c.post,
            c.body,
            c.since.isoformat(),
            c.until.isoformat() if c.until else "-",
            str(c.dossier_id) if c.dossier_id is not None else "none",
        )
    console = display.console()
    console.print(table)
    for number, c in enumerate(found, 1):
        typer.echo(f"{number}. {c.name}")
        for sentence in c.reasoning:
            typer.echo(f"   -> {sentence}")
