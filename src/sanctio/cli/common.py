"""What every command shares: the registry it opens, one-line errors, JSON output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanctio import settings
from sanctio.cli import display
from sanctio.errors import InputError, SanctioError
from sanctio.registry import Registry

if TYPE_CHECKING:
    from sanctio.designation.auth import Actor
    from sanctio.designation.workflow import Designation

EXIT_STATUS = (
    "Exit status: 0 done; 1 refused (unknown list, version or entity, database error); "
    "2 bad input file or wrong usage."
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
TokenOption = Annotated[
    str | None,
    typer.Option("--token", help="Your token (default: SANCTIO_TOKEN).", show_default=False),
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Show a SanctioError as one line on stderr and exit non-zero, without a traceback."""
    try:
        yield
    except SanctioError as exc:
        display.console(stderr=True).print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(2 if isinstance(exc, InputError) else 1) from None


def registry(ctx: typer.Context) -> Registry:
    config: settings.Settings = ctx.obj
    return Registry(config.db_url)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def open_workflow(ctx: typer.Context) -> Designation:
    """The designation workflow on the command's registry."""
    from sanctio.designation.workflow import Designation

    return Designation(registry(ctx))


def signed_in(designation: Designation, token: str | None) -> Actor:
    """Who the token (``--token``, else SANCTIO_TOKEN) belongs to; refused clearly."""
    return designation.authenticate(token or settings.token())


def parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD option, or an input error naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(option, f"{value!r}; expected a date YYYY-MM-DD") from None
