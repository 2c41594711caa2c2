from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from dispatch import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("calltaker/", views.calltaker_home, name="intake-calltaker-home"),
    path("commander/", views.commander_home, name="intake-commander-home"),
    path("officer/", views.officer_home, name="intake-officer-home"),
    path("auditor/", views.auditor_home, name="intake-auditor-home"),
    path("administration/", views.admin_home, name="dispatch-admin-home"),
    path("admin/", admin.site.urls),
]
