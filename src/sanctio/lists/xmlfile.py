"""Parsing publishers' XML safely: no DTDs, no entity expansion, no network.

Lists arrive from outside. A document type declaration is what every XML attack
needs (external entities reading local files or fetching URLs, entity-expansion
bombs), and no sanctions list uses one, so a file that declares one is refused
before anything is parsed; the parser itself also runs with entity resolution,
DTD loading and network access off.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from sanctio.errors import InputError
from sanctio.lists.files import read_bytes

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_REFUSED = (
    "XML with a document type declaration (DTD/entities) refused; "
    "expected a list file without <!DOCTYPE>"
)


def safe_parser() -> etree.XMLParser:
    """An lxml parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def declares_dtd(data: bytes) -> bool:
    """True when the bytes hold a document type or entity declaration."""
    return _DOCTYPE.search(data) is not None


def parse_xml(path: Path) -> etree._Element:
    """The root element of ``path``; InputError for hostile or malformed XML."""
    try:
        data = read_bytes(path, "XML file")
    except OSError as exc:
        message = f"cannot read: {exc.strerror}; expected a readable XML file"
        raise InputError(path, message) from None
    found = _DOCTYPE.search(data)
    if found is not None:
        line = data.count(b"\n", 0, found.start()) + 1
        raise InputError(path, _REFUSED, line)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        expected = "well-formed XML"
        if "encoding" in exc.msg.lower() or "utf-8" in exc.msg.lower():
            expected = "UTF-8 text (or the encoding its <?xml ...?> declaration names)"
        message = f"malformed XML: {exc.msg}; expected {expected}"
        raise InputError(path, message, line) from None
    # the byte search above misses a declaration in UTF-16 or another encoding that is
    # not ASCII-compatible; the parsed document still shows it
    if root.getroottree().docinfo.internalDTD is not None:
        raise InputError(path, _REFUSED)
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace: '{http://...}sanctionEntity' -> 'sanctionEntity'."""
    return etree.QName(element).localname


def source_line(element: etree._Element) -> int | None:
    """The line ``element`` starts on, for error messages (lxml's stubs type
    ``sourceline`` loosely)."""
    line = element.sourceline
    return line if isinstance(line, int) else None
