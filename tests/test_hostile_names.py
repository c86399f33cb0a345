"""Hostile place names: the length limit, bounded costs, and the same answers as before.

Issue #11 item 5: ``"a in " * 59 + "a"``-like names took 12 s to resolve (each
"X in Y" reading tried every container again at every level). The timed
property below uses a bound ten times the 20 ms target, so that a slow CI
machine does not flake; the real figures are in ``benchmarks/bench_gazetteer.py``
and ``docs/places.md``.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import Ledger, Source
from whereabouts._text import fold
from whereabouts.errors import InvalidPlace, UnknownPlace, WhereaboutsError
from whereabouts.gazetteer import MAX_NAME, Gazetteer, Resolution, _data
from whereabouts.gazetteer._names import splits, strip_article
from whereabouts.gazetteer.resolution import decide
from whereabouts.gazetteer.resolver import _CUTOFF, _label, _live, _site
from whereabouts.io import COLUMNS, LedgerFileError, read_csv
from whereabouts.places import Place, PlaceKind

BOUND = 0.2
"""Seconds any one resolution may take here: ten times the target, for slow machines."""

REPRODUCERS = [
    "a in " * 59 + "a",  # the issue's reproducer
    ("zq in " * 60)[:MAX_NAME],  # every part unknown: 24 s before
    ("in " * 100)[:MAX_NAME],  # 16 s before
    ("x y z in " * 40)[:MAX_NAME],  # 1.4 s before
    ("a, zq in " * 40)[:MAX_NAME],  # 3.4 s before
    ("zq airport in " * 30)[:MAX_NAME],
    ("zq in Europe in " * 20)[:MAX_NAME],
    "\u3316" * MAX_NAME,  # each decomposes into six katakana
    "\ufdfa" * MAX_NAME,  # eighteen characters under NFKD
]

KNOWN = [
    "Damascus", "Paris", "Lebanon", "Europe", "Texas", "Syria", "Kirkby", "Ashfield", "a",
    "the", "al", "in", "near", "at", "airport", "International Airport", "hospital",
    "the Middle East", "Москва", "دمشق", "東京", "Ελλάδα", "\ufdfa", "\u3316", "e\u0301",
]
SEPARATORS = [" in ", ", ", ",", " ", " near ", " at ", " in the ", "-", "\u3000in\u3000"]
# Any character the gazetteer does not refuse outright: no controls, no surrogates.
LETTERS = st.characters(blacklist_categories=("Cc", "Cs"))
TOKENS = st.one_of(
    st.sampled_from(KNOWN),
    st.text(alphabet="aeinrstzq", min_size=1, max_size=10),
    st.text(alphabet=LETTERS, min_size=1, max_size=8),
)


@st.composite
def hostile(draw: st.DrawFn) -> str:
    """A name up to the limit: one part repeated, many parts, or one character run."""
    limit = draw(st.sampled_from([MAX_NAME, MAX_NAME - 1, draw(st.integers(1, MAX_NAME))]))
    shape = draw(st.sampled_from(["repeat", "parts", "run"]))
    if shape == "repeat":
        unit, sep = draw(TOKENS), draw(st.sampled_from(SEPARATORS))
        name = sep.join([unit] * (MAX_NAME // (len(unit) + len(sep)) + 1))
    elif shape == "parts":
        parts = draw(st.lists(TOKENS, min_size=1, max_size=60))
        seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts),
                             max_size=len(parts)))
        name = "".join(p + s for p, s in zip(parts, seps, strict=True))
    else:
        name = draw(LETTERS) * MAX_NAME
    return name[:limit]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    gazetteer = Gazetteer()
    gazetteer.resolve("Damascus")  # loads the data
    gazetteer.resolve("Deutschland")  # reads the names in other languages
    with pytest.raises(UnknownPlace):
        gazetteer.resolve("Damscus")  # reads the variants, builds the suggestion pool
    return gazetteer


def timed(gaz: Gazetteer, name: str) -> tuple[float, Resolution | WhereaboutsError]:
    gaz._cache.clear()
    start = time.perf_counter()
    try:
        outcome: Resolution | WhereaboutsError = gaz.resolve(name)
    except WhereaboutsError as err:
        outcome = err
    return time.perf_counter() - start, outcome


# -- the limit ------------------------------------------------------------------------------


def test_the_limit_is_on_the_name_as_given(gaz: Gazetteer) -> None:
    padded = "Damascus".center(MAX_NAME)
    assert gaz.place(padded).label == "Damascus (SY)"
    calls: list[tuple[str, Callable[[str], object]]] = [
        ("name", gaz.resolve),
        ("country", lambda name: gaz.resolve("Paris", country=name)),
        ("aliases", lambda name: Gazetteer().register(Place.craft("Moskva"), aliases=[name])),
    ]
    for field, call in calls:
        with pytest.raises(InvalidPlace, match="too long for a place name") as caught:
            call(padded + " ")
        assert caught.value.field == field
        assert f"over {MAX_NAME} characters" in str(caught.value)


def test_a_ledger_names_the_place_field() -> None:
    ledger = Ledger()
    ledger.add_person("Nour Khalil")
    with pytest.raises(InvalidPlace) as caught:
        ledger.observe("Nour Khalil", "seen at", place="x" * (MAX_NAME + 1),
                       source=Source("a wire"))
    assert caught.value.field == "place"


# -- bounded costs --------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPRODUCERS, ids=range(len(REPRODUCERS)))
def test_the_reproducers_are_quick(gaz: Gazetteer, name: str) -> None:
    assert len(name) <= MAX_NAME
    elapsed, _ = timed(gaz, name)
    assert elapsed < BOUND, f"{elapsed:.3f} s for {name[:40]!r}"


def test_the_issue_reproducer_still_reads_as_before(gaz: Gazetteer) -> None:
    # Its last " in " finds "a" (ISO's code for Salta, AR): a site in Salta, as before.
    place = gaz.place("a in " * 59 + "a")
    assert (place.kind, place.country, place.parent) == (
        PlaceKind.FACILITY, "AR", gaz.place("a"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=hostile())
def test_any_name_up_to_the_limit_resolves_in_bounded_time(gaz: Gazetteer, name: str) -> None:
    elapsed, outcome = timed(gaz, name)
    assert isinstance(outcome, Resolution | WhereaboutsError)
    assert elapsed < BOUND, f"{elapsed:.3f} s for {name!r}"


def test_a_csv_resolves_each_distinct_place_once(tmp_path: Path) -> None:
    calls: list[str] = []

    class Counting(Gazetteer):
        def _resolve(self, text: str, *args: object) -> Resolution | None:
            calls.append(text)
            return super()._resolve(text, *args)  # type: ignore[arg-type]

    hostile_cell = ("zq in " * 60)[:MAX_NAME].strip()
    rows = [f',Nour Khalil,seen at,"{hostile_cell}",2024-12-07,a wire,,,,,'] * 500
    rows += [f",Nour Khalil,seen at,Beirut,2024-12-0{day},a wire,,,,," for day in range(1, 8)]
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join([",".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    with pytest.raises(LedgerFileError) as caught:
        read_csv(path, Ledger(gazetteer=Counting()))
    assert len(caught.value.problems) == 500
    assert sorted(calls) == sorted([hostile_cell, "Beirut"])


# -- the same answers as before -------------------------------------------------------------


def reference_resolve(gaz: Gazetteer, text: str, depth: int = 0) -> Resolution | None:
    """The composite reading as it was before issue #11: every split, looked up afresh."""
    found = gaz._candidates(text)
    if found:
        ranked, ambiguous = decide(found, None, None)
        return Resolution(query=text, candidates=ranked, ambiguous=ambiguous)
    if depth < 4:
        for inner, outer, site in splits(text):
            container = reference_resolve(gaz, outer, depth + 1)
            if container is None:
                continue
            holders = _live(container, None)
            inside = [c for c in gaz._candidates(inner)
                      if any(c.place.within(h.place) for h in holders)]
            if inside:
                ranked, ambiguous = decide(inside, None, None)
                return Resolution(query=text, candidates=ranked, ambiguous=ambiguous)
            sites = [_site(text, inner, h) for h in holders if h.place.country
                     and (site or h.place.kind is PlaceKind.CITY)]
            if sites:
                return Resolution(query=text, candidates=tuple(sites),
                                  ambiguous=container.ambiguous and len(sites) > 1)
    return None


ORDINARY = st.sampled_from([
    "Damascus", "Paris", "Texas", "Lebanon", "Syria", "Europe", "Kirkby", "Ashfield",
    "Kirkby in Ashfield", "hospital", "the Russian embassy", "Chtoura", "Al-Mujtahid Hospital",
    "Nowhereville", "Changi Airport", "Singapore", "the Gulf", "Latakia", "Moscow", "a", "zq",
])


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(ORDINARY, min_size=1, max_size=5),
       seps=st.lists(st.sampled_from([" in ", ", "]), min_size=4, max_size=4))
def test_composite_names_read_as_before(gaz: Gazetteer, parts: list[str],
                                        seps: list[str]) -> None:
    name = parts[0] + "".join(s + p for s, p in zip(seps, parts[1:], strict=False))
    gaz._cache.clear()
    try:
        got: Resolution | None = gaz.resolve(name)
    except UnknownPlace:
        got = None
    assert got == reference_resolve(gaz, name)


def reference_suggest(gaz: Gazetteer, name: str, limit: int = 5) -> tuple[str, ...]:
    """Suggestions as they were before issue #11: every close name compared in full."""
    key = strip_article(fold(name))
    tables = _data.tables()
    pool = [item for items in tables.suggestion_pool().get(key[0], {}).values()
            for item in items]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    scored: list[tuple[float, int, str]] = []
    for other, number in pool:
        if abs(len(other) - len(key)) > 3:
            continue
        matcher.set_seq1(other)
        if (matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF
                and (ratio := matcher.ratio()) >= _CUTOFF):
            scored.append((ratio, tables.entry(number).population or 0,
                           _label(tables.place(number))))
    for place in gaz.registered:
        matcher.set_seq1(fold(place.name))
        if (matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF
                and (ratio := matcher.ratio()) >= _CUTOFF):
            scored.append((ratio, 0, _label(place)))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return tuple(dict.fromkeys(label for _, _, label in scored))[:limit]


@st.composite
def typos(draw: st.DrawFn) -> str:
    """A known name with one letter changed, dropped or added."""
    name = draw(st.sampled_from([
        "Damascus", "Beirut", "Latakia", "Aleppo", "Tashkent", "Moskva", "Samarra", "Sanaa",
        "Saint Petersburg", "San Antonio", "Santa Maria", "Bandar Abbas", "Admiral Kuznetsov",
        "Mariupol", "Sevastopol", "Kharkiv", "Baghdad", "Benghazi", "Misrata",
    ]))
    at = draw(st.integers(0, len(name) - 1))
    letter = draw(st.sampled_from("aeinorstuyk"))
    edit = draw(st.sampled_from(["change", "drop", "add"]))
    if edit == "change":
        return name[:at] + letter + name[at + 1:]
    if edit == "drop" and len(name) > 3:
        return name[:at] + name[at + 1:]
    return name[:at] + letter + name[at:]


@settings(max_examples=200, deadline=None)
@given(name=typos())
def test_suggestions_are_as_before(name: str) -> None:
    gaz = Gazetteer()
    gaz.register(Place.craft("Admiral Kuznetsov"))
    assert gaz.suggest(name) == reference_suggest(gaz, name)
