"""Roles on the pages, in a real browser: a delegate signed in is refused an officer's
page and, signed out, the Council's pages again; a session whose token is revoked ends
on the next page; the package's audit records are an officer's to read, as the API's
``/audit/log`` is."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Site, Watch, new_tab, screenshot, sign_in
from tests.e2e.test_accessibility import violations


def test_a_delegate_is_refused_the_users_page_and_signs_out(page: Page, site: Site) -> None:
    sign_in(page, site, site.tokens.delegates["DE"])
    expect(page.locator(".who")).to_contain_text("Signed in as delegate-DE (delegate, DE)")
    answer = page.goto(f"{site.url}/ui/users")
    assert answer is not None
    assert answer.status == 403
    expect(page.locator("h1")).to_have_text("Forbidden")
    expect(page.locator("p.error")).to_contain_text("delegate-DE is a delegate; this needs officer")
    expect(page.locator("#users")).to_have_count(0)
    screenshot(page, "users_page_refused_to_a_delegate")

    page.goto(f"{site.url}/ui/packages")
    expect(page.locator("h1")).to_contain_text("Packages")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site.url}/ui/")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(f"{site.url}/ui/packages")
    page.wait_for_url(re.compile(r"/ui/login\?next=%2Fui%2Fpackages$"))
    page.goto(f"{site.url}/ui/users")
    page.wait_for_url(re.compile(r"/ui/login\?next=%2Fui%2Fusers$"))


def test_an_officer_reads_the_users_and_the_package_history(page: Page, site: Site) -> None:
    sign_in(page, site, site.tokens.officer)
    page.goto(f"{site.url}/ui/users")
    rows = page.locator("#users tbody tr")
    expect(rows.filter(has_text=re.compile("delegate-DE"))).to_have_count(1)  # case counts
    expect(rows.filter(has_text="web-officer")).to_contain_text("active")
    assert site.tokens.officer not in page.content()
    assert violations(page) == []
    page.goto(f"{site.url}/ui/packages")
    page.get_by_role("link", name=re.compile(r"^1st package")).click()
    # Cyprus' block of 21 September 2020 is in the package's history
    history = page.locator("details").text_content() or ""
    assert "package.blocked" in history
    assert "Eastern Mediterranean" in history
    assert violations(page) == []


def test_a_session_ends_on_the_next_page_once_its_token_is_revoked(
    browser: Browser, site: Site, watch: Watch
) -> None:
    officer = {"Authorization": f"Bearer {site.tokens.officer}"}
    added = httpx.post(
        f"{site.url}/users",
        json={"name": "web-revoked", "role": "viewer"},
        headers=officer,
        timeout=10,
    )
    assert added.status_code == 201, added.text
    tab = new_tab(browser, watch)
    try:
        sign_in(tab, site, added.json()["token"])
        tab.goto(f"{site.url}/ui/packages")
        expect(tab.locator(".who")).to_contain_text("web-revoked")
        revoked = httpx.post(f"{site.url}/users/web-revoked/revoke", headers=officer, timeout=10)
        assert revoked.status_code == 200, revoked.text
        tab.reload()
        tab.wait_for_url(re.compile(r"/ui/login\?next=%2Fui%2Fpackages$"))
        tab.fill("#token", added.json()["token"])
        tab.get_by_role("button", name="Sign in").click()
        expect(tab.locator(".error, [role=alert]").first).to_contain_text("token revoked")
    finally:
        tab.context.close()
