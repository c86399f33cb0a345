"""The optional extras, imported when first used, or a clear error naming the extra."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["matplotlib", "pandas", "pyarrow"]


def pandas() -> Any:
    """The pandas module; :class:`~whereabouts.io.MissingDependency` (an ``ImportError``)
    naming the ``pandas`` extra when it is not installed."""
    return _module("pandas", "needs pandas: pip install 'whereabouts[pandas]'", "pandas")


def pyarrow() -> Any:
    """The pyarrow module; :class:`~whereabouts.io.MissingDependency` naming the
    ``arrow`` extra when it is not installed."""
    return _module("pyarrow", "needs pyarrow: pip install 'whereabouts[arrow]'", "pyarrow")


def matplotlib(what: str = "PNG and SVG pictures") -> Any:
    """The matplotlib module; :class:`~whereabouts.io.MissingDependency` naming the
    ``plots`` extra when it is not installed."""
    return _module("matplotlib", f'{what} need matplotlib: pip install "whereabouts[plots]"',
                   "matplotlib")


def _module(name: str, reason: str, field: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        from whereabouts.io.errors import MissingDependency  # (the io package imports this)

        raise MissingDependency(reason, field=field) from None
