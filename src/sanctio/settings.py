"""Every setting Sanctio reads from the environment, in one place.

Each setting is a ``SANCTIO_*`` environment variable; ``docs/settings.md`` lists them
and a test checks that the two agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

#: Name, description and default of each documented setting.
SETTINGS: dict[str, str] = {
    "SANCTIO_DB": (
        "Registry database URL. Default: an SQLite file `sanctio.db` in the user's data "
        "directory (or in SANCTIO_DATA_DIR). PostgreSQL: `postgresql+psycopg://user@host/db`."
    ),
    "SANCTIO_DATA_DIR": (
        "Directory for the default SQLite registry and other local files. "
        "Default: the platform's user data directory for `sanctio`."
    ),
    "SANCTIO_TOKEN": (
        "The user's token for designation commands that change something (given once "
        "by `sanctio users add`). Default: none; `--token` wins over it."
    ),
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; read once per command so tests can change the environment."""

    db_url: str
    data_dir: Path
    #: True when the user named a database (--db or SANCTIO_DB), not the default.
    db_configured: bool


def data_dir() -> Path:
    """Where local files live unless SANCTIO_DATA_DIR says otherwise."""
    configured = os.environ.get("SANCTIO_DATA_DIR")
    return Path(configured) if configured else user_data_path("sanctio", appauthor=False)


def default_db_url() -> str:
    """SQLite file in the data directory: the embedded default needs no set-up."""
    return f"sqlite:///{data_dir() / 'sanctio.db'}"


def load(db_url: str | None = None) -> Settings:
    """Settings from the environment, with an explicit database URL taking precedence."""
    configured = db_url or os.environ.get("SANCTIO_DB")
    return Settings(
        db_url=configured or default_db_url(), data_dir=data_dir(), db_configured=bool(configured)
    )


def token() -> str | None:
    """The user's token for the designation workflow, if set."""
    return os.environ.get("SANCTIO_TOKEN") or None
