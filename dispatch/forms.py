"""Forms of the project's own pages: sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length checked before anyone looks it up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        # AuthenticationForm sets max_length after building the field, so no validator checked
        # it: a longer name reached authenticate() and django-axes' 255-character column (500).
        username.validators.append(MaxLengthValidator(username.max_length))  # type: ignore[attr-defined]
