"""The web pages in a real browser: screening through htmx, the entity, a list's changes,
a package's 27 positions, the audit verdict, the forensics page, restricted evidence,
and names carrying markup shown as text. One test reads the pages without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from lxml import html
from playwright.sync_api import Page, expect

from sanctio.api import create_app
from sanctio.forensics.findings import NOT_AN_ACCUSATION
from sanctio.settings import Settings
from sanctio.web import include_web
from tests.api import TestClient
from tests.e2e.conftest import (
    INJECTED_ID,
    INJECTED_NAME,
    RESTRICTED_SOURCE,
    Site,
    Watch,
    sign_in,
)
from tests.e2e.test_accessibility import violations

YARMOSHINA_BE = "Лiдзiя Мiхайлаўна ЯРМОШЫНА"  # as the EU file spells it (with a Latin i)


def test_screening_swaps_results_in_and_links_to_the_entity(
    page: Page, site: Site, watch: Watch
) -> None:
    page.goto(f"{site.url}/ui/")
    page.evaluate("window.sanctioMarker = 'same document'")  # gone after a full load

    with page.expect_response(lambda r: "/ui/search" in r.url) as answer:
        page.fill("#q", "Лидия Ермошина")
    response = answer.value
    assert response.status == 200
    assert response.request.header_value("hx-request") == "true"
    body = response.text()
    assert "<html" not in body  # a partial, swapped into the page
    assert "YARMOSHINA" in body

    first = page.locator("#results tbody tr").first
    expect(first).to_contain_text("YARMOSHINA")
    expect(first.locator("td.score")).to_contain_text("1.00")
    expect(first.locator("td.why")).to_contain_text("yermoshina matches")
    assert page.evaluate("window.sanctioMarker") == "same document"
    address = urlsplit(page.url)  # the full page for this search, for a bookmark
    assert address.path == "/ui/"
    assert parse_qs(address.query)["q"] == ["Лидия Ермошина"]

    # a birth date that contradicts the listed one lowers the score and says why
    with page.expect_response(lambda r: "/ui/search" in r.url and "birth_date=1970" in r.url):
        page.fill("input[name=birth_date]", "1970")
    expect(first.locator("td.why")).to_contain_text("birth date 1970 contradicts 1953-01-29")
    expect(first.locator("td.score")).to_contain_text("0.70")
    expect(first).to_have_class(re.compile(r"\bclose\b"))
    with page.expect_response(lambda r: "/ui/search" in r.url and "birth_date=1953" in r.url):
        page.fill("input[name=birth_date]", "1953")
    expect(first.locator("td.why")).to_contain_text("birth date 1953 confirms")
    expect(first).to_have_class(re.compile(r"\balert\b"))
    assert page.evaluate("window.sanctioMarker") == "same document"

    first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/ui/entities/"))
    expect(page.locator("h1")).to_contain_text("Lidzia Mihailauna YARMOSHINA")
    belarusian = page.locator("table.names td[lang=be]")
    expect(belarusian).to_have_text(YARMOSHINA_BE)
    expect(page.locator("dl.sanction .listing-date")).to_have_text("2020-10-02")
    provenance = page.locator("#provenance + table tbody")
    expect(provenance).to_contain_text(re.compile(r"(eu-32006R0765|sanctio-blr)\s+\d"))
    assert watch.errors == []  # htmx ran under the pages' content security policy


def test_list_diff_shows_the_president_added_in_version_3(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/ui/lists")
    page.get_by_role("link", name="sanctio-blr").click()
    expect(page.locator("h1")).to_have_text("sanctio-blr")
    page.get_by_role("link", name="from 2 to 3").click()
    page.wait_for_url(re.compile(r"/ui/lists/sanctio-blr/diff\?old=2&new=3$"))
    added = page.locator("section.added")
    expect(added.locator("h2")).to_have_text("Added (15)")
    expect(added).to_contain_text("Aliaksandr Ryhoravich LUKASHENKA")
    expect(page.locator("section.removed h2")).to_have_text("Removed (0)")


def test_package_page_shows_27_positions_and_the_outcome(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/ui/packages")
    # the Council's preparatory work: a user signs in first, and comes back here
    page.wait_for_url(re.compile(r"/ui/login\?next=%2Fui%2Fpackages$"))
    page.fill("#token", site.tokens.viewer)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/ui/packages")
    page.get_by_role("link", name=re.compile(r"^1st package")).click()
    rows = page.locator("table.positions tbody tr")
    expect(rows).to_have_count(27)
    expect(page.locator("table.positions tbody tr[data-position=agree]")).to_have_count(27)
    expect(page.locator("#outcome")).to_have_text("adopted")
    expect(page.locator("#rule-met")).to_have_text("met")
    expect(page.locator("#board")).not_to_have_attribute("hx-get", re.compile(".+"))  # closed
    expect(page.locator("#position-form")).to_have_count(0)  # a viewer has no form
    expect(page.locator("ul.reasons li").first).not_to_be_empty()
    cyprus = page.locator("tr[data-state=CY] td.pos")
    expect(cyprus).to_have_class(re.compile(r"\bpos-agree\b"))
    colour = cyprus.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert colour == "rgb(213, 240, 220)"  # --agree
    # the audit records are an officer's (as /audit/log): test_page_roles.py shows them
    expect(page.locator("details")).to_have_count(0)
    expect(page.locator("#dossiers")).to_have_text("Dossiers (39)")


def test_audit_page_is_an_officers_and_says_intact(page: Page, site: Site) -> None:
    """The page lists the audit records, which name persons proposed: officers only,
    as /audit/log (nobody signed in is sent to sign in, a delegate is refused)."""
    page.goto(f"{site.url}/ui/audit")
    page.wait_for_url(re.compile(r"/ui/login\?next=%2Fui%2Faudit$"))
    sign_in(page, site, site.tokens.delegates["DE"])
    refused = page.goto(f"{site.url}/ui/audit")
    assert refused is not None
    assert refused.status == 403
    expect(page.locator("#verdict")).to_have_count(0)
    sign_in(page, site, site.tokens.officer)
    page.goto(f"{site.url}/ui/audit")
    expect(page.locator("#verdict")).to_contain_text("Intact")
    expect(page.locator("#checkpoints")).to_contain_text("No checkpoints in the database")
    assert violations(page) == []


def test_forensics_page_shows_commissions_and_the_note(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/ui/forensics")
    note = page.locator("#principle")
    expect(note).to_contain_text("Evidence about protocols, not accusations.")
    expect(note).to_contain_text(NOT_AN_ACCUSATION)
    expect(page.locator("#stored")).to_be_visible()
    assert "652 findings about precincts" in (page.locator("#stored + p").text_content() or "")
    page.get_by_role("link", name="Commissions with findings").click()
    page.wait_for_url(re.compile(r"/ui/login\?next=%2Fui%2Fforensics%2Fcommissions$"))
    page.fill("#token", site.tokens.viewer)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/ui/forensics/commissions")
    expect(page.locator("table.commissions tbody tr")).to_have_count(50)
    expect(page.locator("nav.pager")).to_contain_text("page 1 of 14")
    expect(page.locator("table.commissions")).to_contain_text("Tsikhanouskaya")


def test_markup_in_a_name_or_a_query_is_shown_as_text(page: Page, site: Site, watch: Watch) -> None:
    page.goto(f"{site.url}/ui/")
    query = "<img src=x onerror=\"alert('query')\"> Ivan INJECTOV"
    with page.expect_response(lambda r: "/ui/search" in r.url):
        page.fill("#q", query)
    expect(page.locator("#results p.summary q")).to_have_text(query)
    assert page.locator("#results img, #results script").count() == 0

    # the listed name as the query: its markup words are words of the name too, and
    # a name with four words the query lacks is too far from "Ivan INJECTOV" to list
    with page.expect_response(lambda r: "/ui/search" in r.url and "img" not in r.url):
        page.fill("#q", INJECTED_NAME)
    row = page.locator(f"#results tr[data-entity={INJECTED_ID}]")
    expect(row.locator("a").first).to_have_text(INJECTED_NAME)
    assert page.locator("#results script").count() == 0

    row.locator("a").first.click()
    page.wait_for_url(re.compile(r"/ui/entities/"))
    expect(page.locator("h1")).to_have_text(INJECTED_NAME)
    expect(page.locator("table.names td").first).to_have_text(INJECTED_NAME)
    assert page.locator("main script, main img").count() == 0

    page.goto(f"{site.url}/ui/?{urlencode({'q': query})}")  # the same, as a full page
    expect(page.locator("#q")).to_have_value(query)
    expect(page.locator("p.summary q")).to_have_text(query)
    assert page.locator("main img").count() == 0
    assert watch.dialogs == []


def test_restricted_evidence_only_for_a_cleared_role(page: Page, site: Site) -> None:
    dossier = f"{site.url}/ui/dossiers/{site.restricted_dossier}"
    page.goto(dossier)
    page.wait_for_url(re.compile(r"/ui/login\?next="))  # a dossier is for users only
    expect(page.locator("main")).not_to_contain_text(RESTRICTED_SOURCE)
    page.fill("#token", site.tokens.viewer)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(dossier)
    expect(page.locator("#hidden-evidence")).to_contain_text("1 restricted item version not shown")
    expect(page.locator("table.evidence")).not_to_contain_text(RESTRICTED_SOURCE)

    page.locator("#hidden-evidence a").click()
    page.fill("#token", "not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("p.error")).to_contain_text("unknown token")
    page.fill("#token", site.tokens.officer)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(dossier)
    expect(page.locator("header .who")).to_contain_text("Signed in as web-officer (officer)")
    expect(page.locator("table.evidence")).to_contain_text(RESTRICTED_SOURCE)
    expect(page.locator("#hidden-evidence")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    page.goto(dossier)
    page.wait_for_url(re.compile(r"/ui/login\?next="))


def test_the_form_works_without_javascript(site: Site) -> None:
    """A plain GET of the form's action: the whole page with the results in it."""
    params = {"q": "Лидия Ермошина", "birth_date": "1953", "country": "by", "schema": "Person"}
    response = httpx.get(f"{site.url}/ui/", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = html.fromstring(response.text)
    assert page.get("lang") == "en"
    (form,) = page.xpath('//form[@role="search"]')
    assert (form.get("method"), form.get("action")) == ("get", "/ui/")
    assert page.get_element_by_id("q").get("value") == "Лидия Ермошина"
    rows = page.xpath('//section[@id="results"]//tbody/tr')
    assert len(rows) == 2
    assert "YARMOSHINA" in rows[0].text_content()
    assert "birth date 1953 confirms" in rows[0].text_content()
    assert page.xpath('//q/span[@lang="ru"]/text()') == ["Лидия Ермошина"]

    # the results address without htmx is the full page too; with htmx, the results only
    plain = httpx.get(f"{site.url}/ui/search", params=params)
    assert plain.text.lstrip().startswith("<!doctype html>")
    partial = httpx.get(f"{site.url}/ui/search", params=params, headers={"HX-Request": "true"})
    assert not partial.text.lstrip().startswith("<!doctype")
    assert partial.headers["hx-push-url"].startswith("/ui/?q=")

    refused = httpx.get(f"{site.url}/ui/", params={"q": "x", "birth_date": "19"})
    assert refused.status_code == 400
    assert "birth date: expected YYYY, YYYY-MM or YYYY-MM-DD" in refused.text
    missing = httpx.get(f"{site.url}/ui/entities/no-such-id")
    assert missing.status_code == 404
    assert "no entity with id" in missing.text


def test_a_service_that_requires_a_token_sends_the_pages_to_sign_in(site: Site) -> None:
    app = create_app(Settings(site.db_url, site.data_dir, True), require_token=True)
    include_web(app)
    include_web(app)  # idempotent
    assert sum(getattr(route, "name", None) == "ui-static" for route in app.routes) == 1
    client = TestClient(app, base_url="http://testserver")
    try:
        closed = client.get("/ui/lists", follow_redirects=False)
        assert closed.status_code == 303
        assert closed.headers["location"] == "/ui/login?next=%2Fui%2Flists"
        assert client.get("/ui/static/style.css").status_code == 200
        results = client.get("/ui/search?q=x", headers={"HX-Request": "true"})
        assert results.headers["hx-redirect"] == "/ui/login?next=%2Fui%2Fsearch%3Fq%3Dx"
        signed = client.post(
            "/ui/login",
            data={"token": site.tokens.officer, "next": "/ui/lists"},
            follow_redirects=False,
        )
        assert (signed.status_code, signed.headers["location"]) == (303, "/ui/lists")
        assert "httponly" in signed.headers["set-cookie"].lower()
        assert client.get("/ui/lists").status_code == 200
        elsewhere = client.post(
            "/ui/login", data={"token": site.tokens.officer, "next": "https://example.org/"}
        )
        assert elsewhere.url.path == "/ui/"  # never sent to another site
        foreign = client.post(
            "/ui/logout", headers={"Origin": "https://example.org"}, follow_redirects=False
        )
        assert foreign.status_code == 403
    finally:
        app.state.service.registry.close()
