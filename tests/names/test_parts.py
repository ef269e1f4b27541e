"""Fields holding several names, or one name with its family name first."""

from __future__ import annotations

import string

from hypothesis import assume, given
from hypothesis import strategies as st

from sanctio.names.affixes import is_legal_form
from sanctio.names.parts import listed_names

_WORD = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)
_FULL_NAME = st.lists(_WORD, min_size=2, max_size=4).map(" ".join)


@given(st.lists(_FULL_NAME, min_size=2, max_size=4), st.sampled_from([", ", ",", "; "]))
def test_a_field_listing_full_names_gives_each_of_them(names: list[str], sep: str) -> None:
    assume(not any(is_legal_form(name) for name in names))
    field = sep.join(names)
    assert listed_names(field) == [field, *names]


@given(
    st.sampled_from(["RR TOUR", "Acme Trading", "Banco X"]),
    st.sampled_from(
        ["S.A. DE C.V.", "SA de CV", "Ltd.", "Co., Ltd.", "LLC", "Limited Liability Company"]
    ),
)
def test_a_comma_before_a_legal_form_keeps_one_name(name: str, form: str) -> None:
    field = f"{name}, {form}"
    assert listed_names(field) == [field]


@given(_WORD, _FULL_NAME)
def test_family_name_first_stays_one_name(family: str, rest: str) -> None:
    field = f"{family}, {rest}"
    assert listed_names(field) == [field]
