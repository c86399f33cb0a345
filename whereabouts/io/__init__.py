"""Ledger files: keep, import and export a case without losing a fact.

* :func:`save` and :func:`load`: the native file, JSON Lines, lossless;
* :class:`SqliteLedger`: a ledger in a SQLite file, each change committed;
* :func:`read_csv` and :func:`write_csv`: observations for spreadsheets;
* :func:`to_geojson`: a map; :func:`to_dataframe` and :func:`read_frame`: pandas (and Arrow);
* :func:`to_timelinejs`, :func:`to_timesketch`, :func:`to_ftm` and :func:`read_ftm`:
  TimelineJS, Timesketch and FollowTheMoney (``docs/exports.md``);
* :func:`write_parquet` and :func:`read_parquet`: a Parquet dataset, for DuckDB and Spark
  (``docs/scale-out.md``); :func:`read_tables`: the same tables in memory, as pyarrow Tables;
* :func:`check`: every problem of any of these files at once.

``docs/files.md`` specifies each format.
"""

from whereabouts.io.csv import COLUMNS, CsvExport, read_csv, template_text, to_csv, write_csv
from whereabouts.io.errors import LedgerFileError, MissingDependency, Problem
from whereabouts.io.files import check, copy_into, detect, open_ledger
from whereabouts.io.frames import read_frame, to_dataframe
from whereabouts.io.ftm import FtmReport, read_ftm, to_ftm, write_ftm
from whereabouts.io.geojson import to_geojson, write_geojson
from whereabouts.io.native import dumps, load, read, save
from whereabouts.io.parquet import read_parquet, read_tables, write_parquet
from whereabouts.io.report import Report
from whereabouts.io.sqlite import SqliteLedger
from whereabouts.io.timelinejs import to_timelinejs, write_timelinejs
from whereabouts.io.timesketch import to_timesketch, write_timesketch

__all__ = [
    "COLUMNS",
    "CsvExport",
    "FtmReport",
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
    "read_ftm",
    "read_parquet",
    "read_tables",
    "save",
    "template_text",
    "to_csv",
    "to_dataframe",
    "to_ftm",
    "to_geojson",
    "to_timelinejs",
    "to_timesketch",
    "write_csv",
    "write_ftm",
    "write_geojson",
    "write_parquet",
    "write_timelinejs",
    "write_timesketch",
]
