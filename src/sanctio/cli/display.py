"""Rich renderings of registry objects for the terminal (the CLI's output)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sanctio.model import NAME_PROPERTIES, Entity
from sanctio.model.shown import DETAILS, NAME_LABELS
from sanctio.registry import EntityView, ListDiff, VersionInfo
from sanctio.screening import Match


def lists_table(items: list[VersionInfo]) -> Table:
    """Every list with its current version."""
    table = Table(title="Lists in the registry", title_justify="left")
    table.add_column("list", no_wrap=True)
    table.add_column("version", justify="right", no_wrap=True)
    table.add_column("entities", justify="right", no_wrap=True)
    table.add_column("by schema", no_wrap=True)
    table.add_column("imported (UTC)", no_wrap=True)
    for item in items:
        table.add_row(
            item.name,
            str(item.version),
            str(item.entities),
            _by_schema(item),
            item.imported_at.strftime("%Y-%m-%d %H:%M"),
        )
    return table


def versions_table(items: list[VersionInfo]) -> Table:
    """Every version of one list, oldest first."""
    table = Table(title=f"Versions of {items[0].name}", title_justify="left")
    table.add_column("version", justify="right", no_wrap=True)
    table.add_column("entities", justify="right", no_wrap=True)
    table.add_column("by schema", no_wrap=True)
    table.add_column("imported (UTC)", no_wrap=True)
    table.add_column("source", overflow="fold")
    for item in items:
        table.add_row(
            str(item.version),
            str(item.entities),
            _by_schema(item),
            item.imported_at.strftime("%Y-%m-%d %H:%M"),
            item.source,
        )
    return table


def _by_schema(item: VersionInfo) -> str:
    ranked = sorted(item.by_schema.items(), key=lambda kv: -kv[1])
    return "\n".join(f"{count} {schema}" for schema, count in ranked)


def version_panel(info: VersionInfo, versions: list[VersionInfo]) -> Panel:
    table = Table.grid(padding=(0, 2))
    table.add_row("version", f"{info.version} of {len(versions)}")
    table.add_row("entities", str(info.entities))
    for schema, count in info.by_schema.items():
        table.add_row(f"  {schema}", str(count))
    table.add_row("records", f"{info.records} (entities with their sanctions and documents)")
    table.add_row("imported", info.imported_at.strftime("%Y-%m-%d %H:%M UTC"))
    table.add_row("source", f"{info.source} ({info.format})")
    table.add_row("content hash", info.content_hash[:16])
    return Panel(table, title=info.name, title_align="left")


def _short(values: list[str], width: int = 90) -> str:
    text = "; ".join(values) or "—"
    return text if len(text) <= width else text[: width - 1] + "…"


def diff_view(diff: ListDiff) -> Group:
    head = Text.assemble(
        (diff.name, "bold"),
        f": version {diff.old_version} → {diff.new_version}: ",
        (f"{len(diff.added)} added", "green"),
        ", ",
        (f"{len(diff.removed)} removed", "red"),
        ", ",
        (f"{len(diff.changed)} changed", "yellow"),
    )
    parts: list[Text | Table] = [head]
    for label, items, style in (
        ("Added", diff.added, "green"),
        ("Removed", diff.removed, "red"),
    ):
        if items:
            parts.append(Text(f"\n{label}", style=f"bold {style}"))
            parts.extend(Text(f"  {i['caption']}  [{i['schema']}]  {i['id']}") for i in items)
    if diff.changed:
        parts.append(Text("\nChanged", style="bold yellow"))
        for item in diff.changed:
            parts.append(Text(f"  {item['caption']}  [{item['schema']}]  {item['id']}"))
            for prop, change in item["properties"].items():
                parts.append(Text(f"      {prop}: ", style="bold"))
                parts.append(Text(f"        - {_short(change['old'])}", style="red"))
                parts.append(Text(f"        + {_short(change['new'])}", style="green"))
    return Group(*parts)


def _identifiers(entity: Entity) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for prop, values in entity.properties.items():
        spec = entity.schema.get(prop)
        if spec is not None and spec.type == "identifier" and prop != "programId":
            found.extend((prop, v) for v in values)
    return found


def entity_view(view: EntityView) -> Group:
    entity = view.entity
    title = Text.assemble((entity.caption, "bold"), f"  [{entity.schema.name}]  {entity.id}")
    parts: list[Text | Table] = [title]
    names = Table("spelling", "kind", title="Names", title_justify="left", show_edge=False)
    for prop in NAME_PROPERTIES:
        for value in entity.get(prop):
            names.add_row(value, NAME_LABELS[prop])
    parts.append(names)
    identifiers = _identifiers(entity)
    if identifiers:
        ids = Table("number", "kind", title="Identifiers", title_justify="left", show_edge=False)
        for prop, value in identifiers:
            ids.add_row(value, prop)
        parts.append(ids)
    details = Table.grid(padding=(0, 2))
    for prop in DETAILS:
        if entity.get(prop):
            details.add_row(prop, "; ".join(entity.get(prop)))
    if details.row_count:
        parts.extend([Text("\nDetails", style="bold italic"), details])
    for sanction in (e for e in view.related if e.schema.name == "Sanction"):
        grid = Table.grid(padding=(0, 2))
        for label, prop in (
            ("authority", "authority"),
            ("program", "program"),
            ("measure", "provisions"),
            ("listed", "listingDate"),
            ("reason", "reason"),
        ):
            grid.add_row(label, "; ".join(sanction.get(prop)) or "—")
        parts.extend([Text("\nSanction", style="bold italic"), grid])
    where = Table.grid(padding=(0, 2))
    for list_name, numbers in view.appearances.items():
        current = view.current[list_name]
        state = "in current version" if current in numbers else f"not in current version {current}"
        where.add_row(list_name, f"versions {', '.join(map(str, numbers))} ({state})")
    parts.extend([Text("\nIn list versions", style="bold italic"), where])
    return Group(*parts)


def matches_table(query: str, matches: list[Match], threshold: float) -> Table:
    """Screening results, best first, with their one-line explanations."""
    table = Table(
        title=f"Screening {query!r}: {sum(m.comparison.match for m in matches)} alerts "
        f"at threshold {threshold:.2f}",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("listed as")
    table.add_column("why", ratio=2)
    for match in matches:
        style = "bold red" if match.comparison.match else "dim"
        program = ", ".join(match.entity.get("programId"))
        table.add_row(
            Text(f"{match.score:.2f}", style=style),
            Text.assemble(
                (match.entity.caption, "bold"),
                f"\n{match.entity.schema.name} · {', '.join(match.lists)} {program}",
                f"\n{match.entity.id}",
            ),
            match.comparison.explanation,
        )
    return table


#: Warnings an import prints before it says how many more there are.
WARNINGS_SHOWN = 20


def warning_lines(warnings: list[str], shown: int = WARNINGS_SHOWN) -> list[Text]:
    """The first ``shown`` warnings of an import, one line each, then how many more.

    Warnings quote the file's own text, so they are plain Text, never Rich markup.
    """
    lines = [Text.assemble(("warning: ", "bold yellow"), warning) for warning in warnings[:shown]]
    if len(warnings) > shown:
        more = len(warnings) - shown
        lines.append(Text(f"… and {more} more warning{'s' if more != 1 else ''}"))
    return lines


def warnings_count(count: int) -> str:
    """The end of an import's summary line: how many warnings, and where they are."""
    if not count:
        return ""
    return f"; {count} warning{'s' if count != 1 else ''} (on stderr)"


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)
