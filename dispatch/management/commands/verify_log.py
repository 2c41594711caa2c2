"""``manage.py verify_log [--anchor COUNT:HASH] [--workers N]``: walk the contact log's whole chain.

A large log is cut into contiguous segments walked by ``--workers`` processes (default: one a
core) in one snapshot; the answer is the same as one process walking it all.

Exit 0 with ``OK: N entries, head HASH``; exit 1 naming the first bad entry and what is wrong
(changed content, broken link, gap, missing tail, anchor not matched).
"""

from __future__ import annotations

import re
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from intake.log import log_head, verify_parallel
from intake.log.parallel import default_workers

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = "Verify the contact log's hash chain from its first entry to its head."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--anchor", help="COUNT:HASH printed earlier by log_anchor.")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="Processes walking the chain of a large log (default: one a core, at most 8).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = None
        if options["anchor"]:
            match = ANCHOR.match(options["anchor"].strip().lower())
            if match is None:
                raise CommandError(
                    "--anchor must be COUNT:HASH, as printed by log_anchor", returncode=2
                )
            anchor = (int(match.group(1)), match.group(2))
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        started = time.perf_counter()
        # One snapshot: entries appended while we walk are neither half-seen nor reported.
        nested = connection.in_atomic_block
        with transaction.atomic():
            if not nested:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # The head is read first, so in the snapshot the worker processes share.
            head = log_head()
            result = verify_parallel(anchor=anchor, head=head, workers=options["workers"])
        elapsed = time.perf_counter() - started
        if not result.ok:
            raise CommandError(f"FAIL: {result.problem}", returncode=1)
        suffix = f", extends anchor {anchor[0]}" if anchor else ""
        self.stdout.write(f"OK: {result.entries} entries, head {result.head}{suffix}")
        if options["verbosity"] > 1:
            rate = result.entries / elapsed if elapsed else 0
            self.stderr.write(f"{elapsed:.3f} s, {rate:,.0f} entries/s")
