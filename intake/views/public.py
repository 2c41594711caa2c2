"""The public transparency report: aggregate figures only, no sign-in."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from intake.log import log_head
from intake.reports import public_table, transparency


def _report() -> dict[str, object]:
    data = transparency()
    count, head = log_head()
    return {
        "months": [p.label for p in data["months"]],
        "month_rows": public_table(data["months"]),
        "quarters": [p.label for p in data["quarters"]],
        "quarter_rows": public_table(data["quarters"]),
        "anchor": f"{count}:{head}",
    }


@login_not_required
@require_GET
def transparency_page(request: HttpRequest) -> HttpResponse:
    return render(request, "public/transparency.html", _report())


@login_not_required
@require_GET
def transparency_csv(request: HttpRequest) -> HttpResponse:
    report = _report()
    out = io.StringIO()
    writer = csv.writer(out)
    for period_key, rows_key in (("months", "month_rows"), ("quarters", "quarter_rows")):
        writer.writerow(["section", "figure", *report[period_key]])  # type: ignore[misc]
        for row in report[rows_key]:  # type: ignore[attr-defined]
            writer.writerow([row["section"], row["label"], *row["values"]])
        writer.writerow([])
    writer.writerow(["log anchor", report["anchor"]])
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="transparency.csv"'
    return response
