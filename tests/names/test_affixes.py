"""Titles, suffixes, particles, numbers and legal forms: read as such, never as the name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctio.names import name_forms
from sanctio.names.affixes import ANY, ORGANISATION, PERSON
from sanctio.screening import compare


def roles(name: str, kind: str = ANY) -> list[tuple[str, str]]:
    return [(p.text, p.role) for p in name_forms(name, kind)[0].parts]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mr Alexander LUKASHENKO", [("mr", "title"), ("alexander", "given"),
                                     ("lukashenko", "family")]),
        ("Gen. Viktor SHEIMAN", [("gen", "title"), ("viktor", "given"), ("sheiman", "family")]),
        ("Haji Abdul BASIR", [("haji", "title"), ("abdul", "other"), ("basir", "family")]),
        # (John is not in the given-name table, which holds East Slavic names)
        ("John SMITH Jr", [("john", "other"), ("smith", "family"), ("jr", "title")]),
        ("Aleksandr Lukashenko 1954", [("aleksandr", "given"), ("lukashenko", "other"),
                                       ("1954", "number")]),
        ("Gennadi Kazakevich", [("gennadi", "given"), ("kazakevich", "family")]),
        ("kazakevich gennadi", [("kazakevich", "family"), ("gennadi", "given")]),
        # a father's name beside a family name stays one
        ("Gennadi Arkadievich Kazakevich", [("gennadi", "given"),
                                            ("arkadievich", "patronymic"),
                                            ("kazakevich", "family")]),
        # a title is read only while two words of the name are left
        ("General MOTORS", [("general", "other"), ("motors", "family")]),
        # the nasab: a name after bin/ben that more of the name follows is a father's
        ("Usama bin Muhammad bin Awad BIN LADIN",
         [("usama", "given"), ("bin", "particle"), ("muhammad", "patronymic"),
          ("bin", "particle"), ("awad", "patronymic"), ("bin", "particle"),
          ("ladin", "family")]),
        ("Seifallah Ben Omar Ben Hassine",
         [("seifallah", "other"), ("ben", "particle"), ("omar", "patronymic"),
          ("ben", "other"), ("hassine", "other")]),
        # Ben first is a given name
        ("Ben Ali Smith", [("ben", "other"), ("ali", "other"), ("smith", "other")]),
    ],
)  # fmt: skip
def test_persons_names(name: str, expected: list[tuple[str, str]]) -> None:
    assert roles(name, PERSON) == expected


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Bremino Group LLC", "§llc"),
        ("Open Joint Stock Company 'Belaruskali'", "§jsc"),
        ("OJSC Belaruskali", "§jsc"),
        ("ООО Ромашка", "§llc"),
        ("ТОВ Ромашка", "§llc"),
        ("Romashka Limited Liability Company", "§llc"),
        ("Romashka L.L.C.", "§llc"),
        ("Siemens AG", "§jsc"),
        ("Grupo Kopar S.A. de C.V.", "§jsc"),
    ],
)
def test_legal_forms_are_one_part_keyed_by_class(name: str, form: str) -> None:
    keys = [p.key for p in name_forms(name, ORGANISATION)[0].parts]
    assert form in keys
    assert sum(key.startswith("§") for key in keys) == 1


@pytest.mark.parametrize("name", ["KIM Da Mo", "KIM Mo Ba", "Liu Yu", "Ivan KDA", "Le Thi Hoa"])
def test_syllables_that_spell_legal_forms_or_particles_stay_names(name: str) -> None:
    """Two- and three-letter legal forms (MO, KDA) and particles (da, le) are syllables of
    Korean, Chinese and Vietnamese names: in a person's name they are name words."""
    assert all(role not in ("form", "particle") for _, role in roles(name, PERSON))
    assert all(role not in ("form", "particle") for _, role in roles(name, ANY))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Romashka LLC", "ООО Ромашка"),
        ("Romashka LLC", "Romashka Limited Liability Company"),
        ("Acme Trading Ltd", "ACME TRADING LIMITED"),
        ("Acme Trading S.A.", "Acme Trading SA"),
    ],
)
def test_the_same_legal_form_in_other_words_changes_nothing(a: str, b: str) -> None:
    assert compare(a, b, schema="Company").score == 1.0


def test_a_missing_or_other_legal_form_costs_little() -> None:
    missing = compare("Belaruskali", "Open Joint Stock Company 'Belaruskali'", "Company")
    other = compare("Romashka JSC", "Romashka LLC", "Company")
    assert missing.match
    assert other.match
    assert missing.score < 1.0
    assert other.score < 1.0
    assert "legal form" in missing.explanation
    assert "other legal form" in other.explanation


titles = st.sampled_from(["Mr", "Mrs", "Dr", "Gen.", "Col.", "Sheikh", "Haji", "Mullah", "Prof."])
suffixes = st.sampled_from(["Jr", "Sr", "II", "III"])
given_names = st.sampled_from(["Alexander", "Lidia", "Viktor", "Ivan", "Natalia", "Yury"])
family_names = st.text(alphabet="bdgklmnprstvz", min_size=3, max_size=6).map(
    lambda w: "".join(c + "a" for c in w).upper()
)


@settings(max_examples=100, deadline=None)
@given(titles, suffixes, given_names, family_names, st.integers(1930, 2005))
def test_a_title_suffix_or_year_never_makes_a_listed_person_miss(
    title: str, suffix: str, given_name: str, family: str, year: int
) -> None:
    listed = f"{given_name} {family}"
    for query in (f"{title} {listed}", f"{listed} {suffix}", f"{listed} {year}"):
        found = compare(query, listed)
        assert found.match, (query, found.explanation)
        assert found.score >= 0.9, (query, found.explanation)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Forty-Four Trading", "44 Trading LLC"),  # numbers in words and digits
        ("Third Street Bank", "3rd Street Bank"),
        ("LXC Holdings", "L.X.C. Holdings Ltd"),  # letters with dots
        ("Alpha Group", "Alpha Group / Beta Holdings"),  # two names in one field
        ("Beta Holdings", "Alpha Group / Beta Holdings"),
        ("The Sunrise Company", "Sunrise Co."),  # an article before the name
        # a form's first word before another spelling of its rest
        ("Vostok Marine PTE Limited", "VOSTOK MARINE PTE LTD"),
        ("Nova Bank Closed Joint-Stock Co.", "NOVA BANK CLOSED JOINT-STOCK COMPANY"),
        ("AO Sibenergo", "JSC SIBENERGO"),  # a short form first
        ("Rio Tour SA de CV", "RIO TOUR, S.A. DE C.V."),
        # written without vowels, or cut short by a field's length
        ("Vostok Shipping Cmpny", "Vostok Shipping Company"),
        ("Benevolence Intrntnl Foundation", "Benevolence International Foundation"),
        ("Scnd Economic Committee", "Second Economic Committee"),
        ("Hesong Trading Compa", "Hesong Trading Company"),
        ("Korea Kumsan Trading Corporati", "Korea Kumsan Trading Corporation"),
        # an office-like first word is not a title in an organisation's name
        ("Forei Trade Bank", "Foreign Trade Bank"),
    ],
)
def test_organisations_written_otherwise_are_found(query: str, listed: str) -> None:
    assert compare(query, listed, schema="Company").match


def test_other_numbers_are_other_organisations() -> None:
    assert not compare("44 Trading", "45 Trading", schema="Company").match
    assert not compare("Forty-Five Trading", "44 Trading", schema="Company").match


def test_companies_sharing_a_legal_form_after_a_comma_do_not_crowd_one_out() -> None:
    """ "X, S.A. DE C.V." is one name: read as two, the form alone matched every such
    company and filled the results."""
    from sanctio.model import Entity
    from sanctio.screening import Query, Screener

    screener = Screener()
    companies = []
    for number, word in enumerate(["Alfa", "Beta", "Gama", "Delta", "Omega", "Sigma", "Rio",
                                   "Mar", "Sol", "Luna", "Norte", "Sur", "Este"]):  # fmt: skip
        caption = f"{word} TOUR, S.A. DE C.V."
        company = Entity.make("Company", f"c{number}", caption=caption, target=True)
        company.add("name", company.caption)
        companies.append(company)
    screener.add(companies, "list")
    found = screener.screen(Query.make("Este Tour SA de CV", schema="Company"))
    assert found[0].entity.id == "c12"
    assert [m.entity.id for m in found if m.score >= 0.88] == ["c12"]


def test_an_office_is_a_title_in_a_persons_name_only() -> None:
    """nameparser's vocabulary holds offices (Foreign, Air, Chief) that begin
    organisations' names; a name that may be either's is read for personal titles."""
    assert roles("Foreign Trade Bank", ANY)[0] == ("foreign", "other")
    assert roles("Air Koryo", ANY)[0] == ("air", "other")
    assert roles("Dr. Ayman ZAWAHIRI", ANY)[0] == ("dr", "title")
    assert compare("Forei Trade Bank", "Foreign Trade Bank", schema="LegalEntity").match


def test_a_title_that_is_a_given_name_is_read_as_the_name() -> None:
    """nameparser counts Sultan a title; the given-name table says it is a name."""
    assert roles("Sultan Aziz AZAM", PERSON)[0] == ("sultan", "given")
    assert roles("Mr Aziz AZAM", PERSON)[0] == ("mr", "title")
