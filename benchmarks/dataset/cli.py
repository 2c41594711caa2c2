"""The command line: build or reuse the data set, print its URL."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

import benchmarks.dataset
from benchmarks.dataset.cache import ensure_dataset, marker


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.dataset [--contacts N]``: build or reuse, print the URL."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.dataset", description=benchmarks.dataset.__doc__
    )
    parser.add_argument(
        "--contacts", type=int, default=None, help="default: BENCH_CONTACTS or 1,000,000"
    )
    parser.add_argument("--database", help="database name (default bench_<contacts>)")
    parser.add_argument("--rebuild", action="store_true", help="build again even if complete")
    args = parser.parse_args(argv)
    url = ensure_dataset(args.contacts, database=args.database, rebuild=args.rebuild)
    found = marker(urlsplit(url).path.lstrip("/"))
    if found is not None:
        print(
            f"dataset: {found.contacts:,} contacts, built in {found.seconds:.0f} s: "
            + ", ".join(f"{table} {rows:,}" for table, rows in found.counts.items()),
            file=sys.stderr,
        )
    print(url)
    return 0
