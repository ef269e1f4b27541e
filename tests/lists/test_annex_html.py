"""The annex page: the Belarus list as the Official Journal prints it, escaped, standalone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree, html

from sanctio.lists import read_list
from sanctio.lists.annex_html import journal_date, write
from sanctio.model import Entity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "opensanctions"


def page(entities: list[Entity], title: str = "Annex") -> str:
    buffer = io.StringIO()
    write(entities, buffer, title)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def belarus_page() -> tuple[str, etree._Element]:
    from importlib import resources

    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    with resources.as_file(source) as path:
        text = page(read_list(path).entities, "eu-32006R0765, version 1")
    return text, html.document_fromstring(text)


def _row(tree: etree._Element, entity_id: str) -> etree._Element:
    (row,) = tree.xpath(f'//tr[@id="{entity_id}"]')
    return row


def test_yarmoshina_row_has_every_spelling_and_her_listing_date(
    belarus_page: tuple[str, etree._Element],
) -> None:
    _, tree = belarus_page
    row = _row(tree, "eu-32006r0765-i-a-33")
    number, names, info, reasons, listed = row.xpath("./td")
    assert number.text_content() == "33."  # her record number in annex I.A
    spellings = [span.text_content() for span in names.xpath("./span")]
    assert spellings == [
        "Lidzia Mihailauna YARMOSHINA",
        "(Lidia Mikhailovna YERMOSHINA)",
        "Лiдзiя Мiхайлаўна ЯРМОШЫНА",
        "Лидия Михайловна ЕРМОШИНА",
    ]
    assert [span.get("lang") for span in names.xpath("./span")] == [None, None, "be", "ru"]
    details = [span.text_content() for span in info.xpath("./span")]
    assert details == [
        "Position(s): Former Chairwoman of the Central Electoral Commission (CEC)",
        "DOB: 29.1.1953",
        "POB: Slutsk, former USSR (now Belarus)",
        "Gender: female",
    ]
    assert "falsification of election results" in reasons.text_content()
    (time,) = listed.xpath("./time")
    assert (time.get("datetime"), time.text) == ("2020-10-02", "2.10.2020")


def test_annexes_in_the_journal_order_with_every_target_once(
    belarus_page: tuple[str, etree._Element],
) -> None:
    _, tree = belarus_page
    assert [h.text for h in tree.xpath("//h2")] == [
        "Annex I.A",
        "Annex I.B",
        "Annex V",
        "Annex IX",
        "Annex XV",
        "Annex XXXIV",
    ]
    rows = tree.xpath("//tbody/tr")
    assert len(rows) == len({r.get("id") for r in rows}) == 408
    first_annex = tree.xpath("//section[1]//tbody/tr/td[1]/text()")
    assert first_annex[:3] == ["1.", "2.", "3."]
    assert len(first_annex) == 312
    lukashenka = _row(tree, "eu-32006r0765-i-a-45")
    assert "Nationality" not in lukashenka.text_content()
    assert lukashenka.xpath("./td[5]/time/@datetime") == ["2020-11-06"]
    beltechexport = _row(tree, "eu-32006r0765-i-b-1").text_content()
    assert "Registration number: 100138662" in beltechexport
    assert "Email: mail@bte.by" in beltechexport


def test_standalone_html5_page(belarus_page: tuple[str, etree._Element]) -> None:
    text, tree = belarus_page
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in text
    assert tree.xpath("//title/text()") == ["eu-32006R0765, version 1"]
    assert tree.xpath("//style")  # inline CSS
    assert not tree.xpath("//script | //link | //*[@src]")  # nothing fetched from elsewhere


def test_everything_is_escaped() -> None:
    evil = "<script>alert('x')</script>"
    person = Entity.make("Person", "p-1", caption=evil, target=True)
    person.add("name", evil)
    person.add("alias", 'Ann "& Co" <b>')
    person.add("notes", "</td><td>")
    sanction = Entity.make("Sanction", "p-1--sanction")
    sanction.add("entity", "p-1")
    sanction.add("reason", "<img src=x onerror=alert(1)>")
    text = page([person, sanction], title="<title>")
    assert "<script" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "Ann &quot;&amp; Co&quot; &lt;b&gt;" in text
    assert "&lt;/td&gt;&lt;td&gt;" in text
    assert "<title>&lt;title&gt;</title>" in text
    tree = html.document_fromstring(text)
    assert len(tree.xpath("//tbody/tr/td")) == 5


def test_without_annexes_rows_are_grouped_by_kind_and_numbered_in_name_order() -> None:
    parsed = read_list(FIXTURES / "targets.simple.csv")
    tree = html.document_fromstring(page(parsed.entities))
    assert [h.text for h in tree.xpath("//h2")] == [
        "Natural persons",
        "Legal persons, entities and bodies",
    ]
    persons = tree.xpath("//section[1]//tbody/tr")
    assert [r.xpath("./td[1]/text()")[0] for r in persons] == ["1.", "2.", "3."]
    assert [r.xpath("./td[2]/span[1]/text()")[0] for r in persons] == [
        "Aliaksandr Ryhoravich LUKASHENKA",
        "Andrei Mikalaevich MUKAVOZCHYK",
        "Lidzia Mihailauna YARMOSHINA",
    ]
    # identifiers read from the CSV appear as ID numbers
    assert "ID number: MP 2387911; MP 3413113" in persons[1].text_content()


def test_related_passports_are_identifying_information() -> None:
    parsed = read_list(FIXTURES / "entities.ftm.json")
    tree = html.document_fromstring(page(parsed.entities))
    row = _row(tree, "NK-fixtureMukavozchyk").text_content()
    assert "Passport: MP 3413113 (Passport) Belarus" in row
    assert "Nationality: Belarus" in row


@pytest.mark.parametrize(
    ("iso", "printed"),
    [("2020-10-02", "2.10.2020"), ("1954-08", "8.1954"), ("1954", "1954"), ("n/a", "n/a")],
)
def test_dates_as_the_journal_prints_them(iso: str, printed: str) -> None:
    assert journal_date(iso) == printed
