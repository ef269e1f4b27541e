"""Every setting Sanctio reads from the environment, in one place.

Each setting is a ``SANCTIO_*`` environment variable; ``docs/settings.md`` lists them
and a test checks that the two agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from sanctio.errors import SanctioError

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
    "SANCTIO_API_REQUIRE_TOKEN": (
        "`true` closes the HTTP API's data endpoints (/match, /search, /entities, /catalog, "
        "/algorithms) to requests without a user's token (any role) as `Authorization: "
        "Bearer <token>`. Default: `false` (open, as yente's are)."
    ),
    "SANCTIO_API_HOST": (
        "Address `sanctio serve` listens on. Default: `127.0.0.1`; `--host` wins over it."
    ),
    "SANCTIO_API_PORT": (
        "Port `sanctio serve` listens on. Default: `8000`; `--port` wins over it."
    ),
}

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


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


def api_require_token() -> bool:
    """Whether the HTTP API refuses requests without a token; a typo is an error, not
    a silently open API."""
    value = os.environ.get("SANCTIO_API_REQUIRE_TOKEN", "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SanctioError(f"SANCTIO_API_REQUIRE_TOKEN: {value!r}; expected true or false")


def api_host() -> str:
    """The address the HTTP service listens on: the local machine unless told otherwise."""
    return os.environ.get("SANCTIO_API_HOST", "").strip() or "127.0.0.1"


def api_port() -> int:
    """The port the HTTP service listens on."""
    value = os.environ.get("SANCTIO_API_PORT", "").strip() or "8000"
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SanctioError(f"SANCTIO_API_PORT: {value!r}; expected a port number 1 to 65535")
    return int(value)
