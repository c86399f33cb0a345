"""Ledger files: keep, import and export a case without losing a fact.

* :func:`save` and :func:`load`: the native file, JSON Lines, lossless;
* :class:`SqliteLedger`: a ledger in a SQLite file, each change committed;
* :func:`read_csv` and :func:`write_csv`: observations for spreadsheets;
* :func:`to_geojson`: a map; :func:`to_dataframe` and :func:`read_frame`: pandas (and Arrow);
* :func:`check`: every problem of any of these files at once.

``docs/files.md`` specifies each format.
"""

from whereabouts.io.csv import COLUMNS, CsvExport, read_csv, template_text, to_csv, write_csv
from whereabouts.io.errors import LedgerFileError, MissingDependency, Problem
from whereabouts.io.files import check, copy_into, detect, open_ledger
from whereabouts.io.frames import read_frame, to_dataframe
from whereabouts.io.geojson import to_geojson, write_geojson
from whereabouts.io.native import dumps, load, read, save
from whereabouts.io.report import Report
from whereabouts.io.sqlite import SqliteLedger

__all__ = [
    "COLUMNS",
    "CsvExport",
    "LedgerFileError",
    "MissingDependency",
    "Problem",
    "Report",
    "SqliteLedger",
    "check",
    "copy_into",
    "detect",
    "dumps",
    "load",
    "open_ledger",
    "read",
    "read_csv",
    "read_frame",
    "save",
    "template_text",
    "to_csv",
    "to_dataframe",
    "to_geojson",
    "write_csv",
    "write_geojson",
]
