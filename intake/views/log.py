"""The auditor's contact log: filter, search, sort, page, export; and reviews."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dispatch.roles import AuthenticatedRequest, Role, role_required
from intake import forms as intake_forms
from intake.export import contact_csv
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
    response = StreamingHttpResponse(contact_csv(queryset), content_type="text/csv")
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
        messages.error(request, intake_forms.refusal_message(form))
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
        messages.error(request, intake_forms.refusal_message(form))
    return redirect("intake-contact-detail", reference=reference)
