"""``sanctio keys``: the Ed25519 key that signs audit checkpoints, kept outside the
database (``registry.signing``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanctio import settings
from sanctio.cli.common import EXIT_STATUS, JsonOption, print_json, user_errors
from sanctio.registry import signing

keys_app = typer.Typer(
    help="The key that signs the audit head, kept outside the database.",
    epilog=EXIT_STATUS,
    no_args_is_help=True,
)


@keys_app.command("init")
def keys_init(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the private key (default: SANCTIO_SIGNING_KEY, else "
            "audit-signing-key.pem in the data directory). The public key goes beside it "
            "as <path>.pub.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Make a new Ed25519 key pair for signing audit checkpoints. The private key is
    created readable by you only (0600) and never over an existing key; keep it off
    the database server. Prints the public key and its id."""
    with user_errors():
        key = signing.init_key(out)
    _show(key.path, signing.public_pem(key.public), key.key_id, as_json)
    if out is not None and out != settings.signing_key_path()[0]:
        typer.echo(f"to sign with it, set SANCTIO_SIGNING_KEY={key.path}", err=True)


@keys_app.command("show")
def keys_show(
    key: Annotated[
        Path | None,
        typer.Option(
            "--key",
            help="A private or public key file (default: the configured signing key).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the signing key's public key and id: what anyone checking exported
    checkpoints needs (``sanctio audit verify --public-key``)."""
    with user_errors():
        if key is None:
            key, named = settings.signing_key_path()
            if not named and not key.exists():
                raise signing.SigningKeyError(
                    f"{key}: no signing key; make one with `sanctio keys init`"
                )
        public = signing.load_public_key(key)
    _show(key, signing.public_pem(public), signing.key_id(public), as_json)


def _show(path: Path, pem: str, key_id: str, as_json: bool) -> None:
    if as_json:
        print_json({"path": str(path), "key_id": key_id, "public_key": pem})
        return
    typer.echo(f"key {path}")
    typer.echo(f"key id {key_id}")
    typer.echo(pem.rstrip("\n"))
