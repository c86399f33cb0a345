"""Benchmarks for whereabouts: a synthetic-ledger generator, peer implementations, a runner.

Not part of the installed package. Run from the repository root, for example
``python benchmarks/run.py --n 100000``; see ``docs/performance.md``.
"""
