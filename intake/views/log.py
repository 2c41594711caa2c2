"""The auditor's contact log: filter, search, sort, page, export; and reviews."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dispatch.roles import AuthenticatedRequest, Role, role_required
from intake import forms as intake_forms
from intake.filters import ContactLogFilter
from intake.log import event_record
from intake.models import Contact, Review
from intake.paging import keyset_page
from intake.selectors import contact_for_user
from intake.services import reviews
from intake.services.common import ServiceError
from intake.views.common import show_errors

PAGE_SIZE = 50
SORTS = {
    "received": "received_at",
    "reference": "reference",
    "channel": "channel",
    "agency": "agency",
    "request": "request_type",
    "permitted": "permitted",
    "status": "status",
}
LOG_READERS = (Role.AUDITOR, Role.COMMANDING_OFFICER)


def _filtered(request: AuthenticatedRequest) -> ContactLogFilter:
    queryset = Contact.objects.select_related("decision", "commanding_officer")
    return ContactLogFilter(request.GET or None, queryset=queryset)


@require_GET
@role_required(*LOG_READERS)
def contact_log(request: AuthenticatedRequest) -> HttpResponse:
    """Every contact, newest first; the filter, sort and page are all in the URL."""
    log_filter = _filtered(request)
    sort = request.GET.get("sort", "received")
    field = SORTS.get(sort, "received_at")
    descending = request.GET.get("dir", "desc" if sort == "received" else "asc") == "desc"
    queryset = log_filter.qs if log_filter.is_bound else log_filter.queryset
    if log_filter.is_bound and not log_filter.is_valid():
        queryset = Contact.objects.none()
    page = keyset_page(
        queryset,
        field=field,
        descending=descending,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    if page.bad_cursor:
        messages.warning(request, "That page link is no longer valid; showing the first page.")
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "intake/log.html",
        {
            "filter": log_filter,
            "page": page,
            "sort": sort,
            "descending": descending,
            "params": params.urlencode(),
            "sorts": SORTS,
        },
    )


EXPORT_COLUMNS = [
    ("reference", "reference"),
    ("received_at", "received_at"),
    ("channel", "channel"),
    ("agency", "agency"),
    ("request_type", "request_type"),
    ("location", "location"),
    ("people_targeted", "people_targeted"),
    ("warrant", "warrant"),
    ("crime", "crime"),
    ("public_danger", "public_danger"),
    ("officer_in_distress", "officer_in_distress"),
    ("permitted", "permitted"),
    ("decision__level", "decision"),
    ("commanding_officer__username", "commanding_officer"),
    ("callback_recording_ref", "recording_ref"),
    ("status", "status"),
    ("outcome", "outcome"),
    ("closed_at", "closed_at"),
]


EXPORT_BATCH = 2_000


def _csv_rows(queryset: Any) -> Iterator[str]:
    """The CSV in blocks of EXPORT_BATCH rows: memory stays flat, and the server makes one
    write per block rather than one per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in EXPORT_COLUMNS])
    fields = [name for name, _ in EXPORT_COLUMNS]
    rows = queryset.order_by("-received_at", "-id").values_list(*fields)
    for count, row in enumerate(rows.iterator(chunk_size=EXPORT_BATCH), start=1):
        writer.writerow(
            ["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in row]
        )
        if count % EXPORT_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@require_GET
@role_required(Role.AUDITOR)
def contact_log_export(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
    """CSV of exactly the current filter, streamed in constant memory; the export is logged."""
    log_filter = _filtered(request)
    if log_filter.is_bound and not log_filter.is_valid():
        return HttpResponse(
            "Invalid filter: "
            + "; ".join(f"{k}: {' '.join(v)}" for k, v in log_filter.errors.items()),
            status=400,
            content_type="text/plain",
        )
    queryset = log_filter.qs if log_filter.is_bound else log_filter.queryset
    with transaction.atomic():
        event_record(
            action="log.exported",
            actor=request.user,
            payload={"filter": {k: request.GET.getlist(k) for k in request.GET}},
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(_csv_rows(queryset), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="contact-log-{stamp}.csv"'
    return response


@require_POST
@role_required(Role.AUDITOR)
def review_open(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    contact = contact_for_user(reference=reference, user=request.user)
    form = intake_forms.ReviewOpenForm(request.POST)
    if form.is_valid():
        try:
            reviews.review_open(contact=contact, actor=request.user, note=form.cleaned_data["note"])
        except ServiceError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, "Review opened.")
    else:
        messages.error(request, "Not saved: say what the review is about.")
    return redirect("intake-contact-detail", reference=reference)


@require_POST
@role_required(Role.AUDITOR)
def review_close(request: AuthenticatedRequest, reference: str, review_id: int) -> HttpResponse:
    contact = contact_for_user(reference=reference, user=request.user)
    review = get_object_or_404(Review, pk=review_id, contact=contact)
    form = intake_forms.ReviewCloseForm(request.POST)
    if form.is_valid():
        try:
            reviews.review_close(review=review, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, f"Not saved: {error}")
        else:
            messages.success(request, "Review closed with its finding.")
    else:
        messages.error(request, "Not saved: choose a finding and explain it.")
    return redirect("intake-contact-detail", reference=reference)
