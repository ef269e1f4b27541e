"""The Ed25519 key that signs audit checkpoints, kept outside the database.

The audit chain (``registry.audit``) shows any record edited through the database,
unless whoever edits it also recomputes every later hash and the head. A signature
over the head, made with a key the database does not hold, is what such a person
cannot recompute: ``sanctio keys init`` makes the key pair, the private key readable
by its owner only (0600), the public key beside it (``<path>.pub``) for anyone who
checks. Signing and checking use pyca/cryptography; nothing here is hand-made crypto.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from sanctio import settings
from sanctio.errors import InputError, SanctioError

#: Read no more than this from a key file: a PEM key is a few hundred bytes.
MAX_KEY_BYTES = 64 * 1024


class SigningKeyError(SanctioError):
    """A key file that is missing, unreadable, of another kind, or in the way."""


def key_id(public: Ed25519PublicKey) -> str:
    """SHA-256 (hex) of the raw 32-byte public key: names the key in checkpoints."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public: Ed25519PublicKey) -> str:
    """The public key as PEM text (SubjectPublicKeyInfo), as ``.pub`` files hold it."""
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def public_path(private_path: Path) -> Path:
    """Where the public key of the private key at ``private_path`` is written."""
    return private_path.with_name(private_path.name + ".pub")


@dataclass(frozen=True)
class SigningKey:
    """A private key loaded from its file, with the public key and its id."""

    private: Ed25519PrivateKey
    path: Path

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def _read_key_file(path: Path) -> bytes:
    """A key file's bytes: a regular file only (a FIFO would hang, a device never end)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SigningKeyError(f"{path}: no such key file") from None
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read the key file: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SigningKeyError(f"{path}: not a regular file; expected a PEM key file")
    if info.st_size > MAX_KEY_BYTES:
        raise SigningKeyError(f"{path}: {info.st_size} bytes; expected a PEM key of a few hundred")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read the key file: {exc.strerror}") from None


def load_private_key(path: Path) -> SigningKey:
    """The Ed25519 private key in the PEM file at ``path`` (unencrypted PKCS#8)."""
    data = _read_key_file(path)
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(
            f"{path}: not an unencrypted PEM private key ({exc}); expected the file "
            "`sanctio keys init` wrote"
        ) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise SigningKeyError(
            f"{path}: a {type(private).__name__}; expected an Ed25519 private key"
        )
    return SigningKey(private, path)


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM file at ``path``; a private key file is read
    for its public half too, so either file may be given."""
    data = _read_key_file(path)
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public
    try:
        public = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise InputError(path, f"not a PEM public key ({exc}); expected a `.pub` file") from None
    if not isinstance(public, Ed25519PublicKey):
        raise InputError(path, f"a {type(public).__name__}; expected an Ed25519 public key")
    return public


def configured_key() -> SigningKey | None:
    """The signing key SANCTIO_SIGNING_KEY names (it must exist), else the default key
    file in the data directory when there is one, else None: nothing is signed."""
    path, named = settings.signing_key_path()
    if not named and not path.exists():
        return None
    return load_private_key(path)


def configured_public_key(strict: bool = True) -> Ed25519PublicKey | None:
    """The public key beside the configured private key (its ``.pub``, else derived from
    the private key), or None when no key is configured. A named key that cannot be
    read is an error, unless ``strict`` is False (a page that reports what it can)."""
    path, named = settings.signing_key_path()
    public_file = public_path(path)
    try:
        if public_file.exists():
            return load_public_key(public_file)
        if named or path.exists():
            return load_private_key(path).public
    except SanctioError:
        if strict:
            raise
    return None


def verify_signature(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is ``public``'s signature of ``message``."""
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def init_key(path: Path | None = None) -> SigningKey:
    """Make a new key pair: the private key at ``path`` (default: the configured path),
    created 0600 and never over an existing file; the public key beside it (0644).

    An existing key is refused rather than replaced: checkpoints signed with it could
    no longer be checked by anyone who trusts only the new public key.
    """
    if path is None:
        path, _named = settings.signing_key_path()
    public_file = public_path(path)
    for existing in (path, public_file):
        if existing.exists() or existing.is_symlink():
            raise SigningKeyError(
                f"{existing}: exists already; a signing key is never replaced (move it "
                "away first, or give another --out)"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        # O_EXCL: created here, never through a planted file or link; 0600 from the start
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise SigningKeyError(f"{path}: exists already; a signing key is never replaced") from None
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot create the key file: {exc.strerror}") from None
    with os.fdopen(handle, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(path, 0o600)  # the umask may only have narrowed it; say it outright
    key = SigningKey(private, path)
    write_atomically(public_file, public_pem(key.public).encode("ascii"), mode=0o644)
    return key


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it, so a reader
    sees the old file or the new one, never half; only a regular file (or nothing) at
    ``path`` is replaced, never a device, FIFO, folder or link."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, "not a regular file; give the path of a file to write")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(path, f"cannot write here: {exc.strerror}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
