"""FollowTheMoney entity JSON lines, as OpenSanctions publishes ``entities.ftm.json``.

One entity per line: ``{"id", "schema", "properties", "caption"?, "datasets"?,
"target"?, ...}``. Ids are kept as published, relations (Sanction, Identification,
Occupancy...) are entities of their own, as in FtM.

Sanctio models a subset of FtM (``sanctio.model.schemata``). Nothing the file says is
dropped without a word: a property FtM defines but Sanctio does not model, or a value
FtM accepts but Sanctio's stricter types refuse (a territory code such as ``ua-cri``,
a phone number without a country code), is kept word for word in the entity's
``notes`` (``description`` for Sanction, Identification and other intervals) as
``property: value``. What neither FtM nor Sanctio knows is an error naming the line.
Only OpenSanctions' crawl bookkeeping (``first_seen``, ``last_seen``, ``last_change``,
``referents``) is left out: it changes on every run, and keeping it would make every
import a new version in which every entity changed.

A target without any name is valid FtM: it is kept (its Sanction and documents still
point at it), and reported in the list's warnings, because screening by name cannot
find it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from sanctio.errors import InputError
from sanctio.lists.csvfile import decode_utf8
from sanctio.lists.files import read_bytes
from sanctio.lists.parsed import ParsedList
from sanctio.model import Entity, InvalidValueError, get_schema, schema_names, target_schema_names
from sanctio.model.types import EXPECTED, clean_value

FORMAT = "ftm-json"

#: FollowTheMoney 4's vocabulary: every schema with the properties it declares itself
#: (leaving out the reverse "stub" properties, which entity JSON never holds). Sanctio
#: models part of it; a test checks this table against the ``followthemoney`` library.
_FTM_VOCABULARY = """
Address: city full googlePlaceId latitude longitude osmId postOfficeBox postalCode region
    remarks state street street2
Airplane: icaoCode manufacturer serialNumber
Analyzable: companiesMentioned detectedCountry detectedLanguage emailMentioned ibanMentioned
    ipMentioned locationMentioned namesMentioned peopleMentioned phoneMentioned
Article:
Asset:
Associate: associate person relationship
Audio: duration samplingRate
BankAccount: accountNumber accountType balance balanceDate bank bankAddress bankName bic
    closingDate iban maxBalance maxBalanceDate openingDate
Call: caller callerNumber duration receiver receiverNumber
CallForTenders: authority authorityReferenceId awardNoticeDate awardedInLots awardingDate callId
    certificationCheck clarificationDeadline contractNoticeDate cpvCode directive euFunding
    evaluationMechanism fallsUnderGPPScope involvesOutcome lotsNames maximumNumberOfLots
    multipleTenders numberOfLots nutsCode onBehalfOf paymentOptions procedure procurementType
    publicationDate relationToThreshold reverseAuctionsIncluded submissionDeadline tedUrl
    tenderers tendersForLots title
Company: bikCode caemCode capital cikCode coatoCode fnsCode fssCode ipoCode irsCode isinCode
    jibCode kppCode mbsCode okopfCode oksmCode pfrNumber ricCode ticker voenCode
Contract: authority cancelled classification contractDate criteria language method noticeId
    numberAwards procedure procedureNumber project status title type
ContractAward: amended callForTenders contract cpvCode decisionReason documentNumber
    documentType lotNumber nutsCode supplier
Control: controlType controlled controller legalBasis
CourtCase: caseNumber category closeDate court fileDate status type
CourtCaseParty: case party
CryptoWallet: accountId balance balanceDate blockchain creationDate cryptoAddress currencySymbol
    custodyType holder managingExchange privateKey publicKey
Debt: creditor debtor
Directorship: director organization secretary
Document: ancestors author authoredAt bodyText contentHash crawler date encoding extension
    fileName fileSize generator language messageId mimeType parent processedAt processingAgent
    processingError processingStatus publishedAt title translatedLanguage translatedText
Documentation: document entity
EconomicActivity: bankAccount bankForeign bankRub ccdNumber ccdValue contract contractHolder
    customsAmount customsProcedure declarant departureCountry destinationCountry
    directionOfTransportation dollarExchRate goodsDescription invoiceAmount originCountry
    receiver sender tradingCountry transport vedCode vedCodeDescription
Email: bcc cc emitters from headers inReplyTo inReplyToEmail recipients sender subject
    threadTopic to
Employment: employee employer
Event: important involved location organizer
Family: person relationship relative
Folder:
HyperText: bodyHtml
Identification: authority country holder number type
Image: credit pictured
Interest: role status
Interval: alephUrl date description endDate indexText modifiedAt namesMentioned proof publisher
    publisherUrl recordId retrievedAt sourceUrl startDate summary
LegalEntity: abbreviation brightQueryId brightQueryOrgId bvdId classification dissolutionDate
    dunsCode email icijId idNumber incorporationDate innCode jurisdiction legalForm leiCode
    licenseNumber mainCountry npiCode ogrnCode okpoCode okvedCode opencorporatesUrl parent phone
    registrationNumber sayariId sector status swiftBic taxNumber taxStatus uniqueEntityId
    uscCode vatCode website
License: area commodities reviewDate
Membership: member organization
Mention: contextCountry contextEmail contextPhone detectedSchema document name resolved
Message: inReplyTo inReplyToMessage metadata recipientAccount recipients sender senderAccount
    subject threadTopic
Note: entity
Occupancy: constituency declarationDate electionDate holder periodEnd periodStart politicalGroup
    post status
Organization: cageCode giiNumber imoNumber permId
Ownership: asset legalBasis owner ownershipType percentage sharesCount sharesCurrency sharesType
    sharesValue
Package:
Page: bodyText detectedLanguage document index indexText translatedText translatedTextLanguage
Pages: pdfHash
Passport: birthDate birthPlace gender givenName passportNumber personalNumber surname
Payment: beneficiary beneficiaryAccount contract payer payerAccount programme project purpose
    sequenceNumber transactionNumber
Person: appearance biography birthCountry birthDate birthPlace citizenship deathDate education
    ethnicity eyeColor fatherName firstName gender hairColor height lastName middleName
    motherName nameSuffix nationality passportNumber political position profession religion
    secondName socialSecurityNumber spokenLanguage title weight
PlainText:
Position: dissolutionDate inceptionDate numberOfSeats organization subnationalArea
Project: goal phase projectId status
ProjectParticipant: participant project
PublicBody:
RealEstate: area cadastralCode censusBlock createDate encumbrance landType latitude longitude
    parent propertyType registrationNumber tenure titleNumber
Representation: agent client
Risk: authority country duration entity listingDate program programId programUrl reason status
    topics
Sanction: authority authorityId country duration entity listingDate program programId programUrl
    provisions reason status unscId
Security: classification collateral figiCode isin issueDate issuer maturityDate
    registrationNumber ticker type
Similar: candidate confidenceScore criteria match matcher
Succession: predecessor successor
Table: columns csvHash rowCount
TaxRoll: birthDate country givenName income surname taxPaid taxee wealth
Territory: fipsCode level nutsCode partOf territoryCode zipCode
Thing: address addressEntity alephUrl alias country createdAt description indexText keywords
    modifiedAt name notes previousName program programId proof publisher publisherUrl
    retrievedAt riskSource sourceUrl summary topics weakAlias wikidataId wikipediaUrl
Trip: endLocation startLocation vehicle
UnknownLink: object subject
UserAccount: email ipAddress owner password phone service username
Value: amount amountEur amountUsd currency
Vehicle: buildDate deregistrationDate model operator owner registrationDate registrationNumber
    type
Vessel: callSign crsNumber deadweightTonnage flag grossRegisteredTonnage imoNumber mmsi
    nameChangeDate navigationArea pastFlags pastTypes registrationPort tonnage
Video: duration
Workbook:
"""


#: Top-level keys of an entity object. The last four are OpenSanctions' bookkeeping.
KEYS = ("id", "schema", "properties", "caption", "datasets", "target")
SKIPPED_KEYS = ("first_seen", "last_seen", "last_change", "referents")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STANDARD_NAMES = ("entities.ftm.json",)
#: Longest list name the registry stores.
MAX_LIST_NAME = 200


@cache
def ftm_vocabulary() -> dict[str, frozenset[str]]:
    """FtM schema name -> the properties it declares, from the table above."""
    vocabulary: dict[str, frozenset[str]] = {}
    for entry in re.split(r"\n(?=\S)", _FTM_VOCABULARY.strip()):
        name, _, props = entry.partition(":")
        vocabulary[name] = frozenset(props.split())
    return vocabulary


@cache
def ftm_only_properties(schema: str) -> frozenset[str]:
    """Properties FtM gives ``schema`` (its own and inherited) that Sanctio lacks."""
    found = get_schema(schema)
    props = {p for name, own in ftm_vocabulary().items() if found.is_a(name) for p in own}
    return frozenset(props - set(found.properties))


def detect(head: bytes, path: Path) -> bool:
    """True when the file starts with a JSON object whose first key is an entity's
    (``id``, ``schema``, ``caption``...), whatever order the writer put them in."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    first_key = re.match(rb'\{\s*"([a-z_]+)"\s*:', text)
    return first_key is not None and first_key.group(1).decode() in KEYS + SKIPPED_KEYS


def read(path: Path) -> ParsedList:
    """Every entity of a FtM JSON lines file; InputError on the first bad line."""
    text = decode_utf8(path, read_bytes(path))
    entities: list[Entity] = []
    warnings: list[str] = []
    first_line: dict[str, int] = {}
    unmodelled: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        data = _parse_line(path, line, number)
        schema = _schema_name(path, data, number)
        if schema not in schema_names():
            unmodelled.setdefault(schema, []).append(number)
            continue
        entity = entity_from_json(path, data, number)
        if entity.id in first_line:
            raise InputError(
                path,
                f"entity id {entity.id!r} occurs again (first on line {first_line[entity.id]}); "
                "expected each id once",
                number,
            )
        first_line[entity.id] = number
        entities.append(entity)
        if entity.target and not entity.names:
            warnings.append(
                f"{path}, line {number}: target {entity.id} ({entity.schema.name}) has no "
                "name; kept, but screening by name cannot find it"
            )
    if unmodelled:
        raise _unmodelled_error(path, unmodelled)
    if not entities:
        raise InputError(path, "no entities; expected one FtM entity JSON object per line", 1)
    return ParsedList(_list_name(path, entities), FORMAT, path, entities, warnings)


def write(entities: Iterable[Entity], out: TextIO) -> None:
    """Each entity as one line of FtM JSON, in the order given.

    ``target`` is always written (also ``false``), so that reading the file back does
    not take a relative who is a Person for a designated target.
    """
    for entity in entities:
        out.write(json.dumps(entity_to_json(entity), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


def entity_to_json(entity: Entity) -> dict[str, Any]:
    """The FtM JSON object for one entity, keys in FtM's order, properties sorted."""
    data: dict[str, Any] = {
        "id": entity.id,
        "schema": entity.schema.name,
        "caption": entity.caption or entity.first("name") or entity.id,
        "target": entity.target,
    }
    if entity.datasets:
        data["datasets"] = list(entity.datasets)
    data["properties"] = {k: list(v) for k, v in sorted(entity.properties.items())}
    return data


def entity_from_json(path: Path, data: dict[str, Any], line: int) -> Entity:
    """One entity from its parsed JSON object; InputError names ``line`` and what is wrong."""

    def fail(message: str) -> InputError:
        return InputError(path, message, line)

    unknown = [key for key in data if key not in KEYS and key not in SKIPPED_KEYS]
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}; expected only: {', '.join(KEYS + SKIPPED_KEYS)}")
    entity_id = data.get("id")
    if (
        not isinstance(entity_id, str)
        or not entity_id
        or clean_value("entity", entity_id) != entity_id
    ):
        shown = entity_id[:60] if isinstance(entity_id, str) else entity_id
        raise fail(
            f"id {shown!r}; expected a non-empty string without spaces: {EXPECTED['entity']}"
        )
    target = data.get("target")
    if target is not None and not isinstance(target, bool):
        raise fail(f"target {target!r}; expected true or false")
    schema_name = _schema_name(path, data, line)
    if schema_name not in schema_names():
        raise fail(f"schema {schema_name!r} is FtM's but Sanctio does not model it")
    schema = get_schema(schema_name)
    if target is None:
        target = schema.name in target_schema_names()
    entity = Entity.make(schema.name, entity_id, caption=_string(path, data, "caption", line))
    entity.target = target
    entity.datasets = _strings(path, data.get("datasets") or [], "datasets", line)
    if "" in (d.strip() for d in entity.datasets):
        raise fail("datasets: an empty name; expected dataset names such as eu_fsf")
    properties = data.get("properties")
    if not isinstance(properties, dict):
        raise fail(f"properties {properties!r}; expected an object of property: [values]")
    notes: list[str] = []
    for prop, values in properties.items():
        _add_property(path, line, entity, prop, values, notes)
    if notes:
        try:
            entity.add(_notes_property(entity), notes)
        except InvalidValueError as exc:
            raise fail(f"{exc}; expected shorter values to keep in notes") from None
    if not entity.caption:
        entity.caption = entity.first("name") or entity.id
    return entity


def _parse_line(path: Path, line: str, number: int) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"not valid JSON ({exc.msg}); expected one FtM entity JSON object per line",
            number,
            exc.colno,
        ) from None
    except (ValueError, RecursionError) as exc:  # a number of 5,000 digits, [[[[...]]]]
        raise InputError(
            path,
            f"JSON that cannot be read ({exc}); expected one FtM entity JSON object per line",
            number,
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            path, f"a JSON {type(data).__name__}; expected an entity object {{...}}", number
        )
    return data


def _schema_name(path: Path, data: dict[str, Any], line: int) -> str:
    """The entity's schema name, if FtM has such a schema; InputError otherwise."""
    schema = data.get("schema")
    if isinstance(schema, str) and (schema in schema_names() or schema in ftm_vocabulary()):
        return schema
    what = "no schema" if schema is None else f"unknown schema {schema!r}"
    raise InputError(path, f"{what}; expected one of: {', '.join(schema_names())}", line)


def _add_property(
    path: Path, line: int, entity: Entity, prop: str, values: Any, notes: list[str]
) -> None:
    """Add one property's values; what FtM has but Sanctio cannot hold goes to ``notes``."""
    schema = entity.schema
    where = f"{schema.name}.{prop}"
    strings = _strings(path, values, where, line)
    spec = schema.get(prop)
    if spec is None and prop not in ftm_only_properties(schema.name):
        expected = ", ".join(sorted(schema.properties))
        raise InputError(
            path, f"{schema.name} has no property {prop!r}; expected one of: {expected}", line
        )
    for value in strings:
        if spec is None:
            notes.append(f"{prop}: {value}")
            continue
        try:
            entity.add(prop, value)
        except InvalidValueError:
            notes.append(f"{prop}: {value}")


def _notes_property(entity: Entity) -> str:
    """Where kept-aside values go: ``notes`` on things, ``description`` on intervals."""
    return "notes" if entity.schema.get("notes") is not None else "description"


def _string(path: Path, data: dict[str, Any], key: str, line: int) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(path, f"{key} {value!r}; expected a string", line)
    return _printable(path, value, key, line)


def _strings(path: Path, values: Any, where: str, line: int) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(path, f"{where}: {values!r}; expected a list of strings", line)
    return [_printable(path, value, where, line) for value in values]


def _printable(path: Path, value: str, where: str, line: int) -> str:
    """``value`` if it is text the registry can store: JSON escapes can spell control
    characters (PostgreSQL stores no NUL) and half surrogate pairs (no UTF-8 at all),
    which the file's bytes never show."""
    bad = _CONTROL.search(value)
    if bad:
        raise InputError(
            path,
            f"{where}: control character U+{ord(bad.group()):04X} in {value[:60]!r}; "
            "expected printable text",
            line,
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            path,
            f"{where}: half of a surrogate pair (\\u{ord(value[exc.start]):04x}) in "
            f"{value[:60]!r}; expected text (a character beyond U+FFFF as a whole pair)",
            line,
        ) from None
    return value


def _unmodelled_error(path: Path, unmodelled: dict[str, list[int]]) -> InputError:
    """One error naming every FtM schema Sanctio cannot hold, and where it first occurs."""
    first = min(lines[0] for lines in unmodelled.values())
    counts = ", ".join(
        f"{schema} ({len(lines)} from line {lines[0]})"
        for schema, lines in sorted(unmodelled.items(), key=lambda item: item[1][0])
    )
    return InputError(
        path,
        f"entities of FtM schemata Sanctio does not model: {counts}; expected only: "
        f"{', '.join(schema_names())} (remove those lines to import the rest)",
        first,
    )


def _list_name(path: Path, entities: list[Entity]) -> str:
    """The one dataset every entity belongs to, else the folder of an OpenSanctions
    download (``<dataset>/entities.ftm.json``), else the file name."""
    shared = set(entities[0].datasets).intersection(*(e.datasets for e in entities[1:]))
    if len(shared) == 1 and len(name := shared.pop()) <= MAX_LIST_NAME:
        return name
    if path.name in _STANDARD_NAMES and path.parent.name:
        return path.parent.name
    return path.name.split(".")[0] or path.name
