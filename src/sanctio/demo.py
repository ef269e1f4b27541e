"""``sanctio demo``: the bundled EU Belarus list loaded and shown to a newcomer.

A demo writes into its own SQLite file in the data directory (``demo.db``,
``belarus-2020.db``), whatever SANCTIO_DB or ``--db`` name: trying a demo must never
add lists, users or findings to the registry a user works with. Only ``--into URL``
writes elsewhere, and then as a real user: the forensics demo records its findings as
the user whose token it is given (an officer or proposer), the replay creates its own
users and so needs a registry without any, and the tour imports the list as ``lists
import`` would.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from sanctio import settings
from sanctio.cli import display
from sanctio.errors import SanctioError
from sanctio.lists import read_list
from sanctio.registry import Registry
from sanctio.screening import Query, Screener

if TYPE_CHECKING:
    from sanctio.designation.auth import Actor
    from sanctio.designation.belarus2020 import Replay

DEMO_FILE = "32006R0765.csv"
#: The packages adopted after the August 2020 election (see docs/design.md).
ELECTION_PACKAGES = {
    "2020-10-02": "1st package: falsification and repression after the 9 August election",
    "2020-11-06": "2nd package: the president and 14 others",
    "2020-12-17": "3rd package: 29 persons and 7 entities",
}
#: Entities the tour shows with every spelling: election chair, interior minister, president.
SHOWCASE = ("eu-32006r0765-i-a-33", "eu-32006r0765-i-a-5", "eu-32006r0765-i-a-45")
#: Queries the tour screens: Russian Cyrillic for a Belarusian-Latin entry; the press
#: spelling of the president, whose son must not alert.
SCREENING_EXAMPLES = ("Лидия Ермошина", "Alexander Lukashenko")


#: The user the demos act as in their own databases (the replay's first officer).
DEMO_OFFICER = "sanctions-officer"


class DemoTargetError(SanctioError):
    """A registry given with ``--into`` that the demo cannot write into as asked."""


def demo_db_url(file: str = "demo.db") -> tuple[str, Path]:
    path = settings.data_dir() / file
    return f"sqlite:///{path}", path


def _fresh(into: str | None, file: str, fresh: bool) -> str:
    """The URL to use: the demo's own file in the data directory (emptied when
    ``fresh``), or the registry named by ``--into``, never emptied."""
    if into is not None:
        return into
    url, path = demo_db_url(file)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return url


def run_demo(out: Console, into: str | None = None, fresh: bool = True) -> None:
    """Import the bundled list into the demo's (fresh) registry, or ``into`` one, and
    print what it holds."""
    url = _fresh(into, "demo.db", fresh)
    source = resources.files("sanctio.data.demo").joinpath(DEMO_FILE)
    with resources.as_file(source) as path_to_file:
        parsed = read_list(path_to_file)
    registry = Registry(url)
    result = registry.import_list(parsed)
    info = result.version
    out.rule("[bold]Sanctio demo: the EU Belarus sanctions regime")
    out.print(
        f"Registry: {url}\n"
        f"Imported [bold]{info.name}[/] (Regulation (EC) No 765/2006) as version "
        f"{info.version}: [bold]{info.entities}[/] entities — "
        + ", ".join(f"{v} {k}" for k, v in info.by_schema.items())
    )
    out.print(listing_dates_table(registry, info.name))
    for entity_id in SHOWCASE:
        out.print()
        out.print(display.entity_view(registry.entity(entity_id)))
    screener = Screener.from_registry(registry, [info.name])
    out.rule("Screening: customer records in any script or spelling")
    for name in SCREENING_EXAMPLES:
        matches = screener.screen(Query.make(name), limit=2)
        out.print(display.matches_table(name, matches, screener.threshold))
    out.rule("Try next")
    out.print(
        f"  sanctio --db {url} screen 'Lidia Yermoshina' --birth-date 1953\n"
        f"  sanctio --db {url} lists\n"
        f"  sanctio --db {url} lists show {info.name} --json\n"
        f"  sanctio --db {url} entity eu-32006r0765-i-a-46\n"
        "  sanctio --help"
    )
    registry.close()


def listing_dates_table(registry: Registry, name: str) -> Table:
    """How many entities each listing date added, the 2020 election packages marked."""
    dates: Counter[str] = Counter()
    for entity in registry.entities(name):
        if entity.schema.name == "Sanction":
            dates[entity.first("listingDate") or "not stated"] += 1
    table = Table(title="Entities by listing date", title_justify="left")
    table.add_column("listed")
    table.add_column("entities", justify="right")
    table.add_column("")
    for date, count in sorted(dates.items()):
        note = ELECTION_PACKAGES.get(date, "")
        style = "bold" if note else None
        table.add_row(date, str(count), note, style=style)
    return table


def run_belarus_2020(
    out: Console, into: str | None = None, fresh: bool = True, quiet: bool = False
) -> Replay:
    """Replay the 2020 listings (``designation.belarus2020``) and print each step:
    in the demo's own database, or ``into`` a registry that has no users yet (the
    replay creates the officer, the proposer and 27 delegates it acts as)."""
    from sanctio.designation.belarus2020 import replay

    url = _fresh(into, "belarus-2020.db", fresh)
    registry = Registry(url)
    try:
        if into is not None and _user_names(registry):
            raise DemoTargetError(
                f"--into {registry.url}: the replay creates its own users and needs a "
                "registry without any; this one has users"
            )
        result = replay(registry)
    finally:
        registry.close()
    if quiet:
        return result
    out.rule("[bold]Sanctio demo: the EU's 2020 Belarus listings, replayed")
    table = Table(title=f"Registry: {url}", title_justify="left")
    for column in ("date", "package", "outcome", "listed after"):
        table.add_column(column)
    for step in result.steps:
        style = {"blocked": "red", "adopted": "green"}.get(step.outcome)
        table.add_row(step.date, step.package, step.outcome, str(step.listed), style=style)
    out.print(table)
    audit = "intact" if result.audit_ok else "[red]BROKEN[/]"
    out.print(
        f"Published list [bold]{result.list_name}[/] version {result.list_version}; "
        f"audit chain {audit}."
    )
    out.rule("Try next")
    out.print(
        f"  sanctio --db {url} audit verify\n"
        f"  sanctio --db {url} audit log\n"
        f"  sanctio --db {url} lists diff {result.list_name} 2 3\n"
        f"  sanctio --db {url} designation package 2\n"
        f"  sanctio --db {url} screen 'Alexander Lukashenko' --list {result.list_name}"
    )
    return result


def _user_names(registry: Registry) -> list[str]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from sanctio.designation.records import User

    with Session(registry.engine) as session:
        return list(session.scalars(select(User.name)))


def _recorder(registry: Registry, into: str | None, token: str | None) -> Actor:
    """Who records the findings: in the demo's own database its officer (created if
    the database has no users yet); ``into`` another registry, the user whose token
    was given, as every change there is made by a user."""
    from sanctio.designation.auth import Actor, Role
    from sanctio.designation.workflow import Designation

    workflow = Designation(registry)
    if into is not None:
        if not token:
            raise DemoTargetError(
                f"--into {registry.url}: the findings are recorded as a user of that "
                "registry; pass --token (or set SANCTIO_TOKEN) of an officer or proposer"
            )
        return workflow.authenticate(token)
    names = _user_names(registry)
    if not names:
        workflow.add_user(None, DEMO_OFFICER, Role.OFFICER)
    elif DEMO_OFFICER not in names:
        raise DemoTargetError(
            f"{registry.url} is not the demo's database (it has no user {DEMO_OFFICER!r}); "
            "move it away or run `sanctio demo belarus-2020` to start it afresh"
        )
    return Actor(DEMO_OFFICER, Role.OFFICER)


def run_forensics_demo(
    out: Console, into: str | None = None, token: str | None = None, quiet: bool = False
) -> dict[str, object]:
    """Reconcile the bundled independent count of Belarus 2020 with the official
    figures and record each contradicted protocol as a finding (in the replay's
    database, next to the published list, unless ``into`` another registry as the
    user of ``token``); then run the integer-percent test on the bundled protocols."""
    from sanctio.designation.findings import Findings
    from sanctio.designation.workflow import Designation
    from sanctio.forensics.findings import NOT_AN_ACCUSATION, reconcile_findings
    from sanctio.forensics.integer import integer_test
    from sanctio.forensics.loaders import load_precincts
    from sanctio.forensics.reconcile import load_golos, reconcile

    url = _fresh(into, "belarus-2020.db", fresh=False)
    registry = Registry(url)
    try:
        # who records is settled first: a registry the demo may not write into is
        # refused before any work
        officer = _recorder(registry, into, token)
        source = resources.files("sanctio.data.demo").joinpath("golos-voice.csv")
        with resources.as_file(source) as path:
            count = load_golos(Path(path))
        result = reconcile(count, "tihanovkaja")
        protocols = resources.files("sanctio.data.demo").joinpath("protocols.csv")
        with resources.as_file(protocols) as path:
            precincts = load_precincts(Path(path))
            shown = path if protocols.is_file() else Path("protocols.csv")
        leader = precincts.candidate_index(None)
        integer = integer_test(precincts, leader, draws=1000, seed=0)
        findings = Findings(Designation(registry))
        added, known = findings.record(
            officer,
            "reconcile",
            {"candidate": "tihanovkaja"},
            "golos-voice.csv",
            count.sha256,
            reconcile_findings(result),
        )
        commissions = len(findings.commissions(officer))
    finally:
        registry.close()
    summary: dict[str, object] = {
        "with_protocol": result.with_protocol,
        "contradicted_by_photos": result.contradicted_by_photos,
        "contradicted_by_registrations": result.contradicted_by_registrations,
        "findings_added": added,
        "findings_already_recorded": known,
        "commissions_with_findings": commissions,
        "integer_test": {
            "precincts": integer.precincts_used,
            "observed": integer.observed,
            "expected": round(integer.expected, 1),
            "excess": round(integer.excess, 1),
            "z": round(integer.z, 1),
        },
    }
    if quiet:
        return summary
    out.rule("[bold]Sanctio demo: Belarus 2020, the independent count against the protocols")
    out.print(
        f"Of {result.with_protocol} precincts with a published protocol, "
        f"[bold]{result.contradicted_by_photos}[/] credit Tsikhanouskaya with fewer votes "
        f"than voters proved with photos of their ballots ({result.contradicted_by_registrations}"
        " with fewer than registered their vote). The worst:"
    )
    for c in result.contradictions[:5]:
        out.print(
            f"  precinct {c.precinct}: protocol {c.official}, photos {c.photos}, "
            f"registered {c.registered}"
        )
    out.print(f"Findings recorded in {url}: {added} new, {known} already there.")
    out.print(
        f"On the {integer.precincts_used:,} published protocols the test can use, "
        f"[bold]{integer.observed}[/] "
        f"precincts report a turnout or Lukashenka's share on a whole percent; chance "
        f"gives {integer.expected:.0f} (excess {integer.excess:.0f}, z = {integer.z:.1f})."
    )
    out.print(f"[dim]{NOT_AN_ACCUSATION}[/]")
    out.print(f"  sanctio --db {url} forensics commissions")
    out.print(f"  sanctio forensics report {shown} --out report.html   # every test, with plots")
    return summary
