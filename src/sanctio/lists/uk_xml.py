"""Reader for the UK Sanctions List in its XML layout (``Designations/Designation``).

Element names are the FCDO's (https://www.gov.uk/government/publications/the-uk-
sanctions-list, ``UK-Sanctions-List.xml``); ``uk_list`` turns the fields into entities.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from sanctio.errors import InputError
from sanctio.lists.parsed import ParsedList
from sanctio.lists.uk_list import Designation, Name, build
from sanctio.lists.xmlfile import local_name, parse_xml, source_line

FORMAT = "uk-xml"
#: Elements directly under Designation, read as they are.
TOP_FIELDS = (
    "UniqueID",
    "OFSIGroupID",
    "UNReferenceNumber",
    "RegimeName",
    "IndividualEntityShip",
    "DesignationSource",
    "SanctionsImposed",
    "OtherInformation",
    "UKStatementofReasons",
    "DateDesignated",
    "LastUpdated",
)
#: Repeated values: path below Designation -> field name.
LIST_FIELDS = {
    "Titles/Title": "Title",
    "PhoneNumbers/PhoneNumber": "PhoneNumber",
    "EmailAddresses/EmailAddress": "EmailAddress",
    "Websites/Website": "Website",
    "IndividualDetails/Individual/DOBs/DOB": "DOB",
    "IndividualDetails/Individual/Nationalities/Nationality": "Nationality",
    "IndividualDetails/Individual/Genders/Gender": "Gender",
    "IndividualDetails/Individual/Positions/Position": "Position",
    "EntityDetails/Entity/TypeOfEntities/TypeOfEntity": "TypeOfEntity",
    "EntityDetails/Entity/BusinessRegistrationNumbers/BusinessRegistrationNumber": (
        "BusinessRegistrationNumber"
    ),
    "EntityDetails/Entity/ParentCompanies/ParentCompany": "ParentCompany",
    "EntityDetails/Entity/Subsidiaries/Subsidiary": "Subsidiary",
    "ShipDetails/Ship/IMONumbers/IMONumber": "IMONumber",
    "ShipDetails/Ship/CurrentOwnerOperators/CurrentOwnerOperator": "CurrentOwnerOperator",
    "ShipDetails/Ship/PreviousOwnerOperators/PreviousOwnerOperator": "PreviousOwnerOperator",
    "ShipDetails/Ship/CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip": (
        "CurrentBelievedFlagOfShip"
    ),
    "ShipDetails/Ship/PreviousFlags/PreviousFlag": "PreviousFlag",
    "ShipDetails/Ship/TypeOfShipDetails/TypeOfShip": "TypeOfShip",
    "ShipDetails/Ship/TonnageOfShipDetails/TonnageOfShip": "TonnageOfShip",
    "ShipDetails/Ship/LengthOfShipDetails/LengthOfShip": "LengthOfShip",
    "ShipDetails/Ship/YearsBuilt/YearBuilt": "YearBuilt",
}
_ROOT = re.compile(rb"<(?:[\w.-]+:)?Designations[\s>/]")


def detect(head: bytes, path: Path) -> bool:
    """True when the file's root element is the FCDO's ``Designations``."""
    return bool(head) and _ROOT.search(head) is not None


def read(path: Path) -> ParsedList:
    """Every Designation as entities; InputError names the line of bad input."""
    root = parse_xml(path)
    if local_name(root) != "Designations":
        raise InputError(
            path, f"root element <{local_name(root)}>; expected <Designations>", source_line(root)
        )
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    designations = [_designation(path, el, ns) for el in root.iterfind(f"{ns}Designation")]
    return build(path, FORMAT, designations)


def _designation(path: Path, element: etree._Element, ns: str) -> Designation:
    def find(child: etree._Element, tag_path: str) -> list[etree._Element]:
        return child.findall("/".join(ns + step for step in tag_path.split("/")))

    def text(child: etree._Element, tag_path: str) -> str:
        found = find(child, tag_path)
        return " ".join((found[0].text or "").split()) if found else ""

    unique_id = re.sub(r"\s+", "", text(element, "UniqueID"))
    if not unique_id:
        raise InputError(path, "Designation without UniqueID; expected one", source_line(element))
    designation = Designation(unique_id, source_line(element))
    for key in TOP_FIELDS:
        for child in find(element, key):
            designation.add(key, child.text, source_line(child))
    for tag_path, key in LIST_FIELDS.items():
        for child in find(element, tag_path):
            designation.add(key, child.text, source_line(child))
    for name in find(element, "Names/Name"):
        parts = tuple(text(name, f"Name{i}") for i in range(1, 7))
        designation.add_name(
            Name(parts, text(name, "NameType"), text(name, "AliasStrength"), source_line(name))
        )
    for name in find(element, "NonLatinNames/NonLatinName"):
        designation.add_non_latin(text(name, "NameNonLatinScript"), source_line(name))
    individual = "IndividualDetails/Individual/"
    records = {
        "BirthLocation": (f"{individual}BirthDetails/Location", ("TownOfBirth", "CountryOfBirth")),
        "Passport": (
            f"{individual}PassportDetails/Passport",
            ("PassportNumber", "PassportAdditionalInformation"),
        ),
        "NationalIdentifier": (
            f"{individual}NationalIdentifierDetails/NationalIdentifier",
            ("NationalIdentifierNumber", "NationalIdentifierAdditionalInformation"),
        ),
    }
    for key, (tag_path, parts) in records.items():
        for child in find(element, tag_path):
            designation.add_record(key, tuple(text(child, p) for p in parts), source_line(child))
    for address in find(element, "Addresses/Address"):
        lines = ", ".join(v for i in range(1, 7) if (v := text(address, f"AddressLine{i}")))
        parts = (lines, text(address, "AddressPostalCode"), text(address, "AddressCountry"))
        designation.add_record("Address", parts, source_line(address))
    return designation
