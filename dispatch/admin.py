from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from dispatch.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["call_sign", "description", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["call_sign", "description"]


# Administrators manage accounts and their role (group); nobody hands out superuser or
# one-off permissions through the admin: a role is the only way rights are given.
admin.site.unregister(User)


@admin.register(User)
class RoleUserAdmin(UserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "is_staff", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "is_active")
    list_filter = ("is_active", "groups")
