from __future__ import annotations

from django.urls import path

from intake.views import commander, contact, flow, homes, log, public

urlpatterns = [
    path("calltaker/", homes.calltaker_home, name="intake-calltaker-home"),
    path("officer/", homes.officer_home, name="intake-officer-home"),
    path("auditor/", homes.auditor_home, name="intake-auditor-home"),
    path("commander/", commander.queue, name="intake-commander-home"),
    path("commander/duty/", commander.duty, name="intake-commander-duty"),
    path("commander/<str:reference>/", commander.decide_screen, name="intake-contact-decide"),
    path(
        "commander/<str:reference>/acknowledge/",
        commander.acknowledge,
        name="intake-contact-acknowledge",
    ),
    path("commander/<str:reference>/callback/", commander.callback, name="intake-contact-callback"),
    path(
        "commander/<str:reference>/supervisor/",
        commander.supervisor,
        name="intake-contact-supervisor",
    ),
    path("commander/<str:reference>/decide/", commander.decide, name="intake-decision-new"),
    path("commander/<str:reference>/on-scene/", commander.on_scene, name="intake-contact-on-scene"),
    path("transparency/", public.transparency_page, name="intake-transparency"),
    path("transparency.csv", public.transparency_csv, name="intake-transparency-csv"),
    path("log/", log.contact_log, name="intake-log"),
    path("log/export.csv", log.contact_log_export, name="intake-log-export"),
    path("intake/<str:reference>/reviews/", log.review_open, name="intake-review-new"),
    path(
        "intake/<str:reference>/reviews/<int:review_id>/close/",
        log.review_close,
        name="intake-review-close",
    ),
    path("intake/new/", flow.contact_new, name="intake-contact-new"),
    path("intake/distress/", flow.distress_new, name="intake-distress-new"),
    path("officer/direct/new/", flow.direct_new, name="intake-direct-new"),
    path("intake/<str:reference>/", contact.detail, name="intake-contact-detail"),
    path("intake/<str:reference>/step/<slug:step>/", flow.contact_step, name="intake-contact-step"),
    path(
        "intake/<str:reference>/evaluate/",
        flow.contact_evaluate_live,
        name="intake-contact-evaluate",
    ),
    path(
        "intake/<str:reference>/evaluation/",
        flow.contact_evaluation,
        name="intake-contact-evaluation",
    ),
    path("intake/<str:reference>/distress/", flow.contact_distress, name="intake-contact-distress"),
    path("intake/<str:reference>/cancel/", contact.cancel, name="intake-contact-cancel"),
    path("intake/<str:reference>/close/", contact.close, name="intake-contact-close"),
    path("intake/<str:reference>/amend/", contact.amend, name="intake-contact-amend"),
]
