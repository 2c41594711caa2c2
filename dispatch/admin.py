from __future__ import annotations

from django.contrib import admin

from dispatch.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["call_sign", "description", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["call_sign", "description"]
