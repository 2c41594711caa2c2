"""The project's PostgreSQL backend: Django's, plus two things.

- With no ``DATABASE_URL`` (settings give ``DATA_DIR``), the embedded server is started on the
  first connection of a process, so commands that never connect never start it.
- A test database's flush may truncate the append-only contact log (the trigger allows it
  only in a database named ``test_*`` and only for the flushing transaction).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.postgresql import base, operations

from dispatch import embedded_pg

LOG_TABLE = "intake_event"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if statements and LOG_TABLE in tables:
            return ["SET LOCAL dispatch.allow_log_truncate = 'on'", *statements]
        return statements


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict[str, Any]:
        if "DATA_DIR" in self.settings_dict:
            server = embedded_pg.ensure_started(
                Path(self.settings_dict["DATA_DIR"]),
                database=self.settings_dict["EMBEDDED_DATABASE"],
            )
            self.settings_dict["HOST"] = server.socket_dir
            self.settings_dict["PORT"] = str(server.port)
        return super().get_connection_params()
