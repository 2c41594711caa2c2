"""``manage.py policy evaluate FILE|-`` and ``manage.py policy show``: the engine from the shell.

The ``evaluate`` contract is fixed (tools outside the project use it): one JSON object of facts
in, one JSON object out, exit status 2 with one line on stderr for bad input. No database.
"""

from __future__ import annotations

import json
import sys
import textwrap
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dispatch.policy import DEFAULT_PACK, Facts, FactsError, PolicyPack, evaluate, get_pack

MAX_INPUT_BYTES = 1_000_000  # a facts object is a few hundred bytes; refuse a runaway file


class Command(BaseCommand):
    help = "Evaluate facts against the assistance policy, or show the policy's clauses."
    # Neither subcommand needs the database or the system checks (which could connect).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate_parser = sub.add_parser("evaluate", help="Evaluate one JSON object of facts.")
        evaluate_parser.add_argument("file", help="Path to a JSON file, or - for standard input.")
        evaluate_parser.add_argument("--pack", default=DEFAULT_PACK.id, help="Policy pack id.")
        show_parser = sub.add_parser("show", help="Print the policy pack's clauses.")
        show_parser.add_argument("--pack", default=DEFAULT_PACK.id, help="Policy pack id.")
        show_parser.add_argument("--json", action="store_true", help="Print as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pack = get_pack(options["pack"])
        except LookupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["action"] == "evaluate":
            self._evaluate(options["file"], pack)
        else:
            self._show(pack, as_json=options["json"])

    def _evaluate(self, path: str, pack: PolicyPack) -> None:
        try:
            facts = Facts.from_mapping(_read_json(path))
        except FactsError as exc:
            raise CommandError(f"invalid facts: {exc}", returncode=2) from None
        self.stdout.write(json.dumps(evaluate(facts, pack).to_dict()))

    def _show(self, pack: PolicyPack, *, as_json: bool) -> None:
        if as_json:
            clauses = [{"id": c.id, "title": c.title, "text": c.text} for c in pack.clauses]
            document = {
                "policy": pack.id,
                "title": pack.title,
                "jurisdiction": pack.jurisdiction,
                "effective": pack.effective.isoformat(),
                "clauses": clauses,
            }
            self.stdout.write(json.dumps(document, indent=2))
            return
        lines = [
            f"{pack.title}",
            f"{pack.jurisdiction}; policy {pack.id}, effective {pack.effective:%d %B %Y}",
            "",
        ]
        for clause in pack.clauses:
            lines.append(f"{clause.id}  {clause.title}")
            lines.extend(
                textwrap.wrap(
                    clause.text, width=88, initial_indent="     ", subsequent_indent="     "
                )
            )
            lines.append("")
        self.stdout.write("\n".join(lines).rstrip())


def _read_json(path: str) -> object:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise CommandError(f"{path}: more than {MAX_INPUT_BYTES} bytes", returncode=2)
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CommandError(
            f"{path}: not valid JSON ({_one_line(str(exc))})", returncode=2
        ) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())
