"""End to end in a real browser: intake, decision, the gate, officer in distress, direct contact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dispatch.models import Assignment, Unit
from dispatch.roles import Role
from intake.models import CommanderDuty, Contact, Event
from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def people(_test_settings):
    calltaker = make_user("calltaker", Role.CALL_TAKER)
    commander = make_user("commander", Role.COMMANDING_OFFICER)
    commander.first_name, commander.last_name = "Morgan", "Commander"
    commander.save()
    CommanderDuty.objects.create(user=commander, on_duty=True)
    officer = make_user("officer", Role.OFFICER)
    Unit.objects.create(call_sign="1A11", description="First Division patrol")
    Unit.objects.create(call_sign="2B21", description="Second Division patrol")
    return calltaker, commander, officer


def test_intake_decision_refusal_then_dispatch_and_close(people, open_page, shots):
    page = open_page("calltaker", PASSWORD)
    shots(page, "calltaker-home")
    page.click("[data-testid=new-contact]")
    page.check("input[value=metrosafe_911]")
    shots(page, "new-contact")
    page.click("text=Start recording")

    # Step 1: identify the caller. The words to say are on screen, the clock runs.
    expect(page.locator("[data-testid=step-title]")).to_have_text("Identify the caller")
    expect(page.locator("[data-testid=say]")).to_contain_text("this line is recorded")
    first = page.locator("[data-testid=clock]").inner_text()
    page.wait_for_timeout(1100)
    assert page.locator("[data-testid=clock]").inner_text() != first
    page.select_option("#id_agency", "ice_ero")
    page.fill("#id_agent_name", "Dana Whitfield")
    page.fill("#id_agent_badge", "ERO-4471")
    page.fill("#id_agent_callback_number", "502-555-0100")
    page.check("input[name=identity_check][value=callback_known_number]")
    shots(page, "step-caller")
    page.click("[data-testid=step-submit]")

    # Step 2: the request. Missing answers are named; the live evaluation follows the form.
    expect(page.locator("[data-testid=step-title]")).to_have_text(
        "Capture the request and the facts"
    )
    page.click("[data-testid=step-submit]")
    expect(page.locator("#error_1_id_agent_words")).to_be_visible()
    expect(page.locator("#error_1_id_location")).to_be_visible()
    expect(page.locator("[data-testid=permitted]")).to_have_text("No help")
    page.select_option("#id_request_type", "arrest_backup")
    page.fill("#id_agent_words", "Subject has a felony assault warrant; we are at the door.")
    page.fill("#id_location", "1200 S 4th St")
    page.select_option("#id_warrant", "local_criminal")
    expect(page.locator("[data-testid=permitted]")).to_have_text("Full assistance")
    expect(page.locator("[data-testid=evaluation]")).to_contain_text("preview, not saved")
    page.fill("#id_warrant_number", "24-F-01187")
    page.fill("#id_warrant_court", "Jefferson Circuit Court")
    shots(page, "step-request-live-evaluation")
    page.click("[data-testid=step-submit]")

    # Step 3: notify a commanding officer on duty; step 4: hand over.
    page.check("input[name=commanding_officer]")
    shots(page, "step-notify")
    page.click("[data-testid=step-submit]")
    page.check("#id_told")
    page.click("[data-testid=step-submit]")
    expect(page.locator(".alert-success")).to_contain_text("handed over to Morgan Commander")
    reference = page.locator("[data-testid=reference]").inner_text()
    shots(page, "handed-over")

    # The commander: queue, acknowledge, callback, supervisor, decision.
    co = open_page("commander", PASSWORD)
    expect(co.locator("[data-testid=queue]")).to_contain_text(reference)
    shots(co, "commander-queue")
    co.click(f"tr:has-text('{reference}') >> text=Open")
    co.click("[data-testid=acknowledge]")
    co.fill("#id_recording_ref", "REC-2026-1187")
    co.click("text=Log callback")
    co.fill("#id_supervisor_name", "Sgt. K. Moore")
    co.click("text=Log supervisor")
    co.check("input[name=level][value=full]")
    co.fill("#id_assessment", "Warrant verified with the clerk (G1).")
    shots(co, "decision-screen")
    co.click("[data-testid=decide]")
    expect(co.locator("[data-testid=decision]")).to_contain_text("Full assistance")

    # The gate refuses before the commander is on scene, and says why.
    co.click("[data-testid=to-dispatch]")
    co.click("[data-testid=assign-1A11]")
    refusal = co.locator("[data-testid=refusal]")
    expect(refusal).to_contain_text("1A11 was not assigned")
    expect(refusal).to_contain_text("P8: A commanding officer must be on scene")
    shots(co, "gate-refused")
    assert Event.objects.filter(action="assignment.refused").count() == 1

    co.goto(f"/commander/{reference}/")
    co.click("[data-testid=mark-on-scene]")
    co.click("[data-testid=to-dispatch]")
    co.click("[data-testid=assign-1A11]")
    expect(co.locator(".alert-success")).to_contain_text("1A11 assigned")
    expect(co.locator("[data-testid=assignments]")).to_contain_text("1A11")
    shots(co, "gate-allowed")

    # Close-out with the body-camera record, then the whole story on the timeline.
    co.goto(f"/intake/{reference}/close/")
    co.check("input[name=outcome][value=warrant_served]")
    co.fill("#id_narrative", "Warrant served by 1A11 with the commander on scene.")
    co.check(f"input[name=camera_{Assignment.objects.get().pk}][value=yes]")
    co.fill(f"#id_reference_{Assignment.objects.get().pk}", "BWC-77812")
    co.click("button:has-text('Close')")
    timeline = co.locator("[data-testid=timeline]")
    for words in (
        "Contact opened",
        "Caller identified",
        "Request and facts recorded",
        "Commanding officer notified",
        "Handed over",
        "Commanding officer acknowledged",
        "Recorded-line callback logged",
        "Supervisor notified",
        "Decision recorded",
        "Assignment REFUSED",
        "Commanding officer on scene",
        "Unit assigned",
        "Unit released",
        "Contact closed",
    ):
        expect(timeline).to_contain_text(words)
    shots(co, "timeline")
    assert Contact.objects.get(reference=reference).status == "closed"


def test_officer_in_distress_dispatches_at_once(people, open_page, shots):
    page = open_page("calltaker", PASSWORD)
    page.goto("/intake/new/")
    page.click("[data-testid=distress-new]")
    expect(page.locator("[data-testid=may-dispatch]")).to_have_text("Units may be assigned now.")
    expect(page.locator("[data-testid=distress-flag]")).to_be_visible()
    shots(page, "distress-dispatch")
    page.click("[data-testid=assign-2B21]")
    expect(page.locator(".alert-success")).to_contain_text("2B21 assigned")
    contact = Contact.objects.get()
    assert contact.officer_in_distress and contact.flagged_for_review
    assert Assignment.objects.get().unit.call_sign == "2B21"


def test_officer_reports_a_direct_contact_on_a_phone(people, open_page, shots):
    page = open_page("officer", PASSWORD, viewport=(390, 844))
    shots(page, "officer-home")
    page.click("[data-testid=direct-contact]")
    page.check("input[value=direct_in_person]")
    page.click("text=Start the report")
    expect(page.locator("[data-testid=step-title]")).to_have_text("Notify your supervisor")
    page.fill("#id_supervisor_name", "Sgt. K. Moore")
    shots(page, "officer-supervisor")
    page.click("[data-testid=step-submit]")
    expect(page.locator("[data-testid=step-title]")).to_have_text("Call back on a recorded line")
    page.fill("#id_recording_ref", "REC-2026-1201")
    page.click("[data-testid=step-submit]")
    expect(page.locator("[data-testid=step-title]")).to_have_text("Identify the caller")
    shots(page, "officer-caller")
    contact = Contact.objects.get()
    assert contact.channel == "direct_in_person" and contact.supervisor_name == "Sgt. K. Moore"
    assert re.match(r"FA-\d{4}-\d{5}", contact.reference)


def test_keyboard_alone_completes_a_step(people, open_page):
    page = open_page("calltaker", PASSWORD)
    page.goto("/intake/new/")
    page.focus("input[value=metrosafe_911]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to "Start recording"
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=step-title]")).to_have_text("Identify the caller")


def test_auditor_finds_filters_reads_exports_and_reviews(people, open_page, shots):
    from intake.services import contacts

    calltaker, _commander, _officer = people
    make_user("auditor", Role.AUDITOR)
    distress = contacts.contact_create(actor=calltaker, channel="radio", officer_in_distress=True)
    plain = contacts.contact_create(actor=calltaker, channel="metrosafe_911")

    page = open_page("auditor", PASSWORD)
    expect(page.locator("[data-testid=chart]")).to_be_visible()
    shots(page, "auditor-dashboard")
    page.click("text=Contact log")
    table = page.locator("[data-testid=log-table]")
    expect(table).to_contain_text(distress.reference)
    expect(table).to_contain_text(plain.reference)

    # Filter by a flag through the form: the filter lands in the URL.
    page.click("summary:has-text('Filter and search')")
    page.check("input[name=flag][value=officer_in_distress]")
    page.click("button:has-text('Apply')")
    expect(page).to_have_url(re.compile(r"flag=officer_in_distress"))
    expect(table).to_contain_text(distress.reference)
    expect(table).not_to_contain_text(plain.reference)
    shots(page, "auditor-log-filtered")

    with page.expect_download() as download:
        page.click("[data-testid=export]")
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert distress.reference in content and plain.reference not in content

    # Read the contact, with its raw log entries, and close the automatic review.
    page.click(f"text={distress.reference}")
    expect(page.locator("[data-testid=reviews]")).to_contain_text("Officer in distress")
    page.click("summary:has-text('Raw log entries')")
    expect(page.locator("[data-testid=raw-log]")).to_contain_text("contact.officer_in_distress")
    page.select_option("[data-testid=reviews] select[name=finding]", "proper")
    page.fill("[data-testid=reviews] input[name=note]", "Units sent at once, as P9 requires.")
    page.click("[data-testid=close-review]")
    expect(page.locator("[data-testid=reviews]")).to_contain_text("Finding: Proper")
    shots(page, "auditor-review-closed")
    assert Event.objects.filter(action="log.exported").exists()
    assert Event.objects.filter(action="review.closed").exists()


def test_public_report_needs_no_sign_in(people, browser, live_server, shots):
    from intake.services import contacts

    for _ in range(3):
        contacts.contact_create(actor=people[0], channel="radio")
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/transparency/")
    expect(page.locator("[data-testid=quarters]")).to_contain_text("Contacts")
    expect(page.locator("[data-testid=anchor]")).to_have_text(re.compile(r"^\d+:[0-9a-f]{64}$"))
    shots(page, "public-report")
    context.close()
