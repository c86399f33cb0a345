"""Everyone's ``last_known`` from a Parquet dataset: on Spark, and in process (docs/scale-out.md).

Run ``python benchmarks/bench_spark.py --data DIR --master local[2]`` on a dataset
written by ``python benchmarks/bench_parquet.py --data CSV --out DIR`` (from a set of
``benchmarks/generate.py``), or ``--in-process`` for the in-process ledger. Prints one
JSON line:

* Spark: ``SparkLedger.read(spark, DIR).last_known()`` written as Parquet (every
  answer, with its evidence, stays on the executors; nothing is collected); wall time
  from reading to the last file written, the peak resident memory of this Python
  driver process and of the JVM (which in local mode also runs the executors' tasks;
  the Python workers that run the per-entity step are separate processes, not counted).
* in process: ``read_parquet(DIR)`` then ``everyone()`` with every answer built (as the
  Spark job builds each); wall time and the process's peak resident memory.

Run it under ``flock /tmp/whereabouts-heavy.lock``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def peak_of(pid: int) -> int:
    """A process's peak resident memory (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def on_spark(data: Path, master: str, memory: str) -> dict[str, object]:
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)  # pyspark 4.3 under pandas 3
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from whereabouts.spark import SparkLedger

    spark = (SparkSession.builder.master(master).appName("whereabouts-bench")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", memory)
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    jvm = spark.sparkContext._gateway.proc.pid
    out = Path(tempfile.mkdtemp(prefix="wb-spark-out-"))
    try:
        start = time.perf_counter()
        answers = SparkLedger.read(spark, data).last_known()
        answers.write.mode("overwrite").parquet(str(out / "answers"))
        wall = time.perf_counter() - start
        rows = spark.read.parquet(str(out / "answers")).count()
        return {"mode": "spark", "master": master, "data": str(data), "entities": rows,
                "wall_s": round(wall, 2),
                "driver_python_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                // 1024,
                "driver_jvm_peak_mib": peak_of(jvm) // 2**20}
    finally:
        spark.stop()
        shutil.rmtree(out, ignore_errors=True)


def in_process(data: Path) -> dict[str, object]:
    from whereabouts.io.parquet import read_parquet
    from whereabouts.spark._step import answer_row

    start = time.perf_counter()
    ledger = read_parquet(data)
    loaded = time.perf_counter() - start
    rows = [answer_row(answer) for answer in ledger.everyone()]
    wall = time.perf_counter() - start
    return {"mode": "in-process", "data": str(data), "entities": len(rows),
            "read_s": round(loaded, 2), "wall_s": round(wall, 2),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a Parquet dataset folder")
    parser.add_argument("--master", default="local[2]", help="Spark master (local[1], ...)")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory")
    parser.add_argument("--in-process", action="store_true", help="the in-process ledger")
    args = parser.parse_args()
    found = (in_process(args.data) if args.in_process
             else on_spark(args.data, args.master, args.driver_memory))
    print(json.dumps(found))


if __name__ == "__main__":
    main()
