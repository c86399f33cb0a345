"""Notebook display: the ledger's repr, the HTML of the ledger and of every answer,
and answers as pandas DataFrames (``to_frame``).

The HTML is checked by parsing it: which tags it uses (a small, fixed set: no
script, no style sheet, no image), that every user string is escaped (a name
holding ``<script>`` shows as text), and that long tables stop at
``_html.ROWS`` rows and count the rest.
"""

from __future__ import annotations

import sys
import time
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import names
from whereabouts import Ledger, Person, Place, Source, Status, Whereabouts, _html
from whereabouts.examples import assad_2024
from whereabouts.io import MissingDependency
from whereabouts.results import STATUSES, AnswerColumns, Answers, Roll


@pytest.fixture
def pd() -> Any:
    return pytest.importorskip("pandas")

ALLOWED_TAGS = {"div", "span", "strong", "code", "table", "thead", "tbody", "tr", "th", "td",
                "br", "a"}
EVIL = "<script>alert('x')</script>"


class Page(HTMLParser):
    """The tags, attributes and text of an HTML fragment; fails on unbalanced tags."""

    VOID = frozenset({"br"})

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self.feed(markup)
        self.close()
        assert not self._open, f"unclosed: {self._open}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in self.VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self._open[-1:] == [tag], f"</{tag}> closes {self._open[-1:]}"
        self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return "".join(self.text)

    def rows(self) -> int:
        return self.tags.count("tr")


def page(markup: str) -> Page:
    found = Page(markup)
    assert set(found.tags) <= ALLOWED_TAGS, set(found.tags) - ALLOWED_TAGS
    assert all(name in {"style", "colspan", "href", "target", "rel"} for name, _ in found.attrs)
    return found


@pytest.fixture
def wire() -> Source:
    return Source("wire service", published="2024-12-31")


@pytest.fixture
def case(ledger: Ledger, places: dict[str, Place], wire: Source) -> Ledger:
    """A person whose answer is disputed, one with a denied and a weak claim, and a
    conflict: enough to fill every part of the HTML."""
    beirut = Place.city("Beirut", country="LB")
    dubai = Place.city("Dubai", country="AE")
    sami = ledger.add_person("Sami Nasser", id="sami")
    ledger.observe(sami, "seen at", place=beirut, when="2024-12", source=wire, id="beirut")
    ledger.observe(sami, "seen at", place=dubai, when="2024-12-20", source=wire, id="dubai")
    lina = ledger.add_person("Lina Farah", id="lina")
    ledger.observe(lina, "seen at", place=beirut, when="2024-11-02", source=wire, id="l1",
                   grading="B2")
    weak = ledger.observe(lina, "seen at", place=dubai, when="2024-11-20", source=wire,
                          id="l2", grading="E5")
    denied = ledger.observe(lina, "seen at", place=places["SY"], when="2024-11-25",
                            source=wire, id="l3", grading="B2")
    ledger.deny(denied, source=Source("the ministry", published="2024-12-30"))
    assert weak.id == "l2"
    return ledger


# -- repr -------------------------------------------------------------------------------


def test_a_ledger_repr_says_what_it_holds(ledger: Ledger, wire: Source) -> None:
    assert repr(ledger) == "<Ledger: 0 people, 0 groups, 0 observations>"
    one = ledger.add_person("Amal Haddad")
    ledger.add_group("the crew", members=[one])
    first = ledger.observe(one, "seen at", place=Place.from_country("LB"), when="2024-03-01",
                           source=wire)
    assert repr(ledger) == "<Ledger: 1 person, 1 group, 1 observation>"
    second = ledger.observe(one, "seen at", place=Place.from_country("SY"), source=wire)
    ledger.retract(first, source=wire)
    ledger.deny(second, source=wire)
    assert repr(ledger) == ("<Ledger: 1 person, 1 group, 2 observations, 1 retraction, "
                            "1 denial>")


def test_the_example_ledger_repr() -> None:
    assert repr(assad_2024()) == "<Ledger: 10 people, 4 groups, 23 observations>"


# -- HTML ----------------------------------------------------------------------------------


def test_the_ledger_summary() -> None:
    found = page(assad_2024()._repr_html_())
    assert "people10" in found.words.replace(" ", "")
    assert "observations23" in found.words.replace(" ", "")
    assert "claims dated between 2020-01-01 and 2024-12-31" in found.words
    assert "located 9" in found.words
    assert "deceased 1" in found.words


def test_the_summary_counts_retractions_and_denials_when_there_are_some(
        ledger: Ledger, wire: Source) -> None:
    person = ledger.add_person("Amal Haddad")
    first = ledger.observe(person, "seen at", place=Place.from_country("LB"), source=wire)
    assert "retractions" not in page(ledger._repr_html_()).words
    ledger.retract(first, source=wire)
    words = page(ledger._repr_html_()).words.replace(" ", "")
    assert "retractions1" in words
    assert "denials" not in words


def test_an_empty_ledger_summary(ledger: Ledger) -> None:
    found = page(ledger._repr_html_())
    assert "people0" in found.words.replace(" ", "")
    assert "between" not in found.words
    assert "whereabouts now" not in found.words


def test_an_answer_shows_its_evidence() -> None:
    answer = assad_2024().last_known("Bashar al-Assad")
    found = page(answer._repr_html_())
    assert "Bashar al-Assad" in found.words
    assert "in Moscow (RU), since 2024-12-08/.." in found.words
    for oid in ("left-syria", "moscow", "asylum"):
        assert oid in found.text
    assert "a Kremlin source → Caliber.Az" in found.words
    assert "C2" in found.text


def test_a_disputed_answer_lists_each_candidate(case: Ledger) -> None:
    answer = case.last_known("sami")
    assert answer.status is Status.DISPUTED
    found = page(answer._repr_html_())
    assert "candidate: in Dubai (AE)" in found.text
    assert "candidate: in Beirut (LB)" in found.text
    assert "disputed: " not in found.words  # the badge says it once


def test_weak_denied_and_pending_claims_have_their_sections(case: Ledger) -> None:
    answer = case.last_known("lina", min_grade="C3")
    assert [o.id for o in answer.also_reported] == ["l2"]
    assert [o.id for o in answer.denied] == ["l3"]
    found = page(answer._repr_html_())
    assert "also reported, below the threshold" in found.text
    assert "denied" in found.text
    pending = case.last_known("sami", as_of="2024-12-10")
    assert pending.pending
    words = page(pending._repr_html_()).words
    assert "may have happened by then" in words
    assert "as of 2024-12-10" in words


def test_conflict_itinerary_and_day(case: Ledger, wire: Source) -> None:
    conflicts = case.conflicts("sami")
    assert conflicts
    found = page(conflicts[0]._repr_html_())
    assert "beirut" in found.text
    assert "dubai" in found.text
    lina = case.entity("lina")
    case.observe(lina, "refused entry to", place=Place.from_country("CY"), when="2025-03-01",
                 source=wire, reported="2025-03-02")
    trip = page(case.itinerary(lina, gap_days=5)._repr_html_()).words
    assert "3 stops" in trip  # the denied claim is left out
    assert "no evidence for about" in trip
    assert "not made" in trip
    day = page(case.during("sami", "2024-12-20")._repr_html_()).words
    assert "during 2024-12-20" in day
    assert "as it began:" in day
    assert "as it ended:" in day
    assert "possibly outside the window" in day


def test_user_strings_are_escaped(ledger: Ledger) -> None:
    bad = ledger.add_person(f"Sami {EVIL}", id="sami", aliases=["x"])
    group = ledger.add_group(f"the {EVIL} crew", members=[bad])
    source = Source(f"a {EVIL} wire", url="javascript:alert(1)")
    good = Source("Reuters", url="https://example.org/a?b=1&c=<2>")
    place = Place.city(f"Beirut {EVIL}", country="LB")
    one = ledger.observe(bad, "seen at", place=place, when="2024-12", source=source,
                         note=f"note {EVIL}")
    dubai = Place.city("Dubai", country="AE")
    ledger.observe(bad, "seen at", place=dubai, when="2024-12-20", source=good)
    ledger.observe(group, "seen at", place=dubai, when="2024-12-21", source=good)
    rendered = [ledger._repr_html_(), ledger.last_known(bad)._repr_html_(),
                ledger.everyone()._repr_html_(),
                ledger.who_is_in(Place.from_country("LB"))._repr_html_(),
                ledger.itinerary(bad)._repr_html_(),
                ledger.during(bad, "2024-12-20")._repr_html_(),
                *(c._repr_html_() for c in ledger.conflicts())]
    assert len(rendered) == 8
    for markup in rendered:
        assert "<script" not in markup
        found = page(markup)
        assert "script" not in found.tags
        assert not any(v and v.lower().startswith("javascript") for _, v in found.attrs)
    answer = page(rendered[1])
    assert f"Sami {EVIL}" in answer.words
    assert f"note {EVIL}" in answer.words
    assert f"a {EVIL} wire" in answer.words
    assert one.id in answer.text
    links = [v for k, v in answer.attrs if k == "href"]  # the http(s) one only
    assert links == ["https://example.org/a?b=1&c=<2>"]
    grouped = page(ledger.last_known(group)._repr_html_())
    assert f"the {EVIL} crew" in grouped.words
    assert f"Beirut {EVIL}" in page(rendered[3]).words


@settings(max_examples=40, deadline=None)
@given(names(), st.text(max_size=30))
def test_any_name_and_note_shows_as_text(name: str, note: str) -> None:
    ledger = Ledger()
    person = ledger.add_person(name, id="p")
    ledger.observe(person, "seen at", place=Place.from_country("LB"), when="2024-12",
                   source=Source(name), note=note)
    for markup in (ledger.last_known(person)._repr_html_(), ledger.everyone()._repr_html_()):
        found = page(markup)
        assert name in found.words
    if note.strip():
        assert note in page(ledger.last_known(person)._repr_html_()).words


# -- bounded tables ----------------------------------------------------------------------


def _answers(count: int, built: list[int]) -> Answers:
    import numpy as np

    people = [Person(f"p{n}", f"Person {n}") for n in range(count)]
    nothing = STATUSES.index(Status.NOTHING_KNOWN)
    columns = AnswerColumns(ids=[p.id for p in people], entity=np.arange(count, dtype=np.int32),
                            status=np.full(count, nothing, dtype=np.int8),
                            place=np.zeros(count, dtype=np.int32), places=[None])

    def build(position: int) -> Whereabouts:
        built.append(position)
        return Whereabouts(entity=people[position], status=Status.NOTHING_KNOWN)

    return Answers(columns, people.__getitem__, build)


def test_a_large_roll_renders_the_first_rows_and_counts_the_rest() -> None:
    built: list[int] = []
    roll = Roll(title="Whereabouts", answers=_answers(50_000, built))
    started = time.perf_counter()
    found = page(roll._repr_html_())
    took = time.perf_counter() - started
    assert found.rows() == 1 + _html.ROWS + 1  # the head, the rows, "and N more"
    assert f"… and {50_000 - _html.ROWS:,} more" in found.words
    assert "Whereabouts: 50,000" in found.words
    assert "nothing known 50,000" in found.words
    assert sorted(built) == list(range(_html.ROWS))  # only the rows shown were built
    assert took < 2.0, took


def test_a_short_roll_has_no_more_row(ledger: Ledger) -> None:
    for n in range(3):
        ledger.add_person(f"Person {n}")
    found = page(ledger.everyone()._repr_html_())
    assert found.rows() == 4
    assert "more" not in found.words


def test_a_large_presence_is_bounded_across_both_lists(ledger: Ledger, wire: Source) -> None:
    people = [ledger.add_person(f"Person {n}", id=f"p{n}") for n in range(70)]
    lebanon = Place.from_country("LB")
    for person in people[:40]:
        ledger.observe(person, "seen at", place=lebanon, when="2024-12-01", source=wire)
    for person in people[40:]:
        ledger.observe(person, "seen at", place=[lebanon, Place.from_country("SY")],
                       when="2024-12-01", source=wire)
    presence = ledger.who_is_in(lebanon)
    assert (len(presence.definite), len(presence.possible)) == (40, 30)
    found = page(presence._repr_html_())
    assert "40 definite, 30 possible" in found.words
    assert found.rows() == 1 + 2 + _html.ROWS + 1  # head, two sections, rows, the rest
    assert "… and 20 more" in found.words


def test_a_long_itinerary_is_bounded(ledger: Ledger, wire: Source) -> None:
    person = ledger.add_person("Traveller")
    for day in range(80):
        ledger.observe(person, "seen at", place=Place.from_country("LB" if day % 2 else "SY"),
                       when=f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}", source=wire)
    found = page(ledger.itinerary(person)._repr_html_())
    assert "80 stops" in found.words
    assert f"… and {80 - _html.ROWS} more" in found.words


def test_a_roll_asked_before_the_ledger_changed_still_renders(ledger: Ledger,
                                                              wire: Source) -> None:
    person = ledger.add_person("Amal Haddad")
    ledger.observe(person, "seen at", place=Place.from_country("LB"), when="2024-12",
                   source=wire)
    roll = ledger.everyone()
    ledger.add_person("Someone Else")
    found = page(roll._repr_html_())
    assert "Amal Haddad" in found.words
    assert "the ledger changed after this was asked" in found.words


# -- to_frame ----------------------------------------------------------------------------

QUICK = ["name", "kind", "status", "place", "place_key", "country"]
FULL = [*QUICK, "countries", "since", "since_earliest", "since_latest", "evidence",
        "candidates", "last_placed"]


def test_a_roll_as_a_frame(pd: Any) -> None:
    ledger = assad_2024()
    frame = ledger.everyone().to_frame()
    assert list(frame.columns) == QUICK
    assert frame.index.name == "id"
    assert frame.shape == (14, 6)
    assert frame.loc["bashar"].tolist() == ["Bashar al-Assad", "person", "located", "Moscow",
                                            "geonames:524901", "RU"]
    assert frame.loc["aides", "kind"] == "group"
    assert frame.loc["maher", "place"] == "Iraq or Russia"
    assert pd.isna(frame.loc["maher", "country"])
    assert frame.loc["ihab", "status"] == "deceased"
    assert pd.isna(frame.loc["ihab", "place"])


def test_a_full_frame(pd: Any) -> None:
    ledger = assad_2024()
    frame = ledger.everyone().to_frame(full=True)
    assert list(frame.columns) == FULL
    bashar = frame.loc["bashar"]
    assert bashar["since"] == "2024-12-08/.."
    assert str(bashar["since_earliest"]) == "2024-12-08 00:00:00+00:00"
    assert pd.isna(bashar["since_latest"])
    assert bashar["evidence"] == ["left-syria", "moscow", "asylum"]
    assert bashar["countries"] == ["RU"]
    assert frame.loc["maher", "countries"] == ["IQ", "RU"]
    assert frame.loc["iyad", "last_placed"] == ["in hospital in Chtoura, Lebanon (LB)"]
    assert str(frame["since_earliest"].dtype).startswith("datetime64")
    assert str(frame["since_earliest"].dt.tz) == "UTC"


def test_a_disputed_answer_in_a_frame(case: Ledger, pd: Any) -> None:
    frame = case.everyone().to_frame(full=True)
    sami = frame.loc["sami"]
    assert sami["status"] == "disputed"
    assert pd.isna(sami["place"])
    assert sami["candidates"] == ["in Dubai (AE)", "in Beirut (LB)"]
    assert sami["evidence"] == ["dubai", "beirut"]
    assert sami["countries"] == ["AE", "LB"]


def test_the_quick_frame_builds_no_answer(pd: Any) -> None:
    built: list[int] = []
    answers = _answers(1000, built)
    frame = Roll(title="x", answers=answers).to_frame()
    assert frame.shape == (1000, 6)
    assert built == []
    full = answers[:10].to_frame(full=True)
    assert full.shape == (10, len(FULL))
    assert sorted(built) == list(range(10))


def test_slices_of_answers_are_answers() -> None:
    built: list[int] = []
    answers = _answers(100, built)
    part = answers[10:20:2]
    assert isinstance(part, Answers)
    assert [e.id for e in part.entities] == ["p10", "p12", "p14", "p16", "p18"]
    assert part[1].entity.id == "p12"
    assert answers[-1].entity.id == "p99"
    assert built == [12, 99]
    assert list(part) == [answers[n] for n in (10, 12, 14, 16, 18)]
    assert part == list(part)


def test_a_presence_as_a_frame(pd: Any) -> None:
    frame = assad_2024().who_is_in("Russia").to_frame()
    assert list(frame.columns) == ["presence", *QUICK]
    assert frame["presence"].tolist() == ["definite"] * 4 + ["possible"] * 2
    assert frame.index.tolist()[-2:] == ["maher", "military-figures"]
    assert list(assad_2024().who_is_in("Russia").to_frame(full=True).columns) == [
        "presence", *FULL]


def test_an_empty_roll_as_a_frame(ledger: Ledger, pd: Any) -> None:
    frame = ledger.everyone().to_frame(full=True)
    assert frame.shape == (0, len(FULL))
    assert frame.index.name == "id"
    assert str(frame["since_latest"].dtype).startswith("datetime64")
    assert ledger.dead().to_frame().shape == (0, len(QUICK))


def test_to_frame_names_the_extra_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = assad_2024().everyone()
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependency, match=r"whereabouts\[pandas\]"):
        roll.to_frame()
    with pytest.raises(ImportError):
        roll.to_frame(full=True)


def test_dates_of_the_ends_of_time_in_a_frame(ledger: Ledger, wire: Source, pd: Any) -> None:
    person = ledger.add_person("Old Timer")
    ledger.observe(person, "seen at", place=Place.from_country("LB"), when="0001-01-01",
                   source=wire)
    frame: Any = ledger.everyone().to_frame(full=True)
    assert frame.loc["old-timer", "since"] == "0001-01-01"
    assert frame.loc["old-timer", "since_earliest"].year == 1
