"""Colours of the timeline chart: one per country, in the order countries are met.

Private to :mod:`whereabouts.pictures.timeline`; plain hex strings, so nothing
here needs matplotlib.

>>> palette = Palette()
>>> palette.country("SY"), palette.country("RU"), palette.country("SY")
('#1f77b4', '#d62728', '#1f77b4')
>>> palette.used
('SY', 'RU')
"""

from __future__ import annotations

from whereabouts.places import Where

__all__ = ["NO_COUNTRY", "SEVERAL", "Palette"]

# tab10 without its grey (grey means "no country"), then tab20's light halves and
# tab20b/tab20c: 36 colours before they repeat.
_COLOURS = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#aec7e8", "#ff9896", "#98df8a", "#ffbb78", "#c5b0d5", "#c49c94", "#f7b6d2",
    "#dbdb8d", "#9edae5", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#5254a3",
    "#8ca252", "#bd9e39", "#ad494a", "#a55194", "#3182bd", "#e6550d", "#31a354", "#756bb1",
    "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8",
)
NO_COUNTRY = "#9a9a9a"
"""A place in no country: a craft, international waters."""
SEVERAL = "#2f4f4f"
"""A place spanning several countries (a region such as "Europe"): dark slate."""


class Palette:
    """Hands out a colour per ISO country code, first come first served."""

    def __init__(self) -> None:
        self._of: dict[str, str] = {}

    def country(self, code: str) -> str:
        found = self._of.get(code)
        if found is None:
            found = self._of[code] = _COLOURS[len(self._of) % len(_COLOURS)]
        return found

    @property
    def used(self) -> tuple[str, ...]:
        """The country codes given a colour, in the order they were met."""
        return tuple(self._of)

    @property
    def repeats(self) -> bool:
        """Whether more countries were met than there are colours."""
        return len(self._of) > len(_COLOURS)

    def place(self, place: Where | None) -> tuple[str, ...]:
        """The colours of a place: one for a place, one per option for "X or Y"."""
        if place is None:
            return (NO_COUNTRY,)
        found: list[str] = []
        for option in place.options:
            codes = option.countries
            if len(codes) == 1:
                found.append(self.country(next(iter(codes))))
            else:
                found.append(NO_COUNTRY if not codes else SEVERAL)
        return tuple(dict.fromkeys(found))
