"""``manage.py db_web_role``: the database role the web service runs as, with least privilege.

Run by the owner after ``migrate`` (the compose file's one-shot migrate service). The web role
may read and write the application's tables but has no UPDATE, DELETE or TRUNCATE on the
contact log, so even a compromised web process cannot rewrite history; the triggers stand
behind that for everyone else.
"""

from __future__ import annotations

import re
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from dispatch.env import env_str

LOG_TABLE = "intake_event"
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = "Create or update the web service's database role (no UPDATE/DELETE on the log)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--role", default=env_str("WEB_DB_USER", "dispatch_web"))

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if not NAME.match(role):
            raise CommandError(f"role name {role!r} must be lower-case letters, digits, _")
        password = env_str("WEB_DB_PASSWORD")
        ident = sql.Identifier(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            statement = sql.SQL(verb + " ROLE {} LOGIN").format(ident)
            if password:
                statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
            raw = cursor.cursor  # psycopg's own cursor composes identifiers safely
            raw.execute(statement)
            raw.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
            raw.execute(
                sql.SQL(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
                ).format(ident)
            )
            raw.execute(
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident)
            )
            raw.execute(
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                    sql.Identifier(LOG_TABLE), ident
                )
            )
        self.stdout.write(f"{role}: read/write on the app's tables; the log is insert-only.")
