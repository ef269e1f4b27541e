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
    "SANCTIO_MAX_REMOVAL_SHARE": (
        "Largest share of a list's entities one import may remove (`0.1` or `10%`); an "
        "import removing more is refused unless `--allow-removals` is given. Default: `0.1`."
    ),
    "SANCTIO_SIGNING_KEY": (
        "Path of the Ed25519 private key (PEM) that signs audit checkpoints, made by "
        "`sanctio keys init`; its public key is beside it as `<path>.pub`. Default: "
        "`audit-signing-key.pem` in the data directory, used when it exists."
    ),
    "SANCTIO_API_REQUIRE_TOKEN": (
        "`true` closes the HTTP API's data endpoints (/match, /search, /entities, /catalog, "
        "/algorithms) to requests without a user's token (any role) as `Authorization: "
        "Bearer <token>`. Default: `false` (open, as yente's are)."
    ),
    "SANCTIO_TOKEN_DAYS": (
        "Days a user's token is valid from when it is given (`sanctio users add`, "
        "`rotate`); `0` for tokens that never expire. Default: `90`."
    ),
    "SANCTIO_COOKIE_SECURE": (
        "Whether the web pages' sign-in cookie is marked `Secure`: `auto` when the "
        "request came over https, `true` always (behind a TLS proxy), `false` never. "
        "Default: `auto`."
    ),
    "SANCTIO_API_HOST": (
        "Address `sanctio serve` listens on. Default: `127.0.0.1`; `--host` wins over it."
    ),
    "SANCTIO_API_PORT": (
        "Port `sanctio serve` listens on. Default: `8000`; `--port` wins over it."
    ),
    "SANCTIO_MAX_BODY_BYTES": (
        "Largest request body the HTTP service reads (413 beyond it), JSON and forms alike; "
        "file uploads have their own caps. Default: `2097152` (2 MiB)."
    ),
    "SANCTIO_MAX_MATCH_NAMES": (
        "Most names (name, alias and other name values of every query together) one "
        "/match request may hold (422 beyond it). Default: `1000`."
    ),
    "SANCTIO_API_WORK_THREADS": (
        "Threads of each server process that screen batches and build forensic reports, "
        "off the event loop. Default: `2`."
    ),
    "SANCTIO_API_WORK_QUEUE": (
        "Requests that may wait for one of those threads; beyond them 503 with Retry-After. "
        "Default: `64`."
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


def signing_key_path() -> tuple[Path, bool]:
    """The audit signing key's path, and whether SANCTIO_SIGNING_KEY named it (a named
    key must exist; the default one is used only when it does)."""
    configured = os.environ.get("SANCTIO_SIGNING_KEY", "").strip()
    if configured:
        return Path(configured).expanduser(), True
    return data_dir() / "audit-signing-key.pem", False


def load(db_url: str | None = None) -> Settings:
    """Settings from the environment, with an explicit database URL taking precedence."""
    configured = db_url or os.environ.get("SANCTIO_DB")
    return Settings(
        db_url=configured or default_db_url(), data_dir=data_dir(), db_configured=bool(configured)
    )


def token() -> str | None:
    """The user's token for the designation workflow, if set."""
    return os.environ.get("SANCTIO_TOKEN") or None


def max_removal_share() -> float:
    """The share of a list's targets an import may remove without --allow-removals:
    more means a cut or wrong file far more often than a mass delisting (a typo is an
    error, not a guard switched off)."""
    value = os.environ.get("SANCTIO_MAX_REMOVAL_SHARE", "").strip() or "0.1"
    try:
        share = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise SanctioError(
            f"SANCTIO_MAX_REMOVAL_SHARE: {value!r}; expected a share from 0 to 1 "
            "(e.g. 0.1) or a percentage (e.g. 10%)"
        )
    return share


def api_require_token() -> bool:
    """Whether the HTTP API refuses requests without a token; a typo is an error, not
    a silently open API."""
    value = os.environ.get("SANCTIO_API_REQUIRE_TOKEN", "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SanctioError(f"SANCTIO_API_REQUIRE_TOKEN: {value!r}; expected true or false")


def token_days() -> int:
    """How long a new token is valid, in days; 0 for never (a typo is an error, not a
    token that never expires)."""
    value = os.environ.get("SANCTIO_TOKEN_DAYS", "").strip() or "90"
    if not value.isdigit() or int(value) > 36500:
        raise SanctioError(
            f"SANCTIO_TOKEN_DAYS: {value!r}; expected a number of days 0 to 36500 (0: never)"
        )
    return int(value)


def cookie_secure() -> bool | None:
    """Whether the sign-in cookie is ``Secure``: True or False when set, None for
    ``auto`` (by the request's scheme, which a TLS proxy hides unless told)."""
    value = os.environ.get("SANCTIO_COOKIE_SECURE", "").strip().lower() or "auto"
    if value == "auto":
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SanctioError(f"SANCTIO_COOKIE_SECURE: {value!r}; expected auto, true or false")


def api_host() -> str:
    """The address the HTTP service listens on: the local machine unless told otherwise."""
    return os.environ.get("SANCTIO_API_HOST", "").strip() or "127.0.0.1"


def api_port() -> int:
    """The port the HTTP service listens on."""
    value = os.environ.get("SANCTIO_API_PORT", "").strip() or "8000"
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SanctioError(f"SANCTIO_API_PORT: {value!r}; expected a port number 1 to 65535")
    return int(value)


def _whole_number(name: str, default: int, low: int = 1) -> int:
    """A setting that is a whole number of at least ``low``; a typo is an error."""
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < low:
        raise SanctioError(f"{name}: {value!r}; expected a whole number of at least {low}")
    return int(value)


def max_body_bytes() -> int:
    """The largest request body the HTTP service reads: a batch of MAX_MATCH_NAMES
    names with their other properties fits well within the default."""
    return _whole_number("SANCTIO_MAX_BODY_BYTES", 2 * 2**20, 1024)


def max_match_names() -> int:
    """The most names one /match request may screen (each costs milliseconds of CPU)."""
    return _whole_number("SANCTIO_MAX_MATCH_NAMES", 1000)


def api_work_threads() -> int:
    """Threads per server process for screening batches and forensic reports."""
    return _whole_number("SANCTIO_API_WORK_THREADS", 2)


def api_work_queue() -> int:
    """Requests that may wait for a work thread before the service answers 503."""
    return _whole_number("SANCTIO_API_WORK_QUEUE", 64, 0)
