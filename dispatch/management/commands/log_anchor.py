"""``manage.py log_anchor``: print the log's head as COUNT:HASH, to publish.

Anyone holding a published anchor can later run ``verify_log --anchor COUNT:HASH`` to prove the
log still extends it: nothing up to that entry was changed or removed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from intake.log import log_head


class Command(BaseCommand):
    help = "Print the contact log's head (entry count and hash) for publishing."

    def handle(self, *args: Any, **options: Any) -> None:
        count, head = log_head()
        self.stdout.write(f"{count}:{head}")
