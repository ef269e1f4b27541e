"""Hostile XML is refused quickly, clearly, without touching files or the network, and
without storing anything; malformed XML names its line."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from sanctio.errors import InputError
from sanctio.lists import read_list
from sanctio.lists.xmlfile import parse_xml
from tests.cli.test_cli import sanctio

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
ATTACKS = ["xxe_passwd.xml", "billion_laughs.xml", "external_dtd.xml"]
REFUSED = "XML with a document type declaration (DTD/entities) refused"


@pytest.mark.parametrize("name", ATTACKS)
def test_read_list_refuses_a_dtd_at_once(name: str) -> None:
    path = HOSTILE / name
    started = time.perf_counter()
    with pytest.raises(InputError) as error:
        read_list(path)
    assert time.perf_counter() - started < 1.0
    assert str(error.value) == f"{path}, line 2: {REFUSED}; expected a list file without <!DOCTYPE>"
    assert "root:" not in str(error.value)  # nothing of /etc/passwd leaks into the message


@pytest.mark.parametrize("fmt", ["un-xml", "eu-fsf-xml", "uk-xml"])
def test_every_xml_reader_refuses_a_dtd(fmt: str) -> None:
    for name in ATTACKS:
        with pytest.raises(InputError, match="DTD/entities"):
            read_list(HOSTILE / name, fmt)


def test_cli_import_refuses_each_file_and_stores_nothing(tmp_path: Path) -> None:
    """``sanctio lists import`` exits 2 with one line naming the file (one registry for
    all files, to keep the test quick)."""
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    expected = {name: f"line 2: {REFUSED}" for name in ATTACKS}
    expected["external_dtd_unknown_root.xml"] = f"line 2: {REFUSED}"
    expected["malformed.xml"] = "line 8: malformed XML: Opening and ending tag mismatch"
    for name, message in expected.items():
        path = HOSTILE / name
        result = sanctio("--db", db, "lists", "import", str(path), ok=False)
        assert result.returncode == 2, name
        assert f"{path}, {message}" in " ".join(result.stderr.split())
        assert "Traceback" not in result.stderr
    assert "No lists yet" in sanctio("--db", db, "lists").stdout


def test_a_dtd_with_a_root_no_list_has_is_refused_as_a_dtd() -> None:
    path = HOSTILE / "external_dtd_unknown_root.xml"
    with pytest.raises(InputError, match="DTD/entities"):
        read_list(path)
    with pytest.raises(InputError, match="DTD/entities"):
        read_list(path, "un-xml")


def test_malformed_xml_names_its_line() -> None:
    with pytest.raises(InputError) as error:
        read_list(HOSTILE / "malformed.xml")
    # REFERENCE_NUMBER opens on line 7 and is never closed; the parser notices on line 8
    assert error.value.line == 8
    assert "malformed XML" in error.value.message
    assert "REFERENCE_NUMBER line 7" in error.value.message


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY evil "fetched">')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dtd_server() -> Iterator[str]:
    """A local web server that records every request: a DTD fetch would show here."""
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/evil.dtd"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_external_dtd_is_never_fetched(dtd_server: str, tmp_path: Path, encoding: str) -> None:
    """UTF-16 hides the declaration from the byte search; it is refused after parsing,
    and the parser itself never fetches it."""
    path = tmp_path / "list.xml"
    text = (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
        f'<!DOCTYPE CONSOLIDATED_LIST SYSTEM "{dtd_server}">\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>\n"
    )
    path.write_bytes(text.encode(encoding))
    with pytest.raises(InputError, match=re.escape(REFUSED)):
        parse_xml(path)
    with pytest.raises(InputError, match=re.escape(REFUSED)):
        read_list(path, "un-xml")
    assert _Recorder.requests == []


def test_entities_in_utf16_are_refused_not_expanded(tmp_path: Path) -> None:
    """The byte search cannot see this declaration; libxml2 stops at its expansion limit
    (or the parsed document shows the DTD): refused either way, at once."""
    path = tmp_path / "bomb.xml"
    bomb = (HOSTILE / "billion_laughs.xml").read_text("utf-8").replace("UTF-8", "UTF-16")
    path.write_bytes(bomb.encode("utf-16"))
    started = time.perf_counter()
    with pytest.raises(InputError) as error:
        parse_xml(path)
    assert time.perf_counter() - started < 1.0
    message = error.value.message
    assert "DTD/entities" in message or "entity amplification" in message
    assert "lollol" not in message
