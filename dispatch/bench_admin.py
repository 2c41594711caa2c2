"""The stock Django admin changelist of contacts, mounted only for `make bench` comparisons.

It is configured the way a Django team would reach for first (``list_display``,
``list_filter``, ``search_fields``, the default paginator with its exact count), so the
benchmark can put the contact log's figures next to it. It is never mounted in production:
administrators do not read contacts (see dispatch/admin.py), and ``BENCH_ADMIN`` is false.
"""

from __future__ import annotations

from django.contrib import admin

from intake.models import Contact
from intake.models.contact import SEARCH_FIELDS


class BenchAdminSite(admin.AdminSite):
    site_header = "Stock Django admin (benchmark comparison only)"


site = BenchAdminSite(name="bench_admin")


@admin.register(Contact, site=site)
class ContactAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "received_at",
        "channel",
        "agency",
        "request_type",
        "permitted",
        "status",
        "commanding_officer",
    ]
    list_filter = ["agency", "channel", "request_type", "permitted", "status", "received_at"]
    # The same columns the contact log's full-text search covers.
    search_fields = list(SEARCH_FIELDS)
    list_select_related = ["commanding_officer"]
    date_hierarchy = None
    list_per_page = 50
