from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake and contact log"

    def ready(self) -> None:
        from intake import signals  # noqa: F401  (connects the sign-in receivers)
