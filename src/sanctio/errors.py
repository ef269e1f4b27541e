"""Errors a user sees: each names where the problem is and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class SanctioError(Exception):
    """Base class for failures reported to the user as a message, not a traceback."""


@dataclass
class InputError(SanctioError):
    """Malformed input: names the file, line and column, what was found and expected."""

    path: Path | str
    message: str
    line: int | None = None
    column: str | int | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            label = "column" if isinstance(self.column, str) else "character"
            where += f", {label} {self.column}"
        return f"{where}: {self.message}"


class NotFoundError(SanctioError):
    """A list, version or entity that the registry does not hold."""
