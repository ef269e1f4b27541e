"""The pages where work is done, in a real browser: a delegate records a position and
every open board updates without a reload; the forensic report of an uploaded file
renders its plots; a published list reads as the annex the Council adopts."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Site, Watch, new_tab, screenshot, sign_in

PROTOCOLS = resources.files("sanctio.data.demo").joinpath("protocols.csv")


def test_a_delegate_records_a_position_and_the_open_boards_update(
    browser: Browser, site: Site, watch: Watch
) -> None:
    package = f"{site.url}/ui/packages/{site.open_package}"
    observer = new_tab(browser, watch)
    delegate = new_tab(browser, watch)
    france = new_tab(browser, watch)
    try:
        sign_in(observer, site, site.tokens.viewer)
        observer.goto(package)
        observer.evaluate("window.sanctioMarker = 'same document'")
        board = observer.locator("#board")
        expect(board).to_have_attribute("hx-trigger", re.compile(r"every 2s"))
        expect(observer.locator("tr[data-state=DE]")).to_have_attribute("data-position", "")
        expect(observer.locator("#outcome")).to_have_text("pending")
        expect(observer.locator("#rule-met")).to_have_text("not met")
        before = int(board.get_attribute("data-recorded") or 0)
        assert observer.locator("#position-form").count() == 0  # a viewer has no vote

        sign_in(delegate, site, site.tokens.delegates["DE"])
        delegate.goto(package)
        form = delegate.locator("#position-form")
        expect(form.locator("h2")).to_have_text("Your position (DE)")
        # a block needs its reason: refused, said in the form, nothing recorded
        form.get_by_role("radio", name="block").check()
        form.locator("button[type=submit]").click()
        expect(delegate.locator("#position-message")).to_contain_text("needs a reason")
        expect(delegate.locator("tr[data-state=DE]")).to_have_attribute("data-position", "")

        form = delegate.locator("#position-form")
        form.get_by_role("radio", name="agree").check()
        form.locator("#statement").fill("Germany supports the listing.")
        form.locator("button[type=submit]").click()
        expect(delegate.locator("#position-message")).to_have_text("Recorded: DE — agree.")
        # the delegate's own board at once, the observer's within its refresh
        expect(delegate.locator("tr[data-state=DE]")).to_have_attribute("data-position", "agree")
        observed = observer.locator("tr[data-state=DE]")
        expect(observed).to_have_attribute("data-position", "agree", timeout=6000)
        expect(observed).to_contain_text("Germany supports the listing.")
        expect(observer.locator("#board")).to_have_attribute("data-recorded", str(before + 1))
        assert observer.evaluate("window.sanctioMarker") == "same document"  # no reload
        screenshot(observer, "package_board_after_a_position")

        # France's delegate cannot speak for Germany: its form records France only
        sign_in(france, site, site.tokens.delegates["FR"])
        france.goto(package)
        expect(france.locator("#position-form h2")).to_have_text("Your position (FR)")
        france.locator("#position-form").get_by_role("radio", name="scrutiny reserve").check()
        france.locator("#position-form button[type=submit]").click()
        expect(france.locator("#position-message")).to_have_text("Recorded: FR — scrutiny reserve.")
        expect(observer.locator("tr[data-state=FR]")).to_have_attribute(
            "data-position", "scrutiny_reserve", timeout=6000
        )
        expect(observer.locator("#board")).to_have_attribute("data-recorded", str(before + 2))
        expect(observer.locator("ul.reasons")).to_contain_text("FR")
        assert watch.errors == []
    finally:
        for tab in (observer, delegate, france):
            tab.context.close()


def test_the_position_form_works_without_javascript(site: Site) -> None:
    """A plain form post: recorded, and the package page loaded again."""
    cookies = {"sanctio_token": site.tokens.delegates["IT"]}
    with httpx.Client(base_url=site.url, cookies=cookies) as client:
        page = client.get(f"/ui/packages/{site.open_package}").text
        content_hash = re.search(r'name="content_hash" value="([0-9a-f]+)"', page)
        assert content_hash is not None
        form = {"position": "abstain", "statement": "", "content_hash": content_hash.group(1)}
        posted = client.post(f"/ui/packages/{site.open_package}/position", data=form)
        assert posted.status_code == 303
        assert posted.headers["location"] == f"/ui/packages/{site.open_package}"
        board = client.get(f"/ui/packages/{site.open_package}/board").text
        assert 'data-state="IT" data-position="abstain"' in board
        stale = client.post(
            f"/ui/packages/{site.open_package}/position", data={**form, "content_hash": "ab" * 32}
        )
        assert stale.status_code == 409
        assert "changed after it was circulated" in stale.text
        foreign = client.post(
            f"/ui/packages/{site.open_package}/position",
            data=form,
            headers={"Origin": "https://example.org"},
        )
        assert foreign.status_code == 403
    anonymous = httpx.post(
        f"{site.url}/ui/packages/{site.open_package}/position", data={"position": "block"}
    )
    assert anonymous.status_code == 303  # to the login form, nothing recorded
    assert "/ui/login" in anonymous.headers["location"]


def test_the_forensic_report_renders_its_plots(page: Page, site: Site, watch: Watch) -> None:
    page.goto(f"{site.url}/ui/forensics")
    with resources.as_file(PROTOCOLS) as path:
        page.set_input_files("#results", str(Path(path)))
    page.fill("input[name=draws]", "200")
    page.fill("input[name=replicates]", "0")
    # the click waits for the form's navigation, which lasts as long as the tests run
    page.get_by_role("button", name="Run every test").click(timeout=120_000)
    page.wait_for_url(f"{site.url}/ui/forensics/report", timeout=120_000)
    expect(page.locator("h1")).to_have_text("Election forensics: protocols.csv")
    expect(page.locator("ul.summary")).to_contain_text("382 precincts report a turnout")
    plots = page.locator("figure.plot img")
    expect(plots).to_have_count(4)
    for key in ("integer-test", "fingerprint", "anomalous-votes", "digits"):
        image = page.locator(f"#test-{key} figure.plot img")
        expect(image).to_have_attribute("alt", re.compile(".{40,}"))
        # decoded by the browser, under the pages' content security policy
        complete, width, height = image.evaluate(
            "img => [img.complete, img.naturalWidth, img.naturalHeight]"
        )
        assert complete is True, key
        assert width > 300, (key, width)
        assert height > 200, (key, height)
    expect(page.locator("#test-integer-test")).to_contain_text("Kobak")
    expect(page.locator("#principle")).to_contain_text("not about persons")
    expect(page.locator("#excluded")).to_contain_text("Rows left out")
    assert watch.errors == []


def test_a_file_the_tests_cannot_read_is_refused_by_name(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/ui/forensics")
    page.set_input_files(
        "#results", files=[{"name": "minutes.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"}]
    )
    page.get_by_role("button", name="Run every test").click()
    expect(page.locator("h1")).to_have_text("The file cannot be tested")
    expect(page.locator("p.error")).to_contain_text("minutes.csv, line 1: unrecognised header")


def test_the_published_list_reads_as_an_annex(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/ui/lists/sanctio-blr")
    page.locator("#annex-link").click()
    page.wait_for_url(f"{site.url}/ui/lists/sanctio-blr/annex")
    rows = page.locator("table.annex tbody tr")
    expect(rows).to_have_count(95)  # the 4 + 39 + 15 + 37 the 2020 packages listed
    president = rows.filter(has_text="Aliaksandr Ryhoravich LUKASHENKA")
    expect(president).to_have_count(1)
    expect(president.locator("li[lang=be]")).to_contain_text("ЛУКАШЭНКА")
    expect(president.locator("td").last).to_have_text("2020-11-06")
    dates = [
        text.strip() for text in page.locator("table.annex tbody td:last-child").all_inner_texts()
    ]
    assert dates == sorted(dates)  # in the order of listing
    first_entry = page.locator("#entry-1 td").nth(3)
    expect(first_entry).not_to_be_empty()  # the reasons, as published
    page.goto(f"{site.url}/ui/lists/sanctio-blr/annex?version=1")
    expect(page.locator("table.annex tbody tr")).to_have_count(4)
