"""``sanctio designation``, ``sanctio users`` and ``sanctio audit``: the designation
workflow from the command line. Every command that changes something needs a token
(``--token`` or SANCTIO_TOKEN) whose user has the right role."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from sanctio import settings
from sanctio.cli import display
from sanctio.cli.common import (
    EXIT_STATUS,
    JsonOption,
    TokenOption,
    open_workflow,
    parse_date,
    print_json,
    registry,
    signed_in,
    user_errors,
)
from sanctio.cli.responsibility import register
from sanctio.designation.auth import Role
from sanctio.designation.consensus import Decision, Position, Rule
from sanctio.designation.lifecycle import Ground, Lifecycle, ReviewOutcome
from sanctio.designation.workflow import Designation, file_sha256, regime_list_name
from sanctio.errors import InputError
from sanctio.model import Entity

if TYPE_CHECKING:
    from sanctio.registry.checkpoints import CheckpointVerification

designation_app = typer.Typer(
    help="Dossiers with evidence, packages, member states' positions and adoption.",
    epilog=EXIT_STATUS,
    no_args_is_help=True,
)
users_app = typer.Typer(
    help="Users of the designation workflow and their tokens.", epilog=EXIT_STATUS
)
audit_app = typer.Typer(
    help="The append-only, hash-chained record of every designation action.",
    epilog=EXIT_STATUS,
    no_args_is_help=True,
)

# -- users --------------------------------------------------------------------


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: str,
    role: Annotated[Role, typer.Option(help="What the user may do.")],
    state: Annotated[
        str | None, typer.Option(help="The member state a delegate speaks for (code).")
    ] = None,
    token: TokenOption = None,
) -> None:
    """Add a user and print its token, once (only a hash is kept). The first user
    needs no token and must be an officer; after that an officer's token is needed."""
    with user_errors():
        workflow = open_workflow(ctx)
        given = token or settings.token()
        actor = workflow.authenticate(given) if given else None
        new = workflow.add_user(actor, name, role, state.upper() if state else None)
    typer.echo(new)


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOption = False, token: TokenOption = None) -> None:
    """Every user: role, member state, whether its token is active, expired or
    revoked, and until when it is valid (never the tokens). Needs an officer's token."""
    with user_errors():
        workflow = open_workflow(ctx)
        found = workflow.users.list(signed_in(workflow, token))
    now = datetime.now(UTC)
    if as_json:
        print_json([user.to_dict(now) for user in found])
        return
    table = Table(title="Users", title_justify="left")
    for column in ("name", "role", "member state", "token", "expires", "revoked"):
        table.add_column(column)
    for user in found:
        table.add_row(
            user.name,
            user.role,
            user.member_state or "",
            user.state(now),
            f"{user.token_expires_at:%Y-%m-%d}" if user.token_expires_at else "never",
            f"{user.revoked_at:%Y-%m-%d %H:%M}" if user.revoked_at else "",
        )
    display.console().print(table)


@users_app.command("revoke")
def users_revoke(ctx: typer.Context, name: str, token: TokenOption = None) -> None:
    """Void a user's token at once, on every command, API request and web page
    (officers only; recorded in the audit chain). `users rotate` gives a new one."""
    with user_errors():
        workflow = open_workflow(ctx)
        workflow.users.revoke(signed_in(workflow, token), name)
    display.console(stderr=True).print(f"Revoked {name}'s token.")


@users_app.command("rotate")
def users_rotate(ctx: typer.Context, name: str, token: TokenOption = None) -> None:
    """Print a new token for the user, once; the old one stops working at once. Your
    own token, or anyone's with an officer's (a revoked user's too, reinstating it).
    With no token at all only an officer's, and only when no officer holds a valid
    token (they all expired): whoever can run this on the database may."""
    with user_errors():
        workflow = open_workflow(ctx)
        given = token or settings.token()
        actor = workflow.authenticate(given) if given else None
        new = workflow.users.rotate(actor, name)
    typer.echo(new.token)


# -- regimes, dossiers, evidence ----------------------------------------------


@designation_app.command("regime-add")
def regime_add(
    ctx: typer.Context,
    code: str,
    title: Annotated[str, typer.Option(help="What the regime is about.")],
    decision: Annotated[str, typer.Option(help="The CFSP Council Decision it rests on.")],
    regulation: Annotated[str, typer.Option(help="The Council Regulation it rests on.")],
    criterion: Annotated[
        list[str], typer.Option(help="A listing criterion (repeat, numbered in order).")
    ],
    measure: Annotated[list[str], typer.Option(help="A measure (repeat).")],
    renewal: Annotated[str, typer.Option(help="MM-DD the listings run until.")] = "02-28",
    token: TokenOption = None,
) -> None:
    """Create a regime with its legal basis, numbered criteria and measures."""
    with user_errors():
        workflow = open_workflow(ctx)
        actor = signed_in(workflow, token)
        workflow.create_regime(
            actor, code, title, decision, regulation, criterion, measure, renewal
        )
    typer.echo(f"regime {code} created; it publishes to list {regime_list_name(code)}")


@designation_app.command("propose")
def propose(
    ctx: typer.Context,
    regime: str,
    name: Annotated[
        list[str], typer.Option(help="A name in any script (repeat; the first is primary).")
    ],
    criterion: Annotated[int, typer.Option(help="The regime's criterion relied on.")],
    reasons: Annotated[str, typer.Option(help="The statement of reasons.")],
    schema: Annotated[str, typer.Option(help="Person, Organization, LegalEntity...")] = "Person",
    birth_date: Annotated[str | None, typer.Option(help="YYYY[-MM[-DD]].")] = None,
    birth_place: Annotated[str | None, typer.Option()] = None,
    nationality: Annotated[str | None, typer.Option(help="Country code.")] = None,
    position: Annotated[
        list[str] | None, typer.Option(help="A post held and since when (repeat).")
    ] = None,
    token: TokenOption = None,
) -> None:
    """Propose a person or entity for listing; prints the dossier number."""
    with user_errors():
        workflow = open_workflow(ctx)
        actor = signed_in(workflow, token)
        seed = "|".join([regime, *name, birth_date or ""])
        entity_id = f"{regime_list_name(regime)}-{hashlib.sha256(seed.encode()).hexdigest()[:12]}"
        entity = Entity.make(schema, entity_id, caption=name[0], target=True)
        try:
            entity.add("name", name[0])
            entity.add("alias", name[1:])
            if schema == "Person":
                entity.add("birthDate", birth_date)
                entity.add("birthPlace", birth_place)
                entity.add("nationality", nationality)
                entity.add("position", position or [])
            else:
                entity.add("country", nationality)
        except ValueError as exc:
            raise InputError("--name/--birth-date/--nationality", str(exc)) from None
        number = workflow.propose_dossier(actor, regime, entity, criterion, reasons)
    typer.echo(f"dossier {number} proposed: {name[0]} ({entity_id})")


@designation_app.command("evidence-add")
def evidence_add(
    ctx: typer.Context,
    dossier: int,
    file: Annotated[Path, typer.Argument(help="The stored file or capture; its SHA-256 is kept.")],
    source: Annotated[str, typer.Option(help="Where it comes from.")],
    description: Annotated[str, typer.Option(help="What it shows.")],
    collected_by: Annotated[str, typer.Option(help="Who collected it.")],
    collected_at: Annotated[str, typer.Option(help="When (YYYY-MM-DD).")],
    restricted: Annotated[bool, typer.Option(help="Visible only to cleared roles.")] = False,
    consent: Annotated[str, typer.Option(help="Consent constraints, if any.")] = "",
    supplements: Annotated[
        int | None, typer.Option(help="Add a new version of this item number instead.")
    ] = None,
    token: TokenOption = None,
) -> None:
    """Add a numbered evidence item to a dossier (or a new version of one)."""
    with user_errors():
        if not file.is_file():
            raise InputError(file, "not a file; expected the evidence file to hash")
        when = datetime.combine(
            parse_date(collected_at, "--collected-at"), datetime.min.time(), UTC
        )
        workflow = open_workflow(ctx)
        actor = signed_in(workflow, token)
        number, version = workflow.add_evidence(
            actor,
            dossier,
            source,
            description,
            file_sha256(file),
            when,
            collected_by,
            "restricted" if restricted else "public",
            consent,
            supplements,
        )
    typer.echo(f"dossier {dossier}: evidence item {number} version {version}")


@designation_app.command("evidence")
def evidence_list(
    ctx: typer.Context, dossier: int, as_json: JsonOption = False, token: TokenOption = None
) -> None:
    """A dossier's evidence items, every version (restricted ones only if cleared)."""
    with user_errors():
        workflow = open_workflow(ctx)
        items = workflow.evidence(signed_in(workflow, token), dossier)
    if as_json:
        print_json([item.to_dict() for item in items])
        return
    table = Table(title=f"Evidence of dossier {dossier}", title_justify="left")
    for column in ("item", "version", "source", "sha256", "collected", "sensitivity"):
        table.add_column(column)
    for item in items:
        table.add_row(
            str(item.number),
            str(item.version),
            item.source,
            item.sha256[:16],
            f"{item.collected_at[:10]} by {item.collected_by}",
            item.sensitivity,
        )
    display.console().print(table)


# -- packages, positions, adoption --------------------------------------------


@designation_app.command("package-create")
def package_create(
    ctx: typer.Context,
    regime: str,
    title: Annotated[str, typer.Option()],
    dossier: Annotated[list[int], typer.Option(help="A proposed dossier (repeat).")],
    rule: Annotated[Rule, typer.Option(help="Decision rule.")] = Rule.unanimity,
    token: TokenOption = None,
) -> None:
    """Put proposed dossiers into a package; prints its number."""
    with user_errors():
        workflow = open_workflow(ctx)
        number = workflow.create_package(signed_in(workflow, token), regime, title, dossier, rule)
    typer.echo(f"package {number} created")


@designation_app.command("hold-back")
def hold_back(ctx: typer.Context, package: int, dossier: int, token: TokenOption = None) -> None:
    """Take a dossier out of a package (it can go into a later one)."""
    with user_errors():
        workflow = open_workflow(ctx)
        workflow.hold_back(signed_in(workflow, token), package, dossier)
    typer.echo(f"dossier {dossier} held back from package {package}")


@designation_app.command("circulate")
def circulate(
    ctx: typer.Context,
    package: int,
    on: Annotated[str, typer.Option(help="Date of circulation (YYYY-MM-DD).")],
    deadline: Annotated[
        str | None, typer.Option(help="Written procedure deadline (YYYY-MM-DD).")
    ] = None,
    silence_is_agreement: Annotated[
        bool, typer.Option(help="After the deadline, no position counts as agreement.")
    ] = False,
    token: TokenOption = None,
) -> None:
    """Circulate a package to the member states; prints the content hash positions name."""
    with user_errors():
        workflow = open_workflow(ctx)
        content = workflow.circulate(
            signed_in(workflow, token),
            package,
            parse_date(on, "--on"),
            parse_date(deadline, "--deadline") if deadline else None,
            silence_is_agreement,
        )
    typer.echo(content)


@designation_app.command("position")
def position(
    ctx: typer.Context,
    package: int,
    value: Annotated[Position, typer.Argument(metavar="POSITION")],
    content_hash: Annotated[
        str, typer.Option("--hash", help="The content hash of the package you read.")
    ],
    statement: Annotated[
        str,
        typer.Option(help="Reason for a block; formal declaration of a constructive abstention."),
    ] = "",
    token: TokenOption = None,
) -> None:
    """Record your member state's position on a package; prints the decision so far.
    The position is dated today (the registry's clock), never by the delegate."""
    with user_errors():
        workflow = open_workflow(ctx)
        decision = workflow.record_position(
            signed_in(workflow, token), package, value, content_hash, statement
        )
    typer.echo(_decision_line(decision))


@designation_app.command("package")
def package_show(
    ctx: typer.Context,
    package: int,
    on: Annotated[str | None, typer.Option(help="Decide as of this date.")] = None,
    as_json: JsonOption = False,
) -> None:
    """A package's decision under its rule, and every member state's position."""
    with user_errors():
        workflow = open_workflow(ctx)
        decision = workflow.decision(package, parse_date(on, "--on") if on else None)
        positions = workflow.positions(package)
    if as_json:
        print_json({"decision": decision.to_dict(), "positions": positions})
        return
    typer.echo(_decision_line(decision))
    table = Table(title=f"Positions on package {package}", title_justify="left")
    for column in ("state", "position", "statement"):
        table.add_column(column)
    for state in workflow.states:
        found = positions.get(state.code)
        table.add_row(
            state.code, found["position"] if found else "-", found["statement"] if found else ""
        )
    display.console().print(table)


@designation_app.command("adopt")
def adopt(
    ctx: typer.Context,
    package: int,
    on: Annotated[str, typer.Option(help="Date of adoption and publication (YYYY-MM-DD).")],
    decision_number: Annotated[str, typer.Option(help="Implementing decision number.")],
    regulation_number: Annotated[str, typer.Option(help="Implementing regulation number.")],
    token: TokenOption = None,
) -> None:
    """Adopt an agreed package: legal acts and a new version of the published list."""
    with user_errors():
        workflow = open_workflow(ctx)
        version = workflow.adopt(
            signed_in(workflow, token),
            package,
            parse_date(on, "--on"),
            decision_number,
            regulation_number,
        )
    typer.echo(f"package {package} adopted; published list version {version}")


def _decision_line(decision: Decision) -> str:
    return f"{decision.outcome.value}: " + "; ".join(decision.reasons)


# -- audit ----------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            "--checkpoints",
            help="A file of checkpoints (from `audit checkpoints --out`) to check the chain "
            "against (default: the checkpoints stored in the database).",
            show_default=False,
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="The public key (PEM) the checkpoints must be signed with (default: the "
            "configured signing key's .pub).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check the audit chain: any edited, removed or reordered record is named. Then
    check it against signed checkpoints: a chain rewritten or emptied through the
    database disagrees with the checkpoints signed before, and the first such
    checkpoint is named. Exit status 1 when either check fails."""
    from sanctio.registry import signing
    from sanctio.registry.checkpoints import check, read_checkpoints

    with user_errors():
        given = read_checkpoints(checkpoints) if checkpoints is not None else None
        key = (
            signing.load_public_key(public_key)
            if public_key is not None
            else signing.configured_public_key()
        )
        result = check(registry(ctx).engine, given, key, str(checkpoints) if checkpoints else None)
    chain, anchored = result.chain, result.checkpoints
    if as_json:
        print_json(result.to_dict())
    else:
        if chain.ok:
            typer.echo(f"audit chain intact: {chain.records} records, head {chain.head_hash}")
        else:
            typer.echo(f"audit chain broken at record {chain.first_broken}: {chain.problem}")
        for line in _checkpoint_lines(anchored):
            typer.echo(line)
    if not result.ok:
        raise typer.Exit(1)


def _checkpoint_lines(anchored: CheckpointVerification) -> list[str]:
    """What ``audit verify`` says about the checkpoints, one line each."""
    if not anchored.checked:
        lines = [f"no checkpoints in {anchored.source}"]
    else:
        key = f" with key {anchored.key_id}" if anchored.key_id else ""
        seqs = ", ".join(str(c.seq) for c in anchored.checkpoints)
        verdict = "all agree" if anchored.ok else "TAMPERED"
        lines = [
            f"checkpoints from {anchored.source}{key}: {anchored.checked} checked "
            f"(records {seqs}): {verdict}"
        ]
    if anchored.first_disagreeing is not None:
        lines.append(
            f"the chain disagrees with the checkpoint of record {anchored.first_disagreeing}; "
            f"it agrees up to record {anchored.agrees_until}"
        )
    lines += [f"  {problem}" for problem in anchored.problems]
    lines += [f"note: {note}" for note in anchored.notes]
    return lines


@audit_app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    reason: Annotated[str, typer.Option(help="Why, in a few words.")] = "on request",
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Sign the audit head now with the signing key (officer). Refused when no key is
    configured (`sanctio keys init`) or when the chain is broken."""
    from sanctio.registry.checkpoints import request_checkpoint

    with user_errors():
        workflow = open_workflow(ctx)
        actor = signed_in(workflow, token)
        actor.require(Role.OFFICER)
        with workflow.transaction() as session:
            made = request_checkpoint(session.connection(), actor.name, reason)
    if as_json:
        print_json(made.to_dict())
    else:
        typer.echo(
            f"checkpoint {made.id}: record {made.seq}, head {made.head_hash}, signed with key "
            f"{made.key_id}"
        )


@audit_app.command("checkpoints")
def audit_checkpoints(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write them to this file (JSON lines, replaced atomically; a regular file "
            "only): keep it away from the database.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The signed checkpoints of the audit head, oldest first; with --out, exported to a
    file anyone can keep and check the chain against later (`audit verify
    --checkpoints FILE`)."""
    from sanctio.registry import signing
    from sanctio.registry.checkpoints import export_checkpoints, stored_checkpoints

    with user_errors():
        engine = registry(ctx).engine
        public = signing.configured_public_key()
        if out is not None:
            count = export_checkpoints(engine, out, public)
            typer.echo(f"{count} checkpoints written to {out}")
            return
        found = stored_checkpoints(engine)
    if as_json:
        print_json([c.to_dict() for c in found])
        return
    table = Table(title="Audit checkpoints", title_justify="left")
    for column in ("id", "record", "head hash", "signed at", "reason", "key id"):
        table.add_column(column)
    for c in found:
        table.add_row(
            str(c.id),
            str(c.seq),
            c.head_hash[:16] + "…",
            c.signed_at.isoformat(timespec="seconds"),
            c.reason,
            c.key_id[:16] + "…",
        )
    display.console().print(table)


@audit_app.command("log")
def audit_log(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option(help="Only the newest N records.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The audit records, oldest first."""
    from sanctio.registry.audit import entries

    with user_errors():
        records = entries(registry(ctx).engine, limit)
    if as_json:
        print_json([r.to_dict() for r in records])
        return
    table = Table(title="Audit log", title_justify="left")
    for column in ("seq", "at", "actor", "action", "subject"):
        table.add_column(column)
    for r in records:
        table.add_row(str(r.seq), r.at.isoformat(timespec="seconds"), r.actor, r.action, r.subject)
    display.console().print(table)


# -- after listing ----------------------------------------------------------------


def _lifecycle(ctx: typer.Context) -> tuple[Lifecycle, Designation]:
    workflow = open_workflow(ctx)
    return Lifecycle(workflow), workflow


def _acts(decision_number: str | None, regulation_number: str | None) -> dict[str, str]:
    acts = {"implementing decision": decision_number, "implementing regulation": regulation_number}
    return {kind: number for kind, number in acts.items() if number}


DecisionNumber = Annotated[
    str | None,
    typer.Option(
        help="Number of the Council implementing decision (a change to the published "
        "list needs this or --regulation-number)."
    ),
]
RegulationNumber = Annotated[
    str | None,
    typer.Option(
        help="Number of the Council implementing regulation (a change to the published "
        "list needs this or --decision-number)."
    ),
]
OnOption = Annotated[str, typer.Option("--on", help="Date (YYYY-MM-DD).")]


@designation_app.command("notify")
def notify(
    ctx: typer.Context,
    dossier: int,
    on: OnOption,
    method: Annotated[str, typer.Option(help="letter, or notice in the Official Journal.")],
    token: TokenOption = None,
) -> None:
    """Record the notification of a listed person."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        lifecycle.notify(signed_in(workflow, token), dossier, parse_date(on, "--on"), method)
    typer.echo(f"dossier {dossier}: notification recorded")


@designation_app.command("submission")
def submission(
    ctx: typer.Context,
    dossier: int,
    kind: Annotated[str, typer.Argument(help="observations or reconsideration_request")],
    on: OnOption,
    summary: Annotated[str, typer.Option(help="What the listed person submits.")],
    token: TokenOption = None,
) -> None:
    """Record observations or a request for reconsideration from a listed person."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        lifecycle.submission(
            signed_in(workflow, token), dossier, parse_date(on, "--on"), kind, summary
        )
    typer.echo(f"dossier {dossier}: {kind} recorded")


@designation_app.command("review")
def review(
    ctx: typer.Context,
    dossier: int,
    outcome: Annotated[ReviewOutcome, typer.Argument()],
    on: OnOption,
    note: Annotated[str, typer.Option(help="The grounds of the review's outcome.")] = "",
    decision_number: DecisionNumber = None,
    regulation_number: RegulationNumber = None,
    token: TokenOption = None,
) -> None:
    """Review a listing: maintain it (next review within 12 months) or delist it."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        version = lifecycle.review(
            signed_in(workflow, token),
            dossier,
            parse_date(on, "--on"),
            outcome,
            note,
            _acts(decision_number, regulation_number),
        )
    typer.echo(
        f"dossier {dossier}: {outcome.value}" + (f"; list version {version}" if version else "")
    )


@designation_app.command("reviews-due")
def reviews_due(
    ctx: typer.Context,
    on: OnOption,
    within: Annotated[int, typer.Option(help="Days ahead.")] = 30,
    as_json: JsonOption = False,
) -> None:
    """Listings whose periodic review is due within the coming days, or late."""
    with user_errors():
        lifecycle, _ = _lifecycle(ctx)
        due = lifecycle.reviews_due(parse_date(on, "--on"), within)
    if as_json:
        print_json([d.to_dict() for d in due])
        return
    table = Table(title=f"Reviews due by {on} + {within} days", title_justify="left")
    for column in ("dossier", "listed", "review due", ""):
        table.add_column(column)
    for d in due:
        table.add_row(
            f"{d.dossier} {d.caption}", d.listed_on, d.review_due, "late" if d.overdue else ""
        )
    display.console().print(table)


@designation_app.command("renew")
def renew(
    ctx: typer.Context,
    regime: str,
    on: OnOption,
    decision_number: Annotated[str, typer.Option(help="Number of the renewal decision.")],
    token: TokenOption = None,
) -> None:
    """Renew a regime's listings for another term, before the current one ends."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        until = lifecycle.renew(
            signed_in(workflow, token), regime, parse_date(on, "--on"), decision_number
        )
    typer.echo(f"regime {regime} renewed until {until}")


@designation_app.command("amend")
def amend(
    ctx: typer.Context,
    dossier: int,
    on: OnOption,
    decision_number: DecisionNumber = None,
    regulation_number: RegulationNumber = None,
    reasons: Annotated[str | None, typer.Option(help="The new statement of reasons.")] = None,
    add_name: Annotated[list[str] | None, typer.Option(help="Another spelling (repeat).")] = None,
    token: TokenOption = None,
) -> None:
    """Amend or correct a listed entry; publishes a new list version."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        version = lifecycle.amend(
            signed_in(workflow, token),
            dossier,
            parse_date(on, "--on"),
            _acts(decision_number, regulation_number),
            reasons,
            add_name or [],
        )
    typer.echo(f"dossier {dossier} amended; published list version {version}")


@designation_app.command("delist")
def delist(
    ctx: typer.Context,
    dossier: int,
    ground: Annotated[Ground, typer.Argument()],
    on: OnOption,
    decision_number: DecisionNumber = None,
    regulation_number: RegulationNumber = None,
    judgment: Annotated[
        str | None, typer.Option(help="The annulling judgment (case number).")
    ] = None,
    note: Annotated[str, typer.Option()] = "",
    token: TokenOption = None,
) -> None:
    """Delist an entry by review, expiry or court annulment (the latter takes effect when
    the appeal period ends; `apply-due` publishes it then)."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        version = lifecycle.delist(
            signed_in(workflow, token),
            dossier,
            parse_date(on, "--on"),
            ground,
            _acts(decision_number, regulation_number),
            note,
            judgment,
        )
    if version is None:
        typer.echo(f"dossier {dossier}: delisting decided; it takes effect after the appeal period")
    else:
        typer.echo(f"dossier {dossier} delisted; published list version {version}")


@designation_app.command("expire")
def expire(
    ctx: typer.Context,
    regime: str,
    on: OnOption,
    notice_number: Annotated[
        str, typer.Option(help="Number of the notice that the listings lapsed.")
    ],
    token: TokenOption = None,
) -> None:
    """Let a regime's listings lapse: its term ended without renewal."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        version = lifecycle.expire(
            signed_in(workflow, token), regime, parse_date(on, "--on"), notice_number
        )
    if version is None:
        typer.echo(f"regime {regime}: nothing listed; nothing published")
    else:
        typer.echo(f"regime {regime}: listings expired; published list version {version}")


@designation_app.command("apply-due")
def apply_due(ctx: typer.Context, on: OnOption, token: TokenOption = None) -> None:
    """Publish the delistings whose day has come (annulments after the appeal period)."""
    with user_errors():
        lifecycle, workflow = _lifecycle(ctx)
        versions = lifecycle.apply_due(signed_in(workflow, token), parse_date(on, "--on"))
    typer.echo(
        "; ".join(f"{code}: list version {v}" for code, v in versions.items()) or "nothing due"
    )


@designation_app.command("history")
def history(ctx: typer.Context, dossier: int, as_json: JsonOption = False) -> None:
    """What happened to a listing after adoption, oldest first."""
    with user_errors():
        lifecycle, _ = _lifecycle(ctx)
        events = lifecycle.history(dossier)
    if as_json:
        print_json(events)
        return
    for event in events:
        details = ", ".join(f"{k}: {v}" for k, v in event.items() if k not in ("kind", "on", "by"))
        typer.echo(f"{event['on']}  {event['kind']}  by {event['by']}  {details}")


register(designation_app)
