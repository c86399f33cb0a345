"""Timeline charts: one row per person, every claim drawn as the window it allows.

:func:`draw_timeline` returns a matplotlib :class:`~matplotlib.figure.Figure`;
:func:`save_timeline` writes it as PNG, SVG or HTML (chosen by the file's
suffix). Both need matplotlib (``pip install "whereabouts[plots]"``), imported
only when a chart is drawn, and always with the Agg (or SVG) canvas: never a
window. What each mark means is in ``docs/timeline.md``; in short:

* a claim is a bar over its window (``when``, capped by the report date): a day
  is narrow and solid, a month wider and lighter, a year lighter still; an open
  end ("after the 8th") fades out towards the horizon, an open start fades in;
* a stay (``throughout``) is a solid outlined span, lighter where it may or may
  not have begun or ended yet;
* colour is the place's country (legend); grey a place in no country, slate a
  region of several; "X or Y" splits the bar into one band per option;
* departures ``>``, journeys ``o``, attempts (not made) hollow ``o``, deaths ``X``,
  "whereabouts unknown" ``?``, each with a thin whisker over its window;
* a thin fading bar after the last known place: where the ledger last put them,
  as far as it knows, up to the horizon;
* hatching where the answer is disputed (see :func:`draw_timeline`);
* undated claims in their own column, in the order the evidence allows.

>>> from whereabouts.examples import assad_2024
>>> figure = draw_timeline(assad_2024(), ["Bashar al-Assad", "Ali Mamlouk"], as_of="2024-12-31")
>>> [text.get_text() for text in figure.axes[0].texts if (text.get_gid() or "").startswith("row-")]
['Bashar al-Assad', 'Ali Mamlouk']
"""

from __future__ import annotations

import html
import io
import math
import textwrap
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from whereabouts import _iso
from whereabouts._optional import matplotlib as matplotlib_module
from whereabouts._stays import stay_bounds
from whereabouts.entities import Entity, Group
from whereabouts.io._atomic import write_atomic
from whereabouts.observations import Observation
from whereabouts.pictures._timeline_colours import NO_COUNTRY, SEVERAL, Palette
from whereabouts.pictures.maps import MapError
from whereabouts.results import Status, Stop, Whereabouts
from whereabouts.when import When

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from whereabouts.ledger import DateRef, EntityRef, Ledger

__all__ = ["FORMATS", "draw_timeline", "save_timeline"]

FORMATS = ("png", "svg", "html")
"""The file formats :func:`save_timeline` writes, by suffix."""

_DAY = 86400.0
_YEAR = 365.25 * _DAY
_INK = "#222222"
_UNKNOWN = "#555555"
_DISPUTED = "#b2182b"
_FADE_STEPS = 14
_MIN_BAR_PX = 4.0
_MARKER_PX = 9.0
_MAX_LANES = 6
_COMPACT_ROWS = 60  # above this, one lane per row and smaller type
_UNDATED_SHOWN = 6


# -- what to draw (no matplotlib) --------------------------------------------


@attrs.frozen
class _Mark:
    """One thing drawn in a row: a claim's bar, a stay's span, or a marker."""

    shape: str  # "bar", "stay" or "marker"
    symbol: str  # for markers: "departed", "heading", "attempt", "died", "unknown"
    lower: float  # POSIX seconds; -inf for an open start
    upper: float  # +inf for an open end
    colours: tuple[str, ...]
    certain: tuple[float, float] | None = None  # a stay's certain span
    tail: tuple[str, ...] = ()  # colours of the last-known tail (empty: none)
    observations: tuple[Observation, ...] = ()


@attrs.define
class _Row:
    entity: Entity
    marks: list[_Mark]
    undated: list[_Mark]
    disputed: list[tuple[float, float]]
    answer: str
    claims: list[Observation]
    lanes: list[int] = attrs.field(factory=list)  # lane of each mark
    top: float = 0.0
    height: int = 1


def _symbol(stop: Stop) -> tuple[str, str]:
    if not stop.made:
        return "marker", "attempt"
    return {
        Status.DEPARTED: ("marker", "departed"),
        Status.HEADING: ("marker", "heading"),
        Status.DECEASED: ("marker", "died"),
        Status.UNKNOWN: ("marker", "unknown"),
    }.get(stop.status, ("bar", ""))


def _marks(stop: Stop, palette: Palette) -> Iterable[_Mark]:
    shape, symbol = _symbol(stop)
    for obs in stop.observations:
        colours = (_INK,) if symbol == "died" else (
            (_UNKNOWN,) if symbol == "unknown" else palette.place(stop.place))
        if shape == "bar" and obs.throughout and obs.when is not None:
            begin_low, begin_high, end_low, end_high = stay_bounds(obs.when, obs.reported)
            yield _Mark("stay", "", begin_low, end_high, colours,
                        certain=(begin_high, end_low), observations=(obs,))
        else:
            yield _Mark(shape, symbol, obs.lower, obs.upper, colours, observations=(obs,))


def _merge(marks: Iterable[_Mark]) -> list[_Mark]:
    """Marks that would be drawn the same, once (with all their claims)."""
    found: dict[tuple[Any, ...], _Mark] = {}
    for mark in marks:
        key = (mark.shape, mark.symbol, mark.lower, mark.upper, mark.colours, mark.certain)
        if key in found:
            old = found[key]
            found[key] = attrs.evolve(old, observations=old.observations + mark.observations)
        else:
            found[key] = mark
    return list(found.values())


def _answer_text(answer: Whereabouts) -> str:
    text = answer.headline[len(answer.entity.name) + 2:]
    if answer.pending:
        count = len(answer.pending)
        text += f" ({count} claim{'s' if count > 1 else ''} may have changed this by then)"
    return text


def _row(ledger: Ledger, entity: Entity, as_of: DateRef | None, known_at: DateRef | None,
         horizon: float | None, palette: Palette) -> _Row:
    # Every claim that may have happened by as_of (not only those certainly by then).
    stops = ledger.itinerary(entity, known_at=known_at, gap_days=math.inf, end=as_of)
    dated: list[_Mark] = []
    undated: list[_Mark] = []
    for stop in stops:
        for mark in _marks(stop, palette):
            (undated if mark.observations[0].when is None else dated).append(mark)
    marks = _merge(dated)
    answer = ledger.last_known(entity, as_of=as_of, known_at=known_at)
    if answer.status is Status.LOCATED and horizon is not None:
        evidence = {o.id for o in answer.evidence}
        latest = max((m for m in marks if m.shape == "bar"
                      and any(o.id in evidence for o in m.observations)
                      and math.isfinite(m.upper)),
                     key=lambda m: m.upper, default=None)
        if latest is not None and latest.upper < horizon:
            marks[marks.index(latest)] = attrs.evolve(latest,
                                                      tail=palette.place(answer.place))
    disputed: list[tuple[float, float]] = []
    for conflict in ledger.conflicts(entity, as_of=as_of, known_at=known_at):
        lows = [o.lower for o in conflict.observations]
        highs = [o.upper for o in conflict.observations]
        low, high = max(lows), min(highs)
        if not low < high:  # no overlap (placed after a death): the claims' whole span
            low, high = min(lows), max(highs)
        disputed.append((low, high))
    if answer.status is Status.DISPUTED and horizon is not None:
        starts = [min(o.lower for o in c.evidence) for c in answer.candidates if c.evidence]
        disputed.append((max(starts, default=-math.inf), horizon))
    claims = [o for stop in stops for o in stop.observations]
    return _Row(entity, marks, _merge(undated), disputed, _answer_text(answer), claims)


def _horizon(ledger: Ledger, as_of: When | None) -> float | None:
    """Where open ends stop: the end of ``as_of``, else the latest finite bound of any
    claim in the ledger (None when there is none)."""
    if as_of is not None:
        return as_of.upper
    latest = -math.inf
    for obs in ledger.observations:
        bounds: Iterable[float] = (obs.lower, obs.upper)
        if obs.throughout and obs.when is not None:
            bounds = stay_bounds(obs.when, obs.reported)
        for bound in bounds:
            if math.isfinite(bound) and bound > latest:
                latest = bound
    return latest if math.isfinite(latest) else None


# -- the time axis: linear stretches, long empty gaps folded -----------------


@attrs.frozen
class _Axis:
    """Maps POSIX seconds to a fraction of the axis width, piecewise linearly."""

    seconds: tuple[float, ...]  # knots, increasing
    fractions: tuple[float, ...]
    left: float  # seconds at fraction 0
    right: float  # seconds at fraction 1
    gaps: tuple[tuple[float, float], ...]  # folded stretches, in seconds

    def at(self, seconds: float) -> float:
        import numpy as np

        return float(np.interp(seconds, self.seconds, self.fractions))

    def back(self, fraction: float) -> float:
        import numpy as np

        return float(np.interp(fraction, self.fractions, self.seconds))


def _spans(rows: Sequence[_Row], horizon: float) -> list[tuple[float, float]]:
    """The finite stretches of time something is drawn over (fades left out)."""
    spans = [(horizon, horizon)]
    for row in rows:
        for mark in row.marks:
            low, high = mark.lower, min(mark.upper, horizon)
            if mark.certain is not None and mark.certain[0] < mark.certain[1]:
                spans.append((mark.certain[0], min(mark.certain[1], horizon)))
            if math.isfinite(low) and math.isfinite(high):
                spans.append((low, high))
            elif math.isfinite(low):
                spans.append((low, low))
            elif math.isfinite(high):
                spans.append((high, high))
        for low, high in row.disputed:
            if math.isfinite(low) and math.isfinite(high):
                spans.append((low, min(high, horizon)))
    return spans


def _axis(rows: Sequence[_Row], horizon: float, breaks: bool) -> _Axis:
    spans = sorted(_spans(rows, horizon))
    start = min(s[0] for s in spans)
    total = max(horizon - start, _DAY)
    fold = max(60 * _DAY, 0.15 * total) if breaks else math.inf
    clusters: list[list[float]] = []
    for low, high in spans:
        if clusters and low - clusters[-1][1] <= fold:
            clusters[-1][1] = max(clusters[-1][1], high)
        else:
            clusters.append([low, high])
    counts = [0] * len(clusters)
    for low, _ in spans:
        for number, (c_low, c_high) in enumerate(clusters):
            if c_low <= low <= c_high:
                counts[number] += 1
                break
    gap_share = 0.035
    floor = min(0.12, 0.6 / len(clusters))
    free = 1.0 - gap_share * (len(clusters) - 1) - floor * len(clusters)
    weight = sum(counts)
    seconds: list[float] = []
    fractions: list[float] = []
    gaps: list[tuple[float, float]] = []
    at = 0.0
    for number, (low, high) in enumerate(clusters):
        width = max(high - low, _DAY)
        pad = max(0.5 * _DAY, 0.04 * width)
        if number:
            gaps.append((seconds[-1], low - pad))
            at += gap_share
        share = floor + free * counts[number] / weight
        seconds += [low - pad, high + pad]
        fractions += [at, at + share]
        at += share
    fractions = [f / at for f in fractions]
    # Beyond the ends, the end stretches' slopes (for anything drawn past an edge).
    far = 1e4 * _YEAR
    slope_left = (fractions[1] - fractions[0]) / (seconds[1] - seconds[0])
    slope_right = (fractions[-1] - fractions[-2]) / (seconds[-1] - seconds[-2])
    return _Axis((seconds[0] - far, *seconds, seconds[-1] + far),
                 (fractions[0] - far * slope_left, *fractions, fractions[-1] + far * slope_right),
                 seconds[0], seconds[-1], tuple(gaps))


def _extent(mark: _Mark, axis: _Axis, horizon: float, px: float) -> tuple[float, float]:
    """Where a mark sits across the axis, in fractions of its width."""
    low = axis.at(max(mark.lower, axis.left))
    high = axis.at(min(mark.upper, horizon)) if mark.upper > axis.left else low
    if mark.shape == "marker":
        centre = _centre(mark, axis, horizon)
        reach = _MARKER_PX / px
        low, high = min(low, centre - reach), max(high, centre + reach)
    elif high - low < _MIN_BAR_PX / px:
        middle = (low + high) / 2
        low, high = middle - _MIN_BAR_PX / px / 2, middle + _MIN_BAR_PX / px / 2
    if mark.tail:
        high = max(high, axis.at(horizon))
    return low, high


def _centre(mark: _Mark, axis: _Axis, horizon: float) -> float:
    """Where a marker goes: the middle of its window, or its one finite end."""
    if math.isinf(mark.lower) and math.isinf(mark.upper):
        return axis.at(horizon)
    if math.isinf(mark.lower):
        return axis.at(min(mark.upper, horizon))
    if math.isinf(mark.upper):
        return axis.at(mark.lower)
    return (axis.at(mark.lower) + axis.at(min(mark.upper, horizon))) / 2


def _pack(row: _Row, axis: _Axis, horizon: float, px: float, compact: bool) -> None:
    """Lanes within a row so that marks do not cover one another."""
    if compact:
        row.lanes, row.height = [0] * len(row.marks), 1
        return
    extents = [_extent(m, axis, horizon, px) for m in row.marks]
    ends: list[float] = []
    row.lanes = [0] * len(row.marks)
    room = 3.0 / px
    for number in sorted(range(len(extents)), key=lambda n: extents[n]):
        low, high = extents[number]
        lane = next((i for i, end in enumerate(ends) if end + room <= low), None)
        if lane is None:
            if len(ends) < _MAX_LANES:
                lane = len(ends)
                ends.append(high)
            else:
                lane = min(range(len(ends)), key=ends.__getitem__)
        ends[lane] = max(ends[lane], high)
        row.lanes[number] = lane
    row.height = max(1, len(ends))


# -- drawing -----------------------------------------------------------------


def _matplotlib() -> Any:
    return matplotlib_module("timeline charts")


def _days(seconds: float) -> float:
    """matplotlib's date number (days since 1970-01-01) of POSIX seconds."""
    return seconds / _DAY


def _date_text(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d")


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float]:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue, alpha)


def _alpha(width: float) -> float:
    """Solid for a day or less, lighter as the window widens (0.3 from a year)."""
    if width <= _DAY:
        return 1.0
    if width >= _YEAR:
        return 0.3
    return 1.0 - 0.7 * math.log(width / _DAY) / math.log(_YEAR / _DAY)


class _Shapes:
    """Rectangles and markers gathered for a few collections (drawing is then fast)."""

    def __init__(self, axis: _Axis) -> None:
        self.axis = axis
        self.boxes: dict[str, tuple[list[Any], list[Any], list[Any]]] = {}
        self.points: dict[str, tuple[list[float], list[float], list[Any]]] = {}

    def box(self, layer: str, low: float, high: float, top: float, bottom: float,
            face: Any, edge: Any = "none") -> None:
        """A rectangle from ``low`` to ``high`` seconds (drawn in date numbers)."""
        verts, faces, edges = self.boxes.setdefault(layer, ([], [], []))
        x0, x1 = _days(low), _days(high)
        verts.append(((x0, top), (x0, bottom), (x1, bottom), (x1, top)))
        faces.append(face)
        edges.append(edge)

    def split(self, layer: str, low: float, high: float, middle: float, height: float,
              colours: Sequence[str], alpha: float, edge: Any = "none") -> None:
        """A bar, cut into one band per colour ("X or Y")."""
        band = height / len(colours)
        top = middle - height / 2
        for number, colour in enumerate(colours):
            self.box(layer, low, high, top + number * band, top + (number + 1) * band,
                     _rgba(colour, alpha), edge)

    def fade(self, low: float, high: float, middle: float, height: float,
             colours: Sequence[str], start: float, out: bool = True) -> None:
        """A bar fading out from ``low`` to ``high`` (in, when ``out`` is false)."""
        axis = self.axis
        a, b = axis.at(low), axis.at(high)
        for step in range(_FADE_STEPS):
            left = axis.back(a + (b - a) * step / _FADE_STEPS)
            right = axis.back(a + (b - a) * (step + 1) / _FADE_STEPS)
            level = (step + 0.5) / _FADE_STEPS
            alpha = start * (1 - level if out else level)
            self.split("fades", left, right, middle, height, colours, max(alpha, 0.02))

    def point(self, symbol: str, x: float, y: float, colour: Any) -> None:
        xs, ys, colours = self.points.setdefault(symbol, ([], [], []))
        xs.append(_days(self.axis.back(x)))
        ys.append(y)
        colours.append(colour)


def _draw_mark(shapes: _Shapes, mark: _Mark, middle: float, axis: _Axis, horizon: float,
               px: float) -> None:
    left = axis.left
    low, high = max(mark.lower, left), min(mark.upper, horizon)
    if mark.shape == "marker":
        whisker = 0.1
        if math.isinf(mark.lower) and math.isfinite(mark.upper):
            shapes.fade(left, high, middle, whisker, mark.colours, 0.9, out=False)
        elif math.isinf(mark.upper) and math.isfinite(mark.lower):
            shapes.fade(low, horizon, middle, whisker, mark.colours, 0.9)
        elif high > low:
            shapes.split("bars", low, high, middle, whisker, mark.colours, 0.8)
        x = _centre(mark, axis, horizon)
        shapes.point(mark.symbol, x, middle, mark.colours[0])
        return
    height = 0.8 if mark.shape == "stay" else 0.68
    if mark.shape == "stay":
        assert mark.certain is not None
        begun, ended = max(mark.certain[0], left), min(mark.certain[1], horizon)
        if begun < ended:
            shapes.split("stays", begun, ended, middle, height, mark.colours, 1.0,
                         edge=_rgba(_INK, 1.0))
        if low < min(begun, high):
            shapes.split("bars", low, min(begun, high), middle, height, mark.colours, 0.35)
        if math.isinf(mark.upper):
            shapes.fade(max(ended, low), horizon, middle, height, mark.colours, 0.8)
        elif max(ended, low) < high:
            shapes.split("bars", max(ended, low), high, middle, height, mark.colours, 0.35)
        return
    if math.isinf(mark.lower) and math.isinf(mark.upper):
        shapes.split("bars", left, horizon, middle, height, mark.colours, 0.15)
    elif math.isinf(mark.lower):
        shapes.fade(left, high, middle, height, mark.colours, 0.9, out=False)
    elif math.isinf(mark.upper):
        shapes.fade(low, horizon, middle, height, mark.colours, 0.9)
    else:
        a, b = axis.at(low), axis.at(high)
        if b - a < _MIN_BAR_PX / px:  # too narrow to see: widened, about its middle
            centre = (a + b) / 2
            low = axis.back(centre - _MIN_BAR_PX / px / 2)
            high = axis.back(centre + _MIN_BAR_PX / px / 2)
        shapes.split("bars", low, high, middle, height, mark.colours,
                     _alpha(min(mark.upper, horizon) - mark.lower))
    if mark.tail and high < horizon:
        shapes.fade(high, horizon, middle, 0.3, mark.tail, 0.75)


_MARKERS: dict[str, dict[str, Any]] = {
    "departed": {"marker": ">", "s": 60, "edgecolors": _INK, "linewidths": 0.6},
    "heading": {"marker": "o", "s": 46, "edgecolors": _INK, "linewidths": 0.6},
    "attempt": {"marker": "o", "s": 46, "linewidths": 1.6},
    "died": {"marker": "X", "s": 80, "edgecolors": "white", "linewidths": 0.5},
    "unknown": {"marker": "$?$", "s": 90, "linewidths": 0},
}
_LEGEND_TEXT = {
    "departed": "departed", "heading": "heading to", "attempt": "attempt, not made",
    "died": "died", "unknown": "whereabouts unknown",
}


def _collections(ax: Axes, shapes: _Shapes) -> None:
    from matplotlib.collections import PolyCollection

    order = {"zebra": 0.5, "gaps": 0.6, "bars": 2, "fades": 2.1, "stays": 2.2, "disputed": 3}
    for layer, (verts, faces, edges) in shapes.boxes.items():
        extra: dict[str, Any] = {}
        if layer == "disputed":
            extra = {"hatch": "////", "linewidths": 0.8}
        elif layer == "stays":
            extra = {"linewidths": 0.7}
        else:
            extra = {"linewidths": 0}
        collection = PolyCollection(verts, facecolors=faces, edgecolors=edges,
                                    zorder=order[layer], **extra)
        collection.set_gid(f"timeline-{layer}")
        ax.add_collection(collection, autolim=False)
    for symbol, (xs, ys, colours) in shapes.points.items():
        style = dict(_MARKERS[symbol])
        if symbol == "attempt":
            style.update(facecolors="white", edgecolors=colours)
        else:
            style["c"] = colours
        found = ax.scatter(xs, ys, zorder=4, **style)
        found.set_gid(f"timeline-{symbol}")


def _ticks(axis: _Axis, px: float) -> tuple[list[float], list[str]]:
    """Date ticks for each linear stretch, as many as fit its width (one at least)."""
    edges = [axis.left, *(x for gap in axis.gaps for x in gap), axis.right]
    ticks: list[float] = []
    labels: list[str] = []
    for low, high in zip(edges[::2], edges[1::2], strict=True):
        most = max(1, int((axis.at(high) - axis.at(low)) * px // 75))
        found: list[tuple[datetime, str]] = []
        for found in _tick_choices(_as_datetime(low), _as_datetime(high)):
            if len(found) <= most:
                break
        year = None
        for when, pattern in found[:most]:
            text = when.strftime(pattern).lstrip("0")
            if pattern == "%d %b" and when.year != year:
                text += when.strftime("\n%Y")
            year = when.year
            ticks.append(_days(when.timestamp()))
            labels.append(text)
    return ticks, labels


def _tick_choices(low: datetime, high: datetime) -> Iterable[list[tuple[datetime, str]]]:
    """Ever sparser date ticks between ``low`` and ``high``: days, months, years."""
    span = (high - low).days
    for step in (1, 2, 7, 14):
        if span / step <= 60:
            day = low.replace(hour=0, minute=0, second=0, microsecond=0)
            found = []
            while day <= high:
                if day >= low and (day.toordinal() % step == 0 if step < 7
                                   else day.day in (1, 15) if step == 14
                                   else day.day in (1, 8, 15, 22)):
                    found.append((day, "%d %b"))
                day += timedelta(days=1)
            yield found
    for step in (1, 2, 3, 6):
        if span / 30 / step <= 60:
            found = []
            month = low.year * 12 + low.month - 1
            while True:
                first = datetime(month // 12, month % 12 + 1, 1, tzinfo=timezone.utc)
                if first > high:
                    break
                if first >= low and (month % 12) % step == 0:
                    found.append((first, "%b %Y"))
                month += 1
            yield found
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        found = [(datetime(year, 1, 1, tzinfo=timezone.utc), "%Y")
                 for year in range(low.year + ((low.month, low.day) != (1, 1)), high.year + 1)
                 if year % step == 0]
        yield found


def _as_datetime(seconds: float) -> datetime:
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)


def _people(ledger: Ledger, people: EntityRef | Iterable[EntityRef] | None,
            ) -> tuple[list[Entity], bool]:
    """The entities asked for (each once), and whether they were asked for by name."""
    if people is None:
        return list(ledger.people), False
    refs = [people] if isinstance(people, str | Entity) else list(people)
    found = [ledger.entity(ref, field="people") for ref in refs]
    return list(dict.fromkeys(found)), True


def _label(entity: Entity) -> str:
    name = entity.name if len(entity.name) <= 30 else entity.name[:29] + "…"
    return f"{name} (group)" if isinstance(entity, Group) else name


def draw_timeline(
    ledger: Ledger, people: EntityRef | Iterable[EntityRef] | None = None, *,
    as_of: DateRef | None = None, known_at: DateRef | None = None, breaks: bool = True,
    title: str | None = None, width: float = 12.0,
) -> Figure:
    """A timeline of ``people`` (names, ids or entities; default: every person with
    at least one claim), as the ledger knew it at ``known_at``, up to ``as_of``.

    One row per person, in the order asked for (default: the order added). A
    person (or group) not in the ledger raises the ledger's ``UnknownEntity``
    (``AmbiguousName`` for a name that fits several). Someone asked for with no
    claim gets a row that says so; with nobody to draw, the figure says
    "nothing to draw" and why.

    **The horizon** is where open ends ("after the 8th", an open stay, the last
    known place) stop: the end of ``as_of`` when given (a dashed line marks it),
    else the latest finite bound of any claim in the ledger. Nothing is drawn
    past it.

    **Disputed** (hatched, over the whole row): where two claims cannot both be
    true (:meth:`~whereabouts.ledger.Ledger.conflicts`: the span where their
    windows overlap, or both claims' span when they do not, as for a sighting
    after a death); and, when the last answer is disputed, from the time every
    candidate may have happened up to the horizon.

    With ``breaks`` (the default), a long stretch in which nothing is drawn
    (over 60 days and over 15 % of the chart) is folded into a narrow grey band
    labelled with its length, and each stretch left is given width by how much
    it holds; time is linear within a stretch. ``width`` is in inches.
    """
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory

    as_of_when = None if as_of is None else When.coerce(as_of, field="as_of")
    known_when = None if known_at is None else When.coerce(known_at, field="known_at")
    entities, asked = _people(ledger, people)
    horizon = _horizon(ledger, as_of_when)
    palette = Palette()
    rows = [_row(ledger, e, as_of_when, known_when, horizon, palette) for e in entities]
    if not asked:
        rows = [r for r in rows if r.marks or r.undated]
    subtitle = "; ".join(filter(None, (
        None if as_of_when is None else f"as of {as_of_when}",
        None if known_when is None else f"as known at {known_when}")))
    heading = title or "Whereabouts over time"
    if not rows:
        return _nothing(ledger, heading, subtitle)

    compact = len(rows) > _COMPACT_ROWS
    lane_in = 0.13 if compact else 0.22
    font = 6.0 if compact else 9.0
    has_undated = any(r.undated for r in rows)
    dated = horizon is not None and any(r.marks for r in rows)
    if horizon is None:
        horizon = 0.0
    main_in = width * (0.56 if has_undated else 0.64)
    px = main_in * 100.0  # the pixels of the main axes, near enough, at 100 dpi
    axis = _axis(rows, horizon, breaks) if dated else _Axis(
        (horizon - _DAY, horizon), (0.0, 1.0), horizon - _DAY, horizon, ())
    top = 0.0
    for row in rows:
        _pack(row, axis, horizon, px, compact)
        row.top = top
        top += row.height + (0.35 if compact else 0.6)
    bottom = top - (0.35 if compact else 0.6)

    legend_rows = 3 + len(palette.used) // 6
    tall = 1.3 + bottom * lane_in + 0.25 * legend_rows
    # Constrained layout measures every label: worth it for a few rows, not for hundreds.
    figure = Figure(figsize=(width, tall), layout=None if compact else "constrained")
    ratios = ([0.09] if has_undated else []) + [0.68, 0.23]
    if compact:
        longest = max(len(_label(row.entity)) for row in rows)
        grid = figure.add_gridspec(
            1, len(ratios), width_ratios=ratios, wspace=0.02, right=0.99,
            left=min(0.35, (0.15 + longest * font * 0.6 / 72) / width),
            top=1 - 0.7 / tall, bottom=(0.45 + 0.1 * legend_rows) / tall)
    else:
        grid = figure.add_gridspec(1, len(ratios), width_ratios=ratios, wspace=0.01)
    ax = figure.add_subplot(grid[0, len(ratios) - 2], label="timeline")
    ax.set_xscale("function", functions=(_forward(axis), _inverse(axis)))
    ax.set_xlim(_days(axis.left), _days(axis.right))
    ax.set_ylim(bottom + 0.1, -0.2)
    shapes = _Shapes(axis)
    for number, row in enumerate(rows):
        if number % 2:
            shapes.box("zebra", axis.back(-0.5), axis.back(1.5), row.top - 0.3,
                       row.top + row.height + 0.3, _rgba("#f3f3f3", 1.0))
        for mark, lane in zip(row.marks, row.lanes, strict=True):
            _draw_mark(shapes, mark, row.top + lane + 0.5, axis, horizon, px)
        for low, high in row.disputed:
            low, high = max(low, axis.left), min(high, horizon)
            if high > low:
                shapes.box("disputed", low, high, row.top - 0.05, row.top + row.height + 0.05,
                           "none", _rgba(_DISPUTED, 1.0))
        if not row.marks:
            what = "no dated claims" if row.undated else "no claims" + (
                f" known at {known_when}" if known_when is not None else "")
            ax.text(_days(axis.left), row.top + 0.5, f"  {what}", va="center", ha="left",
                    fontsize=font - 1, color="#777777", fontstyle="italic",
                    gid=f"note-{row.entity.id}")
    for low, high in axis.gaps:
        shapes.box("gaps", low, high, -10.0, bottom + 10, _rgba("#e4e4e4", 1.0))
        ax.text(_days(axis.back((axis.at(low) + axis.at(high)) / 2)), bottom + 0.05,
                _length(high - low), rotation=90, ha="center", va="bottom",
                fontsize=font - 2, color="#666666", gid="fold")
    _collections(ax, shapes)
    if as_of_when is not None:
        ax.axvline(_days(as_of_when.upper), color=_INK, linestyle="--", linewidth=1,
                   zorder=5, gid="timeline-as-of")
    centres = [row.top + row.height / 2 for row in rows]
    ax.set_yticks([])
    if dated:
        ticks, labels = _ticks(axis, px)
        ax.set_xticks(ticks, labels, fontsize=font - 1)
        ax.xaxis.set_minor_locator(_no_ticks())
    else:
        ax.set_xticks([])
        ax.text(0.5, 0.5, "no dated claims", transform=ax.transAxes, ha="center",
                color="#777777")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)

    first = ax
    if has_undated:  # to the left of the time axis; the names go left of it
        first = figure.add_subplot(grid[0, 0], label="undated")
        first.set_ylim(ax.get_ylim())
        _undated(first, rows, font)
    names = blended_transform_factory(first.transAxes, first.transData)
    for row, centre in zip(rows, centres, strict=True):
        first.text(-0.02 if first is ax else -0.08, centre, _label(row.entity), ha="right",
                   va="center", fontsize=font, transform=names, gid=f"row-{row.entity.id}")
    answers = figure.add_subplot(grid[0, len(ratios) - 1], label="answers")
    answers.set_ylim(ax.get_ylim())
    answers.set_axis_off()
    answers.set_title("last known" + ("" if as_of_when is None else f", as of {as_of_when}"),
                      fontsize=font, loc="left")
    for row, centre in zip(rows, centres, strict=True):
        answers.text(0.02, centre, textwrap.fill(row.answer, 46), va="center", fontsize=font - 1,
                     clip_on=False, gid=f"answer-{row.entity.id}")
    if subtitle:
        heading += f" ({subtitle})"
    figure.suptitle(heading, fontsize=font + 3, y=1 - 0.2 / tall if compact else None)
    ax.set_title("horizon " + _date_text(horizon) if dated else "", fontsize=font - 1,
                 loc="right", color="#666666")

    handles: list[Any] = [Patch(facecolor=palette.country(c), label=_iso.country_name(c))
                          for c in palette.used[:30]]
    if len(palette.used) > 30:
        handles.append(Patch(facecolor="white", label=f"+{len(palette.used) - 30} more"
                             + (" (colours repeat)" if palette.repeats else "")))
    used = {s for r in rows for m in r.marks + r.undated for s in (m.symbol,)}
    shades = {c for r in rows for m in r.marks + r.undated for c in m.colours}
    if NO_COUNTRY in shades:
        handles.append(Patch(facecolor=NO_COUNTRY, label="no country"))
    if SEVERAL in shades:
        handles.append(Patch(facecolor=SEVERAL, label="several countries"))
    handles.append(Patch(facecolor=_rgba(_UNKNOWN, 1.0), label="within a day"))
    handles.append(Patch(facecolor=_rgba(_UNKNOWN, _alpha(31 * _DAY)), label="within a month"))
    handles.append(Patch(facecolor=_rgba(_UNKNOWN, _alpha(_YEAR)), label="within a year"))
    if any(m.shape == "stay" for r in rows for m in r.marks):
        handles.append(Patch(facecolor=_rgba(_UNKNOWN, 1.0), edgecolor=_INK,
                             label="stay (throughout)"))
    for symbol in _MARKERS:
        if symbol in used:
            style = _MARKERS[symbol]
            handles.append(Line2D([], [], linestyle="none", marker=style["marker"],
                                  markersize=7, label=_LEGEND_TEXT[symbol],
                                  markerfacecolor="white" if symbol == "attempt" else "#888888",
                                  markeredgecolor="#888888" if symbol == "attempt" else _INK))
    if any(r.disputed for r in rows):
        handles.append(Patch(facecolor="none", edgecolor=_DISPUTED, hatch="////",
                             label="disputed"))
    handles.append(Line2D([], [], color="#888888", linewidth=3, alpha=0.5,
                          label="last known, fading to the horizon"))
    figure.legend(handles=handles, loc="lower center" if compact else "outside lower center",
                  ncols=6, fontsize=font - 1, frameon=False)
    return figure


def _length(seconds: float) -> str:
    years = seconds / _YEAR
    if years >= 1.5:
        return f"≈{years:.0f} years"
    return f"≈{seconds / _DAY / 30.4:.0f} months"


def _forward(axis: _Axis) -> Any:
    import numpy as np

    xs = np.asarray(axis.seconds) / _DAY
    fs = np.asarray(axis.fractions)
    return lambda values: np.interp(values, xs, fs)


def _inverse(axis: _Axis) -> Any:
    import numpy as np

    xs = np.asarray(axis.seconds) / _DAY
    fs = np.asarray(axis.fractions)
    return lambda values: np.interp(values, fs, xs)


def _no_ticks() -> Any:
    from matplotlib.ticker import NullLocator

    return NullLocator()


def _undated(ax: Axes, rows: Sequence[_Row], font: float) -> None:
    """Undated claims, in the order the evidence allows, one chip each."""
    ax.set_title("undated, in order", fontsize=font - 1, loc="left")
    ax.set_xlim(-0.6, _UNDATED_SHOWN - 0.4)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    shapes = _Shapes(_Axis((0.0, 1.0), (0.0, 1.0), 0.0, 1.0, ()))
    for row in rows:
        middle = row.top + row.height / 2
        for number, mark in enumerate(row.undated[:_UNDATED_SHOWN]):
            x = number
            if mark.shape == "marker":
                xs, ys, colours = shapes.points.setdefault(mark.symbol, ([], [], []))
                xs.append(x)
                ys.append(middle)
                colours.append(mark.colours[0])
            else:
                band = 0.6 / len(mark.colours)
                for part, colour in enumerate(mark.colours):
                    verts, faces, edges = shapes.boxes.setdefault("bars", ([], [], []))
                    y0 = middle - 0.3 + part * band
                    verts.append(((x - 0.3, y0), (x - 0.3, y0 + band), (x + 0.3, y0 + band),
                                  (x + 0.3, y0)))
                    faces.append(_rgba(colour, 0.85))
                    edges.append("none")
        if len(row.undated) > _UNDATED_SHOWN:
            ax.text(_UNDATED_SHOWN - 0.6, middle, f"+{len(row.undated) - _UNDATED_SHOWN}",
                    fontsize=font - 2, va="center")
    _collections(ax, shapes)


def _nothing(ledger: Ledger, heading: str, subtitle: str) -> Figure:
    """A figure that says there is nothing to draw, and why."""
    from matplotlib.figure import Figure

    if not ledger.people:
        why = "the ledger holds no people"
    elif not len(ledger):
        why = "the ledger holds no claims"
    else:
        why = "no claim about any person" + (f" ({subtitle})" if subtitle else "")
    figure = Figure(figsize=(8, 2))
    figure.text(0.5, 0.6, "Nothing to draw", ha="center", fontsize=14, gid="nothing")
    figure.text(0.5, 0.35, why, ha="center", fontsize=10, color="#555555")
    figure.suptitle(heading, fontsize=10, color="#777777")
    return figure


# -- files ---------------------------------------------------------------------


def save_timeline(
    ledger: Ledger, path: str | Path, people: EntityRef | Iterable[EntityRef] | None = None, *,
    as_of: DateRef | None = None, known_at: DateRef | None = None, dpi: float | None = None,
    **options: Any,
) -> Path:
    """Draw a timeline (see :func:`draw_timeline`) and write it to ``path``: PNG, SVG
    or HTML by its suffix (an SVG with its text as text, inside a page with every
    claim drawn listed in a table). ``dpi`` (PNG only) defaults to 150, or 100 for a
    picture over 12 inches tall (hundreds of rows). Returns the path written.

    A suffix other than ``.png``, ``.svg`` or ``.html`` raises
    :class:`~whereabouts.pictures.maps.MapError` (a ``ValueError``) before anything
    is drawn; the file is written whole or not at all.
    """
    target = Path(path)
    kind = target.suffix.lower().lstrip(".")
    kind = "html" if kind == "htm" else kind
    if kind not in FORMATS:
        raise MapError(f"cannot write a timeline as {target.suffix or 'a file without a suffix'}"
                       f" ({target.name}): use .png, .svg or .html", field="path",
                       value=str(target))
    figure = draw_timeline(ledger, people, as_of=as_of, known_at=known_at, **options)
    if kind == "png":
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(figure)
        if dpi is None:
            dpi = 100 if figure.get_figheight() > 12 else 150
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        data = buffer.getvalue()
    elif kind == "svg":
        data = _svg(figure).encode("utf-8")
    else:
        data = _html(ledger, figure, people, as_of, known_at).encode("utf-8")
    write_atomic(target, data)
    return target


def _svg(figure: Figure) -> str:
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "whereabouts"}):
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _html(ledger: Ledger, figure: Figure, people: EntityRef | Iterable[EntityRef] | None,
          as_of: DateRef | None, known_at: DateRef | None) -> str:
    svg = _svg(figure)
    svg = svg[svg.index("<svg"):]
    heading = figure.get_suptitle() or "Whereabouts over time"
    lines = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(heading)}</title>",
        "<style>body{font-family:sans-serif;margin:1em}svg{max-width:100%;height:auto}"
        "table{border-collapse:collapse;font-size:90%}td,th{border-bottom:1px solid #ddd;"
        "padding:2px 8px;text-align:left;vertical-align:top}</style>",
        "</head>", "<body>", f"<h1>{html.escape(heading)}</h1>", svg,
        "<h2>The claims drawn</h2>",
        "<table><thead><tr><th>who</th><th>when (as written)</th><th>what</th>"
        "<th>source</th></tr></thead><tbody>",
    ]
    entities, _ = _people(ledger, people)
    for entity in entities:
        stops = ledger.itinerary(entity, known_at=known_at, gap_days=math.inf, end=as_of)
        for stop in stops:
            for obs in stop.observations:
                when = "undated" if obs.when is None else str(obs.when)
                lines.append(
                    f"<tr><td>{html.escape(entity.name)}</td><td>{html.escape(when)}</td>"
                    f"<td>{html.escape(obs.describe())}</td>"
                    f"<td>{html.escape(obs.citation())}</td></tr>")
    lines += ["</tbody></table>", "</body>", "</html>", ""]
    return "\n".join(lines)
