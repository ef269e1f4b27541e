"""What a reader is shown of an entity, in this order: the labels of its kinds of name
and the properties listed under "Details". Shared by the terminal and the web pages,
so both show an entity alike."""

from __future__ import annotations

NAME_LABELS = {
    "name": "name",
    "alias": "alias",
    "weakAlias": "weak alias",
    "previousName": "previous name",
}
#: Properties shown under "Details" on an entity page, in this order.
DETAILS = [
    "birthDate",
    "birthPlace",
    "nationality",
    "citizenship",
    "country",
    "gender",
    "position",
    "incorporationDate",
    "jurisdiction",
    "legalForm",
    "sector",
    "address",
    "phone",
    "email",
    "website",
    "flag",
    "notes",
]
