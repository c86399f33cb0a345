"""The order of When values (``<``, ``<=``, ``>``, ``>=``, ``sorted``): total, and
consistent with ``==``, which compares canonical texts.

Values with the same bounds and different texts (``...Z`` and ``...+00:00``, a
date and the same date marked uncertain) are where an order would most easily
disagree with ``==``; the pool below holds several such families, and the
property tests draw from it as well as from every EDTF shape of ``strategies``.
"""

from __future__ import annotations

import itertools
import operator
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import edtf_texts
from whereabouts import When

# Families that share bounds but not texts, open ends, sets, and neighbours.
_POOL = (
    "2024-12-07", "2024-12-07?", "2024-12-07~", "2024-12-07%", "2024-12", "2024-12?",
    "2024", "202X", "2024-12-07T00:00:00Z", "2024-12-07T00:00:00+00:00",
    "2024-12-07T03:00:00+03:00", "2024-12-07/..", "2024-12-07/", "../2024-12-07",
    "/2024-12-07", "2024-12-01/2024-12-31", "[2024-12-01..2024-12-31]",
    "{2024-12-01..2024-12-31}", "[2024-12-07,2024-12-09]", "[..2024-12-07]",
    "[2024-12-07..]", "2024-12-08", "2024-11-30",
)


def whens() -> st.SearchStrategy[When]:
    return st.one_of(st.sampled_from(_POOL), edtf_texts()).map(When.parse)


@given(whens(), whens())
def test_exactly_one_of_less_equal_greater(a: When, b: When) -> None:
    assert [a < b, a == b, a > b].count(True) == 1


@given(whens(), whens())
def test_the_operators_agree_with_each_other_and_with_eq(a: When, b: When) -> None:
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (a > b or a == b)
    assert (a < b) == (b > a)
    assert (a <= b) == (b >= a)
    if a <= b and b <= a:
        assert a == b
        assert hash(a) == hash(b)


@given(whens(), whens())
def test_the_order_is_the_sort_key(a: When, b: When) -> None:
    assert (a < b) == (a.sort_key < b.sort_key)
    assert (a == b) == (a.sort_key == b.sort_key)


@given(whens(), whens(), whens())
def test_the_order_is_transitive(a: When, b: When, c: When) -> None:
    if a <= b and b <= c:
        assert a <= c
    if a < b and b < c:
        assert a < c


@given(st.lists(whens(), max_size=12))
def test_sorted_gives_one_order_whatever_the_input_order(values: list[When]) -> None:
    once = sorted(values)
    backwards = values[::-1]
    assert sorted(backwards) == once
    assert all(x <= y for x, y in itertools.pairwise(once))
    assert once == sorted(values, key=lambda w: w.sort_key)
    if values:
        assert min(values) == once[0]
        assert max(values) == once[-1]


def test_the_documented_order() -> None:
    texts = ["2024-12-08", "2024-12", "2024-12-07T10:00:00Z", "/2024-12-08", "2024-12-01",
             "2024-12-07/..", "2024-12-07T10:00:00+00:00", "2024-12-07?", "2024-12-07"]
    assert [str(w) for w in sorted(map(When, texts))] == [
        "/2024-12-08",                # no earliest instant: first
        "2024-12-01",                 # starts with the month and ends first
        "2024-12",
        "2024-12-07",                 # the same bounds, two texts: the text decides
        "2024-12-07?",
        "2024-12-07/..",              # the same start, no end: after every bounded one
        "2024-12-07T10:00:00+00:00",  # the same second, two texts: '+' before 'Z'
        "2024-12-07T10:00:00Z",
        "2024-12-08",
    ]


def test_the_order_in_words() -> None:
    day, month = When("2024-12-07"), When("2024-12")
    assert month < day  # the month starts earlier: it lists first, though it may be later
    assert not month.certainly_before(day)
    assert When("2024-12-01") < month  # same start, the day ends first
    assert When("/2024-12-01") < When("0001")  # an open start before any bounded one
    assert When("2024-12-07/..") > When("2024-12-07")  # the same start, an open end last
    assert When("2024-12-07") < When("2024-12-07?")  # same bounds: the text decides
    assert When("2024-12-07T10:00:00+00:00") < When("2024-12-07T10:00:00Z")
    assert When("2024-12-07") <= When("2024-12-07")
    assert When("2024-12-07") >= When("2024-12-07")


@pytest.mark.parametrize("op", [operator.lt, operator.le, operator.gt, operator.ge])
@pytest.mark.parametrize("other", ["2024-12-07", date(2024, 12, 7), 0, None])
def test_comparing_with_anything_else_is_not_implemented(op: object, other: object) -> None:
    day = When("2024-12-07")
    method = {operator.lt: day.__lt__, operator.le: day.__le__, operator.gt: day.__gt__,
              operator.ge: day.__ge__}[op]  # type: ignore[index]
    assert method(other) is NotImplemented
    with pytest.raises(TypeError):
        op(day, other)  # type: ignore[operator]
    assert day != other


def test_sorting_mixed_dates_of_a_ledger() -> None:
    from whereabouts.examples import assad_2024

    ledger = assad_2024()
    dates = [o.when for o in ledger.observations if o.when is not None]
    ordered = sorted(dates)
    assert [w.sort_key for w in ordered] == sorted(w.sort_key for w in dates)
    assert min(dates) == ordered[0]
