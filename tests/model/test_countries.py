"""Nationality prose read into country codes."""

from __future__ import annotations

import pytest

from sanctio.model import countries_in, country_code


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Belarusian", ["by"]),
        ("Belarussian", ["by"]),
        ("Russian, Belarusian", ["ru", "by"]),
        ("(a) Algerian (b) German", ["dz", "de"]),
        ("Myanmar/Burma", ["mm"]),
        ("USSR (until 1991)", ["suhh"]),
        ("Democratic People’s Republic of Korea (DPRK)", ["kp"]),
        ("US", ["us"]),
        ("Italian since 1990", ["it"]),
        ("approved by the council", []),  # "by" in prose is not Belarus
    ],
)
def test_countries_in_prose(text: str, codes: list[str]) -> None:
    assert countries_in(text) == codes


def test_country_code_for_whole_spellings() -> None:
    assert country_code("Russian Federation") == "ru"
    assert country_code("  belarus ") == "by"
    assert country_code("Atlantis") is None
