"""The timeline chart (whereabouts.pictures.timeline), checked by its pixels and its SVG.

Pixels are read from the Agg canvas at the places the axes' transforms give for
known claims: a day's bar has its country's colour, an open end fades, a
disputed answer is hatched. The SVG is parsed as XML.
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb

from whereabouts import Ledger, Place
from whereabouts.errors import UnknownEntity
from whereabouts.examples import assad_2024
from whereabouts.pictures.timeline import draw_timeline, save_timeline

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def case(ledger: Ledger, places: dict[str, Place]) -> Ledger:
    """Four people: a day in Lebanon, an open arrival, a disputed end, a stay."""
    nour = ledger.add_person("Nour Khalil", id="nour")
    lina = ledger.add_person("Lina Haddad", id="lina")
    karim = ledger.add_person("Karim Aziz", id="karim")
    omar = ledger.add_person("Omar Saleh", id="omar")
    ledger.observe(nour, "arrived at", place=places["dubai"], when="2024-12-08/..",
                   source="a blogger")  # no report date: the window stays open
    ledger.observe(lina, "seen at", place=places["beirut"], when="2024-11-20",
                   source="wire", reported="2024-11-21")
    ledger.observe(lina, "seen at", place=places["moscow"], when="2024-12-20",
                   source="wire", reported="2024-12-21")
    ledger.observe(lina, "seen at", place=places["beirut"], when="2024-12-20",
                   source="radio", reported="2024-12-21")
    ledger.observe(karim, "detained at", place=places["embassy"],
                   when="2024-11-03/2024-12-08", throughout=True, source="rights group",
                   reported="2024-12-20")
    ledger.observe(karim, "seen at", place=places["LB"], when="2024-11", source="wire",
                   reported="2024-12-01")
    ledger.observe(omar, "departed", place=places["damascus"], when="2024-12-08",
                   source="wire", reported="2024-12-09")
    ledger.observe(omar, "refused entry to", place=places["AE"], when="2024-12-09",
                   source="wire", reported="2024-12-10")
    ledger.observe(omar, "died", when="2025-02-28", source="radio", reported="2025-03-01")
    return ledger


def render(figure: Any) -> np.ndarray:
    FigureCanvasAgg(figure)
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba())[..., :3].astype(int)


def main_axes(figure: Any) -> Any:
    return next(ax for ax in figure.axes if ax.get_label() == "timeline")


def row_y(figure: Any, entity_id: str) -> float:
    for ax in figure.axes:
        for text in ax.texts:
            if text.get_gid() == f"row-{entity_id}":
                return float(text.get_position()[1])
    raise AssertionError(f"no row for {entity_id}")


def days(text: str, hour: int = 12) -> float:
    moment = datetime.fromisoformat(text).replace(hour=hour, tzinfo=timezone.utc)
    return moment.timestamp() / 86400


def pixel(figure: Any, image: np.ndarray, x_days: float, y: float) -> np.ndarray:
    x, up = main_axes(figure).transData.transform((x_days, y))
    return image[round(image.shape[0] - up), round(x)]


def legend_colour(figure: Any, label: str) -> np.ndarray:
    legend = figure.legends[0]
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        if text.get_text() == label:
            return np.round(np.array(handle.get_facecolor()[:3]) * 255).astype(int)
    raise AssertionError(f"no legend entry {label!r}")


def close(a: np.ndarray, b: np.ndarray, tolerance: int = 3) -> bool:
    return bool(np.abs(np.asarray(a) - np.asarray(b)).max() <= tolerance)


# -- pixels ---------------------------------------------------------------------


def test_a_day_is_a_solid_bar_in_its_countrys_colour(case: Ledger) -> None:
    figure = draw_timeline(case, ["lina", "nour"])
    image = render(figure)
    lebanon = legend_colour(figure, "Lebanon")
    lane = row_y(figure, "lina") - 0.5  # two lanes (the 20th's two sightings): the first
    assert close(pixel(figure, image, days("2024-11-20"), lane), lebanon)
    # two days later, nothing: the background
    assert close(pixel(figure, image, days("2024-11-22"), lane), [255, 255, 255])


def test_a_month_is_lighter_than_a_day(case: Ledger) -> None:
    figure = draw_timeline(case, ["karim", "lina"])
    image = render(figure)
    lebanon = legend_colour(figure, "Lebanon")
    # Karim's month in Lebanon starts before his stay: the first of his two lanes
    month = pixel(figure, image, days("2024-11-15"), row_y(figure, "karim") - 0.5)
    assert month.sum() > lebanon.sum() + 150
    assert np.argmax(255 - month) == np.argmax(255 - lebanon)  # the same hue, lighter


def test_an_open_end_fades_towards_the_horizon(case: Ledger) -> None:
    figure = draw_timeline(case, ["nour", "omar"])  # the horizon: Omar's death report
    image = render(figure)
    y = row_y(figure, "nour")
    whiteness = [int(pixel(figure, image, days(day), y).sum())
                 for day in ("2024-12-10", "2024-12-25", "2025-01-10", "2025-01-25",
                             "2025-02-10", "2025-02-25")]
    assert whiteness == sorted(whiteness)  # ever lighter
    assert whiteness[-1] - whiteness[0] > 200
    uae = legend_colour(figure, "United Arab Emirates")
    first = pixel(figure, image, days("2024-12-08", 6), y)
    assert np.argmax(255 - first) == np.argmax(255 - uae)


def test_a_disputed_answer_is_hatched_and_others_are_not(case: Ledger) -> None:
    assert case.last_known("lina").status.value == "disputed"
    figure = draw_timeline(case, ["lina", "nour", "omar"])
    image = render(figure)
    hatch = np.array([0xB2, 0x18, 0x2B])

    def hatched(entity: str) -> int:
        y = row_y(figure, entity)
        lanes = [pixel(figure, image, x, y + dy)
                 for x in np.linspace(days("2025-01-05"), days("2025-02-15"), 120)
                 for dy in (-0.4, 0.0, 0.4)]
        return sum(close(p, hatch, 60) for p in lanes)

    assert hatched("lina") > 20
    assert hatched("nour") == 0


def test_the_stay_is_solid_and_outlined(case: Ledger) -> None:
    figure = draw_timeline(case, ["karim"])
    image = render(figure)
    y = row_y(figure, "karim") + 0.5  # the stay's lane, the second (it starts later)
    assert close(pixel(figure, image, days("2024-11-20"), y), legend_colour(figure, "Syria"))
    stays = next(c for c in main_axes(figure).collections if c.get_gid() == "timeline-stays")
    assert stays.get_edgecolor()[0][:3].max() < 0.2  # a dark outline


def test_the_bundled_example_reads(tmp_path: Path) -> None:
    ledger = assad_2024()
    figure = draw_timeline(ledger)
    image = render(figure)
    russia = legend_colour(figure, "Russia")
    # Asma: only the Moscow claims, a day (8 December, capped by the report), then the
    # fading tail of her last known place.
    y = row_y(figure, "asma")
    assert close(pixel(figure, image, days("2024-12-08"), y), russia)
    tail = pixel(figure, image, days("2024-12-20"), y)
    assert tail.sum() > russia.sum()
    assert np.argmax(255 - tail) == np.argmax(255 - russia)
    names = [t.get_text() for ax in figure.axes for t in ax.texts
             if (t.get_gid() or "").startswith("row-")]
    assert names == [p.name for p in ledger.people]  # everyone has a claim
    folds = [t.get_text() for ax in figure.axes for t in ax.texts if t.get_gid() == "fold"]
    assert folds == ["≈4 years"]  # 2020 to December 2024, folded
    assert {ax.get_label() for ax in figure.axes} == {"timeline", "undated", "answers"}


def test_attempts_are_hollow_and_deaths_marked(case: Ledger) -> None:
    figure = draw_timeline(case, ["omar"])
    ax = main_axes(figure)
    by_gid = {c.get_gid(): c for c in ax.collections}
    attempt = by_gid["timeline-attempt"]
    assert tuple(attempt.get_facecolor()[0]) == (1.0, 1.0, 1.0, 1.0)
    assert close(np.round(attempt.get_edgecolor()[0][:3] * 255),
                 np.round(np.array(to_rgb(legend_colour_hex(figure, "United Arab Emirates")))
                          * 255))
    assert "timeline-died" in by_gid
    assert "timeline-departed" in by_gid


def legend_colour_hex(figure: Any, label: str) -> str:
    red, green, blue = legend_colour(figure, label)
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_as_of_draws_a_line_and_cuts_the_horizon(case: Ledger) -> None:
    figure = draw_timeline(case, ["lina"], as_of="2024-12-31")
    ax = main_axes(figure)
    line = next(line for line in ax.lines if line.get_gid() == "timeline-as-of")
    assert line.get_xdata()[0] == pytest.approx(days("2025-01-01", 0))
    assert ax.get_xlim()[1] < days("2025-01-03")


# -- files ------------------------------------------------------------------------


def test_svg_has_one_row_label_per_person(case: Ledger, tmp_path: Path) -> None:
    path = save_timeline(case, tmp_path / "case.svg", as_of="2025-03-01")
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    rows = {key: "".join(g.itertext()).strip() for key, g in groups.items()
            if key.startswith("row-")}
    assert rows == {"row-nour": "Nour Khalil", "row-lina": "Lina Haddad",
                    "row-karim": "Karim Aziz", "row-omar": "Omar Saleh"}
    for gid in ("timeline-bars", "timeline-stays", "timeline-fades", "timeline-disputed",
                "timeline-as-of", "timeline-attempt"):
        assert gid in groups, gid


def test_png_is_a_png(case: Ledger, tmp_path: Path) -> None:
    path = save_timeline(case, tmp_path / "case.PNG")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_holds_the_svg_and_the_claims(case: Ledger, tmp_path: Path) -> None:
    path = save_timeline(case, tmp_path / "case.html", ["omar"])
    text = path.read_text(encoding="utf-8")

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.tags.append(tag)

    parser = Cells()
    parser.feed(text)
    assert parser.tags.count("svg") == 1
    assert parser.tags.count("tr") == 1 + 3  # the header, Omar's three claims
    assert "refused entry to" in text
    assert "2025-02-28" in text


def test_unknown_suffix_is_refused_before_drawing(case: Ledger, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.pdf"):
        save_timeline(case, tmp_path / "case.pdf")
    assert not list(tmp_path.iterdir())


# -- bad input --------------------------------------------------------------------


def test_a_person_not_in_the_ledger(case: Ledger, tmp_path: Path) -> None:
    with pytest.raises(UnknownEntity):
        draw_timeline(case, ["lina", "Nobody At All"])
    with pytest.raises(UnknownEntity):
        save_timeline(case, tmp_path / "x.png", "Nobody At All")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("people", [0, 2])
def test_nothing_to_draw_says_so(ledger: Ledger, people: int) -> None:
    for number in range(people):
        ledger.add_person(f"Person {number}")
    figure = draw_timeline(ledger)
    texts = [t.get_text() for t in figure.texts]
    assert "Nothing to draw" in texts
    assert ("the ledger holds no people" if not people else "the ledger holds no claims") in texts
    image = render(figure)
    assert (image < 128).any()  # the words are drawn


def test_someone_asked_for_without_claims_gets_a_row_that_says_so(case: Ledger) -> None:
    case.add_person("Sami Nader", id="sami")
    figure = draw_timeline(case, ["sami", "lina"], known_at="2024-12-31")
    notes = {t.get_gid(): t.get_text().strip() for t in main_axes(figure).texts
             if (t.get_gid() or "").startswith("note-")}
    assert notes == {"note-sami": "no claims known at 2024-12-31"}


def test_only_undated_claims(ledger: Ledger, places: dict[str, Place]) -> None:
    maher = ledger.add_person("Maher")
    ledger.observe(maher, "arrived at", place=places["IQ"], source="an outlet")
    figure = draw_timeline(ledger)
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert "no dated claims" in texts
    undated = next(ax for ax in figure.axes if ax.get_label() == "undated")
    assert undated.collections  # the claim's chip
    render(figure)


def test_a_group_asked_for_by_name(ledger: Ledger, places: dict[str, Place]) -> None:
    group = ledger.add_group("the aides", id="aides")
    ledger.observe(group, "seen at", place=places["beirut"], when="2024-12-07",
                   source="wire", reported="2024-12-08")
    figure = draw_timeline(ledger, "the aides")
    assert row_y(figure, "aides") >= 0
    assert draw_timeline(ledger).texts[0].get_text() == "Nothing to draw"  # no person


# -- figures ----------------------------------------------------------------------


def test_import_whereabouts_leaves_matplotlib_alone() -> None:
    code = ("import sys, whereabouts, whereabouts.pictures, whereabouts.pictures.timeline; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_bundled_example_draws_in_under_two_seconds(tmp_path: Path) -> None:
    ledger = assad_2024()
    save_timeline(ledger, tmp_path / "warm.png")  # fonts, caches
    started = time.perf_counter()
    save_timeline(assad_2024(), tmp_path / "case.png")
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0 or math.isnan(elapsed), f"{elapsed:.2f} s"
