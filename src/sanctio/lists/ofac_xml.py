"""Reader for OFAC's SDN XML (``sdn.xml``, schema https://www.treasury.gov/ofac/downloads/sdn.xsd).

The root ``sdnList`` holds ``publshInformation`` and one ``sdnEntry`` per designated
person, organisation, vessel or aircraft. Older releases use the namespace
``http://tempuri.org/sdnList.xsd``, releases of OFAC's Sanctions List Service
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML``; the
reader takes the namespace from the root element, so both read alike.

Each entry becomes the same ``OfacRecord`` the CSV reader builds: names as OFAC prints
them in the CSV (``YARMOSHINA, Lidziya Mihaulauna``), and each structured detail (an
``id``, a date or place of birth, a nationality) written as the remark item OFAC prints
for it (``Passport AB123 (Belarus) issued 01 Jan 2010``). So ids (``ofac-<uid>``, the
CSV's ``ent_num``) and properties match the CSV reader's for the same release.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NoReturn

from lxml import etree

from sanctio.errors import InputError
from sanctio.lists.ofac_csv import SCHEMATA, OfacRecord, build_list, is_record_number
from sanctio.lists.parsed import ParsedList, name_too_long, record_id
from sanctio.lists.xmlfile import local_name, parse_xml, source_line

FORMAT = "ofac-xml"
NAMESPACES = (
    "http://tempuri.org/sdnList.xsd",
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
)
#: aka type -> name property, for OFAC's "strong" a.k.a.s; "weak" ones are weakAlias.
AKA_TYPES = {"a.k.a.": "alias", "f.k.a.": "previousName", "n.k.a.": "alias"}
_ROOT = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->)*<(?:[\w.-]+:)?sdnList[\s>/]", re.DOTALL)
_VESSEL = {
    "callSign": "call_sign",
    "vesselType": "vessel_type",
    "tonnage": "tonnage",
    "grossRegisteredTonnage": "grt",
    "vesselFlag": "vessel_flag",
    "vesselOwner": "vessel_owner",
}


def detect(head: bytes, path: Path) -> bool:
    """True when the file's root element is ``sdnList``."""
    return bool(head) and _ROOT.match(head.removeprefix(b"\xef\xbb\xbf")) is not None


def read(path: Path) -> ParsedList:
    """Every ``sdnEntry`` as entities; InputError (with the line) on the first bad entry."""
    root = parse_xml(path)
    if local_name(root) != "sdnList":
        raise InputError(
            path, f"root element <{local_name(root)}>; expected <sdnList>", source_line(root)
        )
    reader = _Reader(path, etree.QName(root).namespace)
    records = [reader.record(entry) for entry in reader.children(root, "sdnEntry")]
    if not records:
        raise InputError(path, "no <sdnEntry> elements; expected at least one", source_line(root))
    reader.check_count(root, len(records))
    seen: dict[str, int] = {}
    for record in records:
        if record.ent_num in seen:
            message = f"uid {record.ent_num} again (first on line {seen[record.ent_num]})"
            raise InputError(path, f"{message}; expected each uid once", record.line, "uid")
        seen[record.ent_num] = record.line
    return build_list(path, FORMAT, records, reader.warnings)


class _Reader:
    """Element access in the document's namespace, with errors that name the line."""

    def __init__(self, path: Path, namespace: str | None) -> None:
        self.path = path
        self.prefix = f"{{{namespace}}}" if namespace else ""
        self.warnings: list[str] = []

    def children(self, parent: etree._Element, name: str) -> list[etree._Element]:
        return list(parent.iterfind(f"{self.prefix}{name}"))

    def text(self, parent: etree._Element, name: str) -> str:
        """The collapsed text of the first child ``name``; empty when there is none."""
        child = parent.find(f"{self.prefix}{name}")
        if child is None or child.text is None:
            return ""
        return re.sub(r"\s+", " ", child.text).strip()

    def each(self, parent: etree._Element, path: str) -> list[etree._Element]:
        """Children along ``list/item`` (``akaList/aka``)."""
        found: list[etree._Element] = []
        outer, inner = path.split("/")
        for container in self.children(parent, outer):
            found.extend(self.children(container, inner))
        return found

    def fail(self, element: etree._Element, message: str, column: str | None = None) -> NoReturn:
        raise InputError(self.path, message, source_line(element), column)

    def check_count(self, root: etree._Element, count: int) -> None:
        """A Record_Count that differs from the entries read means a cut or edited file."""
        info = root.find(f"{self.prefix}publshInformation")
        stated = self.text(info, "Record_Count") if info is not None else ""
        if info is not None and stated and stated != str(count):
            self.fail(
                info,
                f"Record_Count says {stated} entries, the file has {count}; "
                "expected a complete sdn.xml",
                "Record_Count",
            )

    def record(self, entry: etree._Element) -> OfacRecord:
        uid = self.text(entry, "uid")
        if not is_record_number(uid):
            self.fail(entry, f"uid {uid[:24]!r}; expected OFAC's record number (digits)", "uid")
        record_id(self.path, uid, "uid", source_line(entry), "uid")
        kind = self.text(entry, "sdnType").lower()
        if kind not in SCHEMATA:
            expected = "Individual, Entity, Vessel or Aircraft"
            self.fail(entry, f"sdnType {kind!r}; expected {expected}", "sdnType")
        first, last = self.text(entry, "firstName"), self.text(entry, "lastName")
        name = _name(last, first)
        if not name:
            self.fail(entry, "no lastName; expected the SDN's name", "lastName")
        if problem := name_too_long(name):
            self.fail(entry, problem, "lastName")
        return OfacRecord(
            ent_num=uid,
            line=source_line(entry) or 0,
            name=name,
            sdn_type=kind,
            programs=[p for e in self.each(entry, "programList/program") if (p := _text(e))],
            titles=[t.strip() for t in self.text(entry, "title").split(";") if t.strip()],
            first_name=first if kind == "individual" and last else "",
            last_name=last if kind == "individual" and first else "",
            remarks=self.text(entry, "remarks"),
            items=self._items(entry),
            vessel=self._vessel(entry),
            aliases=self._aliases(entry, uid, name),
            addresses=self._addresses(entry),
        )

    def values(self, parent: etree._Element, path: str, tag: str) -> list[str]:
        """The non-empty texts of ``tag`` in each item along ``path``."""
        return [value for item in self.each(parent, path) if (value := self.text(item, tag))]

    def _items(self, entry: etree._Element) -> list[str]:
        """Structured details, each as the remark item OFAC prints for it.

        Every date and place of birth is kept; ``mainEntry`` only says which one OFAC
        prints first.
        """
        items = [
            f"DOB {d}" for d in self.values(entry, "dateOfBirthList/dateOfBirthItem", "dateOfBirth")
        ]
        items += [
            f"POB {p}"
            for p in self.values(entry, "placeOfBirthList/placeOfBirthItem", "placeOfBirth")
        ]
        items += [
            f"nationality {c}" for c in self.values(entry, "nationalityList/nationality", "country")
        ]
        items += [
            f"citizen {c}" for c in self.values(entry, "citizenshipList/citizenship", "country")
        ]
        items += [self._id_item(element) for element in self.each(entry, "idList/id")]
        return items

    def _id_item(self, element: etree._Element) -> str:
        """``Passport AB123 (Belarus) issued 01 Jan 2010 expires 01 Jan 2020``."""
        kind, number = self.text(element, "idType"), self.text(element, "idNumber")
        if not kind or not number:
            self.fail(element, "an <id> without idType or idNumber; expected both", "id")
        item = f"{kind} {number}"
        if country := self.text(element, "idCountry"):
            item += f" ({country})"
        if issued := self.text(element, "issueDate"):
            item += f" issued {issued}"
        if expires := self.text(element, "expirationDate"):
            item += f" expires {expires}"
        return item

    def _vessel(self, entry: etree._Element) -> dict[str, str]:
        info = entry.find(f"{self.prefix}vesselInfo")
        if info is None:
            return {}
        return {column: value for tag, column in _VESSEL.items() if (value := self.text(info, tag))}

    def _aliases(self, entry: etree._Element, uid: str, owner: str) -> list[tuple[str, str]]:
        """Strong and weak names; an ``aka`` without a name is skipped and reported, as an
        empty alias row of the CSV is."""
        aliases: list[tuple[str, str]] = []
        for aka in self.each(entry, "akaList/aka"):
            kind = self.text(aka, "type").lower()
            if kind not in AKA_TYPES:
                self.fail(aka, f"aka type {kind!r}; expected a.k.a., f.k.a. or n.k.a.", "type")
            category = self.text(aka, "category").lower()
            if category not in ("strong", "weak", ""):
                self.fail(aka, f"aka category {category!r}; expected strong or weak", "category")
            name = _name(self.text(aka, "lastName"), self.text(aka, "firstName"))
            if not name:
                self.warnings.append(
                    f"{self.path}, line {source_line(aka)}: {kind} of uid {uid} ({owner}) has no "
                    "lastName or firstName; skipped"
                )
                continue
            aliases.append(("weakAlias" if category == "weak" else AKA_TYPES[kind], name))
        return aliases

    def _addresses(self, entry: etree._Element) -> list[tuple[str, str, str]]:
        """(full text, country, remarks) like the CSV's: street lines, city, country."""
        found: list[tuple[str, str, str]] = []
        for address in self.each(entry, "addressList/address"):
            lines = [self.text(address, t) for t in ("address1", "address2", "address3")]
            town = [self.text(address, t) for t in ("city", "stateOrProvince", "postalCode")]
            country = self.text(address, "country")
            parts = [*lines, " ".join(t for t in town if t), country]
            full = ", ".join(part for part in parts if part)
            if full:
                found.append((full, country, self.text(address, "region")))
        return found


def _name(last: str, first: str) -> str:
    """The name as the CSV prints it: ``LAST, First`` for a person, else the last name."""
    return f"{last}, {first}" if last and first else last or first


def _text(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", element.text or "").strip()
