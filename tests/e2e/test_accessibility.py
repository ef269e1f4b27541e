"""Every kind of page passes the automated WCAG 2.1 A and AA checks of axe-core (Deque,
the engine behind most accessibility audits) in the real browser: contrast of text on
its background, labels of form fields, names of links and buttons, headings, landmarks,
table headers, the language of the page and of names in another script."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import Site, Watch, new_tab, screenshot, sign_in

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

#: Pages anyone may read, each at an address that fills it with real content.
PUBLIC_PAGES = [
    "/ui/?q=Лидия+Ермошина&birth_date=1970",  # results, one of them contradicted
    "/ui/entities/sanctio-blr-i-a-2",
    "/ui/lists",
    "/ui/lists/sanctio-blr",
    "/ui/lists/sanctio-blr/diff?old=2&new=3",
    "/ui/lists/sanctio-blr/annex?version=1",
    "/ui/forensics",
    "/ui/login",
]
#: Pages of the Council's preparatory work, read by a signed-in delegate (who also
#: gets the position form on the open package).
MEMBER_PAGES = [
    "/ui/packages",
    "/ui/packages/1",
    "/ui/packages/{open_package}",
    "/ui/dossiers/{restricted_dossier}",
    "/ui/forensics/commissions",
]


def violations(page: Page) -> list[str]:
    """What axe-core finds against WCAG 2.1 A/AA, one line per rule with where."""
    found: dict[str, Any] = Axe().run(page, options=WCAG_AA).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in found["violations"]
    ]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_wcag_aa_checks(page: Page, site: Site, path: str) -> None:
    page.goto(f"{site.url}{path}")
    assert violations(page) == []


def test_pages_of_signed_in_users_pass_wcag_aa_checks(
    browser: Browser, site: Site, watch: Watch
) -> None:
    tab = new_tab(browser, watch)
    try:
        sign_in(tab, site, site.tokens.delegates["DE"])
        found = {}
        for template in MEMBER_PAGES:
            path = template.format(
                open_package=site.open_package, restricted_dossier=site.restricted_dossier
            )
            tab.goto(f"{site.url}{path}")
            found[path] = violations(tab)
        assert tab.locator("#position-form").count() == 0  # the last page is not a package
        tab.goto(f"{site.url}/ui/packages/{site.open_package}")
        assert tab.locator("#position-form").count() == 1  # so the form was checked too
        screenshot(tab, "accessibility_open_package_as_delegate")
        assert {path: problems for path, problems in found.items() if problems} == {}
    finally:
        tab.context.close()


def test_the_checks_catch_low_contrast_and_an_unlabelled_field(page: Page, site: Site) -> None:
    """The same checks on a page made worse on purpose: they must see it, or a
    silently broken check would pass every page above."""
    page.goto(f"{site.url}/ui/lists")
    page.evaluate(
        """() => {
            const faint = document.createElement('p');
            faint.textContent = 'Text too faint to read';
            faint.style.color = '#c8c8c8';
            document.querySelector('main').append(faint);
            document.querySelector('main').append(document.createElement('input'));
        }"""
    )
    rules = {line.split(" ")[0] for line in violations(page)}
    assert {"color-contrast", "label"} <= rules
