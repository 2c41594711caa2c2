from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dispatch import lockouts, mfa, views
from dispatch.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/mfa/enrol/", mfa.enrol, name="dispatch-mfa-enrol"),
    path("account/mfa/verify/", mfa.verify, name="dispatch-mfa-verify"),
    path("account/mfa/qr.svg", mfa.qr_code, name="dispatch-mfa-qr"),
    path("administration/", views.admin_home, name="dispatch-admin-home"),
    path("administration/lockouts/", lockouts.lockouts, name="dispatch-lockouts"),
    path(
        "administration/lockouts/release/",
        lockouts.lockout_release,
        name="dispatch-lockout-release",
    ),
    path("dispatch/<str:reference>/", views.contact_units, name="dispatch-contact-units"),
    path("", include("intake.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_ADMIN:  # `make bench` only: the stock admin to compare the contact log with
    from dispatch import bench_admin

    urlpatterns.append(path("bench-admin/", bench_admin.site.urls))

handler400 = "dispatch.errors.bad_request"
handler403 = "dispatch.errors.permission_denied"
handler404 = "dispatch.errors.page_not_found"
handler500 = "dispatch.errors.server_error"
