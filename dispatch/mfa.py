"""Multi-factor sign-in (TOTP, django-otp) for every role when ``MFA_REQUIRED`` is on.

After the password, a user without an authenticator enrols one (QR code drawn here, on the
server) and receives ten single-use recovery codes; a user with one enters its code. Until
then, no page but these answers them.
"""

from __future__ import annotations

from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dispatch.roles import AuthenticatedRequest, user_role
from intake.log import event_record

RECOVERY_CODES = 10
# What a signed-in user who has not passed the second factor may still reach.
OPEN_PATHS = ("/account/mfa/", "/accounts/logout/", "/static/", "/healthz", "/transparency")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _device(request: AuthenticatedRequest) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=request.user, name="Authenticator", confirmed=False
    )


@never_cache
@require_GET
def qr_code(request: AuthenticatedRequest) -> HttpResponse:
    """The enrolment QR code as SVG, drawn here: nothing leaves the server."""
    if user_role(request.user) is None or user_has_device(request.user):
        return HttpResponse(status=404)
    image = qrcode.make(_device(request).config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Add an authenticator: scan, then prove it with one code; recovery codes are shown once."""
    if user_has_device(request.user):
        return redirect("dispatch-mfa-verify")
    device = _device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                StaticDevice.objects.filter(user=request.user).delete()  # old codes die
                recovery = StaticDevice.objects.create(user=request.user, name="Recovery codes")
                codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
                recovery.token_set.bulk_create(
                    [StaticToken(device=recovery, token=code) for code in codes]
                )
                event_record(action="mfa.enrolled", actor=request.user, obj=request.user)
            otp_login(request, device)
            return render(
                request, "registration/mfa_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error(
            "code", "That code is not right. Check the time on your phone and try the newest code."
        )
    return render(
        request,
        "registration/mfa_enrol.html",
        {"form": form, "secret": device.key, "next": _next(request)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second factor after the password: a TOTP code, or one recovery code."""
    if not user_has_device(request.user):
        return redirect("dispatch-mfa-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip())
        with transaction.atomic():
            if device is not None:
                otp_login(request, device)
                recovery = isinstance(device, StaticDevice)
                event_record(
                    action="mfa.recovery_used" if recovery else "mfa.verified",
                    actor=request.user,
                    obj=request.user,
                )
            else:
                event_record(action="mfa.failed", actor=request.user, obj=request.user)
        if device is not None:
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, f"Recovery code used: {left} left.")
            return redirect(_next(request))
        form.add_error("code", "That code is not right.")
    return render(request, "registration/mfa_verify.html", {"form": form, "next": _next(request)})


class MFARequiredMiddleware:
    """With MFA_REQUIRED, a signed-in user reaches nothing else before the second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.MFA_REQUIRED
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by django-otp
            and not request.path.startswith(OPEN_PATHS)
        ):
            target = "dispatch-mfa-verify" if user_has_device(user) else "dispatch-mfa-enrol"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
