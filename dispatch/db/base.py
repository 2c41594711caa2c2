"""A PostgreSQL backend that starts the embedded server on the first connection of a process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.postgresql import base

from dispatch import embedded_pg


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        # Starting here, not in settings, keeps `manage.py policy ...` and other commands that
        # never connect from starting a server at all.
        server = embedded_pg.ensure_started(
            Path(self.settings_dict["DATA_DIR"]),
            database=self.settings_dict["EMBEDDED_DATABASE"],
        )
        self.settings_dict["HOST"] = server.socket_dir
        self.settings_dict["PORT"] = str(server.port)
        return super().get_connection_params()
