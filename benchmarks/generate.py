"""A deterministic generator of synthetic movement ledgers, for the benchmarks.

``generate(n, seed=...)`` builds a ledger of ``n`` observations in memory and
:func:`write` saves it as three CSV files in the columns whereabouts' CSV import
uses (see ``docs/performance.md``):

``observations.csv``
    ``id, subjects, kind, place, when, source, reported, reliability, credibility,
    note, after``. ``subjects`` and ``after`` are ``;``-separated ids, a
    disjunctive place is written ``A | B``, ``when`` and ``reported`` are EDTF.
``places.csv``
    ``place, country``: 5,000 synthetic cities with ISO 3166-1 alpha-2 countries.
    They are invented names (``Kavelox``...) registered with the ledger, not
    gazetteer entries: registration is deterministic, offline, and costs the same
    on every machine, and the peers need the country of each place for W5.
``entities.csv``
    ``id, kind, name, members``: the people (``p...``) and groups (``g...``).

The shape of the data, for ``n`` observations:

* ``n // 20`` people with lognormally spread activity (a few have hundreds of
  claims), over ``places`` places whose popularity falls off like ``rank**-0.7``,
  in 60 countries weighted ``1/rank`` (so the first, Syria, is the busiest);
* ten years, 2015-01-01 to 2024-12-31; each claim is reported 0-120 days after it
  happened; every subject's claims fall on distinct days;
* about 3 % "whereabouts unknown" rows (no place), 10 % month-precision and 3 %
  year-precision dates, 1 % disjunctive places ("A | B"), 1 % claims about groups,
  0.5 % ``after`` links, 1 % notes;
* the other 87 % of the dates are, with ``precision="second"`` (the default of the
  command line and of ``run.py``), date-times to the second (``2019-03-04T12:34:56Z``,
  so a million claims carry about 870,000 distinct times), or, with
  ``precision="day"``, days (a few thousand distinct dates in all).

Imprecision is not spread over everyone: 60 % of the people (the *precise* people)
only ever have day-precision claims about themselves alone, with one place or
none, and belong to no group. Their answers are the same under any reading of
time, so the peers (which know nothing of uncertainty) and whereabouts must agree
on them: that is the runner's cross-check. The other 40 % carry all the
imprecise dates, alternatives, ``after`` links and group memberships, at
correspondingly higher rates, so the overall shares above hold.

With ``order="random"`` (the default of the command line and of ``run.py``) the rows
are shuffled with the seed, and the ids (``o1``, ``o2``... in report order) do not
follow the row order: data as it comes from many hands. With ``order="time"`` rows are
in the order a ledger grows, by report date, and ``o{row}`` is each row's id.
``order="time", precision="day"`` (the defaults of :func:`generate`, kept for the tests
written against that shape) gives the files the figures before issue 12 were measured
on, byte for byte.

Run ``python benchmarks/generate.py --n 10000 --out DIR`` to write a set by hand
(``--order time --precision day`` for the old shape);
the runner writes and caches its own under ``benchmarks/.data/``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

__all__ = [
    "AS_OF",
    "COLUMNS",
    "COUNTRIES",
    "DEFAULT_SEED",
    "KINDS",
    "ORDERS",
    "PRECISIONS",
    "PRESENCE_KINDS",
    "STATUS_OF_KIND",
    "Synthetic",
    "generate",
    "write",
]

COLUMNS = ("id", "subjects", "kind", "place", "when", "source", "reported", "reliability",
           "credibility", "note", "after")
PLACE_COLUMNS = ("place", "country")
ENTITY_COLUMNS = ("id", "kind", "name", "members")

DEFAULT_SEED = 20241208
START = date(2015, 1, 1)
DAYS = (date(2025, 1, 1) - START).days  # ten years: 3,653 days
AS_OF = "2022-06-30"
"""The date the as-of workloads (W4, W5) ask about: seven and a half years in."""

COUNTRIES = (
    "SY", "LB", "TR", "IQ", "RU", "AE", "JO", "EG", "IR", "SA", "UA", "DE", "FR", "GB", "US",
    "LY", "QA", "YE", "SD", "AF", "PK", "IN", "CN", "BY", "GE", "AM", "AZ", "KZ", "UZ", "TN",
    "DZ", "MA", "IL", "PS", "CY", "GR", "IT", "ES", "NL", "BE", "SE", "NO", "PL", "RO", "BG",
    "RS", "HU", "AT", "CH", "CZ", "KW", "OM", "BH", "ET", "SO", "KE", "NG", "ML", "NE", "TD",
)
"""The countries places are drawn from, busiest first (weights ``1/rank``)."""

ORDERS = ("random", "time")
"""Row orders: shuffled (the default), or the order a ledger grows (by report date)."""
PRECISIONS = ("second", "day")
"""What the precise dates are written to: a second (the default), or a day."""

UNKNOWN = "whereabouts unknown"
# Positional kinds and their weights (the remaining 3 % are UNKNOWN).
KINDS = (
    ("seen at", 0.45), ("reported at", 0.20), ("arrived at", 0.14), ("detained at", 0.03),
    ("sheltering at", 0.02), ("departed", 0.08), ("heading to", 0.05),
)
PRESENCE_KINDS = frozenset({"seen at", "reported at", "arrived at", "detained at",
                            "sheltering at"})
STATUS_OF_KIND = {
    **dict.fromkeys(PRESENCE_KINDS, "located"),
    "departed": "departed",
    "heading to": "heading",
    UNKNOWN: "unknown",
}
"""What a latest claim of each kind says: the status whereabouts reports for it alone."""

SHARES = {"unknown": 0.03, "month": 0.10, "year": 0.03, "alternatives": 0.01, "group": 0.01,
          "after": 0.005, "note": 0.01}
FUZZY_PEOPLE = 0.4
SOURCES = 300
_SYLLABLES = ("ka", "ve", "lo", "mi", "ra", "tu", "zen", "bo", "qa", "shi", "nor", "da",
              "fe", "gu", "hal", "ji", "kor", "lu", "mas", "ne", "pol", "ri", "sa", "tov")
_DAY_TEXT: list[str] = []  # day number -> ISO text, filled on first use


@dataclass(frozen=True)
class Synthetic:
    """A generated ledger, column by column (one list entry per observation, file order)."""

    n: int
    seed: int
    places: tuple[tuple[str, str], ...]  # (name, country)
    people: tuple[str, ...]  # ids
    precise_people: frozenset[str]
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (id, member ids)
    subject: list[int] = field(repr=False)  # index into people, or len(people) + group index
    kind: list[str] = field(repr=False)
    place: list[int] = field(repr=False)  # index into places, -1 for none
    place2: list[int] = field(repr=False)  # second alternative, -1 for none
    day: list[int] = field(repr=False)  # days since START
    precision: list[int] = field(repr=False)  # 0 day, 1 month, 2 year
    reported: list[int] = field(repr=False)  # days since START
    source: list[int] = field(repr=False)
    grading: list[tuple[str, str]] = field(repr=False)
    note: list[str] = field(repr=False)
    after: list[int] = field(repr=False)  # row index, -1 for none
    second: list[int] | None = field(default=None, repr=False)
    """Seconds into the day of each day-precision row; None: written as days."""
    number: list[int] | None = field(default=None, repr=False)
    """Each row's id number (``o{number}``); None: the row's place in the file, from 1."""

    def subject_id(self, index: int) -> str:
        people = len(self.people)
        return self.people[index] if index < people else self.groups[index - people][0]

    def rows(self) -> Iterator[tuple[str, ...]]:
        """The observation rows as CSV text fields, in :data:`COLUMNS` order."""
        days = _day_texts(DAYS + 200)
        names = [name for name, _ in self.places]
        second, number = self.second, self.number
        ids = [f"o{i + 1}" for i in range(self.n)] if number is None else \
            [f"o{k}" for k in number]
        for i in range(self.n):
            text = days[self.day[i]]
            when = text if self.precision[i] == 0 else text[:7] if self.precision[i] == 1 \
                else text[:4]
            if second is not None and self.precision[i] == 0:
                hours, rest = divmod(second[i], 3600)
                when = f"{text}T{hours:02}:{rest // 60:02}:{rest % 60:02}Z"
            p = self.place[i]
            place = "" if p < 0 else names[p]
            if self.place2[i] >= 0:
                place = f"{place} | {names[self.place2[i]]}"
            reliability, credibility = self.grading[i]
            yield (
                ids[i], self.subject_id(self.subject[i]), self.kind[i], place, when,
                f"Source {self.source[i]:03d}", days[self.reported[i]], reliability,
                credibility, self.note[i], "" if self.after[i] < 0 else ids[self.after[i]],
            )


def _day_texts(count: int) -> list[str]:
    while len(_DAY_TEXT) < count:
        _DAY_TEXT.append((START + timedelta(days=len(_DAY_TEXT))).isoformat())
    return _DAY_TEXT


def place_names(count: int) -> list[str]:
    """``count`` distinct invented place names, the same ones for every seed.

    Without the final ``x``, about 1 in 250 of them is a real town somewhere (the
    gazetteer would then find the name ambiguous); with it, none is.
    """
    width = 3 if count <= len(_SYLLABLES) ** 3 else 4
    space = len(_SYLLABLES) ** width
    if count > space:
        raise ValueError(f"at most {space} places")
    names = []
    for i in range(count):
        j = (i * 7919) % space  # 7919 is prime and coprime with 24: a fixed shuffle
        parts = []
        for _ in range(width):
            j, r = divmod(j, len(_SYLLABLES))
            parts.append(_SYLLABLES[r])
        names.append("".join(parts).capitalize() + "x")  # the x: no real place is called so
    return names


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def generate(n: int, *, seed: int = DEFAULT_SEED, places: int = 5000, order: str = "time",
             precision: str = "day") -> Synthetic:
    """A synthetic ledger of ``n`` observations; the same arguments give the same ledger
    on every run and machine (``random.Random`` with a text seed). ``order`` is one of
    :data:`ORDERS`, ``precision`` one of :data:`PRECISIONS`."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    times = precision  # the name is taken below by the column of precisions
    rng = random.Random(f"whereabouts-benchmark:{seed}")
    country_weights = _cumulative([1 / (r + 1) for r in range(len(COUNTRIES))])
    place_table = tuple(
        (name, rng.choices(COUNTRIES, cum_weights=country_weights)[0])
        for name in place_names(places)
    )
    place_weights = _cumulative([1 / (r + 1) ** 0.7 for r in range(places)])

    n_people = max(1, n // 20)
    width = len(str(n_people))
    people = tuple(f"p{i:0{width}d}" for i in range(n_people))
    fuzzy = [rng.random() < FUZZY_PEOPLE for _ in range(n_people)]
    fuzzy_ids = [i for i in range(n_people) if fuzzy[i]]
    n_groups = max(1, n_people // 1000) if len(fuzzy_ids) >= 2 else 0
    groups = []
    for g in range(n_groups):
        size = min(len(fuzzy_ids), rng.randint(5, 20))
        members = sorted(rng.sample(fuzzy_ids, size))
        groups.append((f"g{g:04d}", tuple(people[m] for m in members)))

    # Who each claim is about: groups get ~1 %, people the rest by lognormal activity,
    # never more claims than there are days (every subject's claims fall on distinct days).
    n_group_rows = round(n * SHARES["group"]) if n_groups else 0
    activity = _cumulative([rng.lognormvariate(0, 0.8) for _ in range(n_people)])
    counts = [0] * (n_people + n_groups)
    for p in rng.choices(range(n_people), cum_weights=activity, k=n - n_group_rows):
        counts[p] += 1
    for _ in range(n_group_rows):
        counts[n_people + rng.randrange(n_groups)] += 1
    overflow = sum(max(0, c - DAYS) for c in counts)
    if overflow:
        raise ValueError("n too large for distinct days per subject; add people")

    subject: list[int] = []
    day: list[int] = []
    for s, count in enumerate(counts):
        if count:
            subject.extend([s] * count)
            day.extend(rng.sample(range(DAYS), count))
    is_fuzzy = [s >= n_people or fuzzy[s] for s in subject]
    fuzzy_rows = sum(is_fuzzy)

    def rate(share: str) -> float:  # the share of fuzzy rows that gives the overall share
        return min(1.0, SHARES[share] * n / fuzzy_rows) if fuzzy_rows else 0.0

    presence = sum(w for k, w in KINDS if k in PRESENCE_KINDS) * (1 - SHARES["unknown"])
    p_month, p_year, p_after = rate("month"), rate("year"), rate("after")
    p_alt = min(1.0, rate("alternatives") / presence)  # only presence claims get alternatives
    kind_names = [k for k, _ in KINDS]
    kind_weights = _cumulative([w for _, w in KINDS])
    kind: list[str] = []
    place: list[int] = []
    place2: list[int] = []
    precision: list[int] = []
    reported: list[int] = []
    source: list[int] = []
    grading: list[tuple[str, str]] = []
    note: list[str] = []
    for i in range(n):
        k = UNKNOWN if rng.random() < SHARES["unknown"] else \
            rng.choices(kind_names, cum_weights=kind_weights)[0]
        kind.append(k)
        p = -1 if k == UNKNOWN else rng.choices(range(places), cum_weights=place_weights)[0]
        q = -1
        if is_fuzzy[i] and k in PRESENCE_KINDS and rng.random() < p_alt and places > 1:
            q = (p + 1 + rng.randrange(places - 1)) % places
        place.append(p)
        place2.append(q)
        r = rng.random()
        precision.append(0 if not is_fuzzy[i] or r >= p_month + p_year else
                         1 if r < p_month else 2)
        reported.append(day[i] + min(int(rng.expovariate(0.1)), 120))
        source.append(rng.randrange(SOURCES))
        grading.append((rng.choice("ABCDEF"), str(rng.randint(1, 6))))
        note.append("synthetic note" if rng.random() < SHARES["note"] else "")

    # Ids in report order: by report date, then a random tie-break. The extra draws
    # (seconds, the shuffle) come from their own generators, so that order="time",
    # precision="day" gives the same ledger as before they existed.
    tiebreak = [rng.random() for _ in range(n)]
    rows = sorted(range(n), key=lambda i: (reported[i], tiebreak[i]))
    number = None
    if order == "random":
        shuffle = random.Random(f"whereabouts-benchmark:{seed}:order")
        numbered = list(enumerate(rows, start=1))
        shuffle.shuffle(numbered)
        number = [k for k, _ in numbered]
        rows = [i for _, i in numbered]
    columns = [subject, kind, place, place2, day, precision, reported, source, grading, note,
               is_fuzzy]
    (subject, kind, place, place2, day, precision, reported, source, grading, note,
     is_fuzzy) = ([col[i] for i in rows] for col in columns)  # type: ignore[assignment]
    second = None
    if times == "second":
        clock = random.Random(f"whereabouts-benchmark:{seed}:seconds")
        second = [clock.randrange(86400) for _ in range(n)]
    # 'after' links to an earlier row (in the file) about the same subject that cannot have
    # started later: links never contradict the dates, so the ledger accepts them all. In
    # time order that is the previous row; shuffled, the earliest-starting one so far.
    lower = [_lower(day[i], precision[i]) for i in range(n)]
    after = [-1] * n
    previous: dict[int, int] = {}
    for i in range(n):
        s = subject[i]
        prior = previous.get(s)
        if (prior is not None and is_fuzzy[i] and lower[prior] <= lower[i]
                and rng.random() < p_after):
            after[i] = prior
        if order == "time" or prior is None or lower[i] < lower[prior]:
            previous[s] = i
    precise_people = frozenset(people[i] for i in range(n_people) if not fuzzy[i])
    return Synthetic(
        n=n, seed=seed, places=place_table, people=people, precise_people=precise_people,
        groups=tuple(groups), subject=subject, kind=kind, place=place, place2=place2, day=day,
        precision=precision, reported=reported, source=source, grading=grading, note=note,
        after=after, second=second, number=number,
    )


def _lower(day: int, precision: int) -> int:
    if precision == 0:
        return day
    start = START + timedelta(days=day)
    first = start.replace(day=1) if precision == 1 else start.replace(month=1, day=1)
    return (first - START).days


@dataclass(frozen=True)
class Files:
    """Where a generated set was written."""

    directory: Path

    @property
    def observations(self) -> Path:
        return self.directory / "observations.csv"

    @property
    def places(self) -> Path:
        return self.directory / "places.csv"

    @property
    def entities(self) -> Path:
        return self.directory / "entities.csv"


def write(data: Synthetic, directory: Path) -> Files:
    """Write the three CSV files of ``data`` into ``directory`` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = Files(directory)
    with files.places.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(PLACE_COLUMNS)
        out.writerows(data.places)
    with files.entities.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(ENTITY_COLUMNS)
        out.writerows((pid, "person", f"Person {pid[1:]}", "") for pid in data.people)
        out.writerows((gid, "group", f"Group {gid[1:]}", ";".join(members))
                      for gid, members in data.groups)
    with files.observations.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(COLUMNS)
        out.writerows(data.rows())
    return files


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="number of observations")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--order", choices=ORDERS, default="random",
                        help="rows shuffled (default) or in report order")
    parser.add_argument("--precision", choices=PRECISIONS, default="second",
                        help="precise dates as date-times to the second (default) or days")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    args = parser.parse_args(argv)
    data = generate(args.n, seed=args.seed, places=args.places, order=args.order,
                    precision=args.precision)
    files = write(data, args.out)
    size = files.observations.stat().st_size
    print(f"wrote {files.directory} ({size / 2**20:.1f} MiB of observations)")


if __name__ == "__main__":
    main()
