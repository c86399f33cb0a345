"""matplotlib for the PNG and SVG pictures: imported when first drawn, or a clear error."""

from __future__ import annotations

from typing import Any

from whereabouts.io.errors import MissingDependency

__all__ = ["matplotlib"]


def matplotlib(what: str = "PNG and SVG pictures") -> Any:
    """The matplotlib module; :class:`~whereabouts.io.MissingDependency` (an
    ``ImportError``) naming the ``plots`` extra when it is not installed."""
    try:
        import matplotlib as module
    except ImportError:
        raise MissingDependency(f'{what} need matplotlib: pip install "whereabouts[plots]"',
                                field="matplotlib") from None
    return module
