"""The repair pages: each page for each role, scoping (404 for others' cases), the services' refusals shown as
messages (never a 500), downloads as attachments, role-aware navigation and the redirect after login."""

import datetime as dt

import pytest
from django.utils import timezone

from creditrepair.audit.models import AuditEvent
from creditrepair.repairs import services
from creditrepair.repairs.models import RepairCase, RepairStatus
from creditrepair.repairs.selectors import case_documents

from tests.repairs.repairs_support import pdf_upload, supply_materials


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def text(response):
    return response.content.decode()


# --------------------------------------------------------------------------- 我的信用 and filing


def test_my_credit_lists_every_own_record_with_its_repairability(client, ent_user, dept_user, enterprise,
                                                                 make_record, repairable_record, other_ent_user):
    ready = repairable_record(decision_no="雅罚〔2026〕1号")
    early = make_record(dept_user, enterprise, decided=timezone.localdate() - dt.timedelta(days=10),
                        decision_no="雅罚〔2026〕2号")
    foreign = repairable_record(subject=other_ent_user.subject, decision_no="雅罚〔2026〕3号")
    body = text(page(client, ent_user, "/me/"))
    assert "雅罚〔2026〕1号" in body and "雅罚〔2026〕2号" in body and "雅罚〔2026〕3号" not in body
    assert f'href="/repairs/new/?record={ready.pk}"' in body
    assert f'href="/repairs/new/?record={early.pk}"' not in body
    assert "最短公示期尚未届满" in body and early.min_until.isoformat() in body
    assert f'href="/objections/new/?record={early.pk}"' in body
    assert "信用承诺书" in body  # the materials the rule set asks for
    assert foreign.pk != ready.pk


def test_staff_are_sent_from_my_credit_to_their_queue(client, operator):
    assert page(client, operator, "/me/").url == "/staff/repairs/"


def test_filing_on_the_page_creates_a_draft_and_a_refusal_is_a_message(client, ent_user, dept_user, enterprise,
                                                                     make_record, repairable_record):
    record = repairable_record()
    client.force_login(ent_user)
    form = client.get(f"/repairs/new/?record={record.pk}")
    assert form.status_code == 200 and "需提交的材料" in text(form)
    response = client.post("/repairs/new/", {"record": record.pk, "statement": "罚款已缴清，已完成整改"})
    case = RepairCase.objects.get(record=record)
    assert response.status_code == 302 and response.url == f"/repairs/{case.pk}/"
    assert case.status == RepairStatus.DRAFT

    again = client.post("/repairs/new/", {"record": record.pk, "statement": "再次申请"}, follow=True)
    assert again.status_code == 200 and "已有正在办理的信用修复申请" in text(again)
    assert RepairCase.objects.filter(record=record).count() == 1

    early = make_record(dept_user, enterprise, decided=timezone.localdate() - dt.timedelta(days=10))
    refused = client.post("/repairs/new/", {"record": early.pk, "statement": "申请"})
    assert refused.status_code == 200 and "最短公示期尚未届满" in text(refused)
    assert not RepairCase.objects.filter(record=early).exists()


def test_a_subject_cannot_file_for_another_subjects_record(client, other_ent_user, repairable_record):
    record = repairable_record()
    assert page(client, other_ent_user, f"/repairs/new/?record={record.pk}").status_code == 404


# --------------------------------------------------------------------------- the case page: sign, upload, submit


def test_signing_requires_the_confirmation_and_records_the_ip(client, ent_user, repairable_record, walk):
    case = walk.filed(ent_user, repairable_record())
    client.force_login(ent_user)
    letter = client.get(f"/repairs/{case.pk}/sign/commitment_letter/")
    assert letter.status_code == 200
    assert "本人已阅读并确认承诺内容" in text(letter) and case.record.decision_no in text(letter)
    from creditrepair.rules.selectors import rule_set_by_code

    for commitment in rule_set_by_code(case.rule_set_code).commitments["commitment_letter"]:
        assert commitment in text(letter)

    unconfirmed = client.post(f"/repairs/{case.pk}/sign/commitment_letter/",
                              {"signatory_name": "张三", "signatory_title": "法定代表人"})
    assert unconfirmed.status_code == 200 and "请勾选" in text(unconfirmed)
    assert not case_documents(case).exists()
    nameless = client.post(f"/repairs/{case.pk}/sign/commitment_letter/",
                           {"signatory_name": "", "signatory_title": "法定代表人", "confirm": "1"})
    assert "请填写签署人姓名" in text(nameless)

    signed = client.post(f"/repairs/{case.pk}/sign/commitment_letter/",
                         {"signatory_name": "张三", "signatory_title": "法定代表人", "confirm": "1"},
                         REMOTE_ADDR="198.51.100.7")
    assert signed.status_code == 302
    assert case_documents(case).filter(kind="commitment_letter").count() == 1
    event = AuditEvent.objects.filter(action="repaircase.commitment_letter_signed").get()
    assert event.ip == "198.51.100.7"


def test_uploads_are_checked_and_submission_lists_everything_missing(client, ent_user, repairable_record, walk):
    case = walk.filed(ent_user, repairable_record())
    client.force_login(ent_user)
    detail = client.get(f"/repairs/{case.pk}/")
    assert detail.status_code == 200 and "一次性告知" in text(detail)
    assert 'id="form-upload"' in text(detail) and 'id="form-submit"' in text(detail)

    missing = client.post(f"/repairs/{case.pk}/act/submit/", follow=True)
    assert "请一次性补齐以下材料" in text(missing) and "信用承诺书" in text(missing)
    case.refresh_from_db()
    assert case.status == RepairStatus.DRAFT

    bad = client.post(f"/repairs/{case.pk}/act/upload_material/",
                      {"kind": "performance_proof", "file": pdf_upload("x.pdf", b"not a pdf at all", "application/pdf")},
                      follow=True)
    assert bad.status_code == 200 and 'class="msg-error"' in text(bad)
    assert not case.materials.exists()
    good = client.post(f"/repairs/{case.pk}/act/upload_material/",
                       {"kind": "performance_proof", "file": pdf_upload("proof.pdf")}, follow=True)
    assert "材料已上传" in text(good) and case.materials.count() == 1

    supply_materials(case, ent_user, skip=("performance_proof",))
    submitted = client.post(f"/repairs/{case.pk}/act/submit/", follow=True)
    assert "申请已提交" in text(submitted)
    case.refresh_from_db()
    assert case.status == RepairStatus.SUBMITTED


def test_the_subject_downloads_its_documents_and_materials_as_attachments(client, ent_user, other_ent_user,
                                                                           repairable_record, walk):
    case = walk.submitted(ent_user, repairable_record())
    document = case_documents(case).first()
    material = case.materials.first()
    client.force_login(ent_user)
    for url in (f"/repairs/{case.pk}/documents/{document.pk}/", f"/repairs/{case.pk}/materials/{material.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)
    client.force_login(other_ent_user)
    assert client.get(f"/repairs/{case.pk}/documents/{document.pk}/").status_code == 404
    assert client.get(f"/repairs/{case.pk}/materials/{material.pk}/").status_code == 404


def test_a_subject_cannot_see_another_subjects_case(client, ent_user, other_ent_user, repairable_record, walk):
    case = walk.filed(ent_user, repairable_record())
    assert page(client, other_ent_user, f"/repairs/{case.pk}/").status_code == 404
    client.force_login(other_ent_user)
    assert client.post(f"/repairs/{case.pk}/act/withdraw/").status_code == 404
    assert case.case_no not in text(client.get("/repairs/"))


def test_the_subject_withdraws_on_the_page(client, ent_user, repairable_record, walk):
    case = walk.submitted(ent_user, repairable_record())
    client.force_login(ent_user)
    assert case.case_no in text(client.get("/repairs/"))
    response = client.post(f"/repairs/{case.pk}/act/withdraw/", follow=True)
    assert "申请已撤回" in text(response)
    case.refresh_from_db()
    assert case.status == RepairStatus.WITHDRAWN


# --------------------------------------------------------------------------- staff


def test_the_operator_queue_is_intake_and_the_department_queue_its_own_review(
    client, ent_user, operator, dept_user, other_dept_user, repairable_record, walk
):
    submitted = walk.submitted(ent_user, repairable_record(decision_no="雅罚〔2026〕11号"))
    accepted = walk.accepted(ent_user, repairable_record(decision_no="雅罚〔2026〕12号"), operator)
    operator_queue = text(page(client, operator, "/staff/repairs/"))
    assert submitted.case_no in operator_queue and accepted.case_no not in operator_queue
    assert "已提交，待受理" in operator_queue  # the label, not the raw status
    department_queue = text(page(client, dept_user, "/staff/repairs/"))
    assert accepted.case_no in department_queue and submitted.case_no not in department_queue
    filtered = text(page(client, dept_user, "/staff/repairs/?status=submitted"))
    assert submitted.case_no in filtered and accepted.case_no not in filtered
    assert accepted.case_no not in text(page(client, other_dept_user, "/staff/repairs/?status=accepted"))


def test_overdue_deadlines_are_highlighted_in_the_queue(client, ent_user, operator, repairable_record, walk,
                                                        time_machine_days):
    case = walk.submitted(ent_user, repairable_record())
    fresh = text(page(client, operator, "/staff/repairs/"))
    assert case.case_no in fresh and "已超期" not in fresh
    with time_machine_days(60):
        body = text(page(client, operator, "/staff/repairs/"))
    assert case.case_no in body and "已超期" in body


def test_a_department_cannot_see_another_departments_case(client, ent_user, operator, other_dept_user,
                                                          repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    assert page(client, other_dept_user, f"/staff/repairs/{case.pk}/").status_code == 404
    assert client.post(f"/repairs/{case.pk}/act/approve/", {"reason": "同意"}).status_code == 404
    case.refresh_from_db()
    assert case.status == RepairStatus.ACCEPTED


def test_subjects_have_no_staff_pages(client, ent_user, repairable_record, walk):
    case = walk.filed(ent_user, repairable_record())
    assert page(client, ent_user, "/staff/repairs/").status_code == 404
    assert page(client, ent_user, f"/staff/repairs/{case.pk}/").status_code == 404


def test_the_operator_accepts_on_the_page_and_sees_no_approve_form(client, ent_user, operator, repairable_record,
                                                                  walk):
    case = walk.submitted(ent_user, repairable_record())
    detail = text(page(client, operator, f"/staff/repairs/{case.pk}/"))
    assert 'id="form-accept"' in detail and 'id="form-refuse"' in detail and 'id="form-approve"' not in detail
    assert "信用承诺书" in detail and f"/repairs/{case.pk}/materials/" in detail
    response = client.post(f"/repairs/{case.pk}/act/accept/", follow=True)
    assert "已受理" in text(response)
    case.refresh_from_db()
    assert case.status == RepairStatus.ACCEPTED
    detail = text(client.get(f"/staff/repairs/{case.pk}/"))
    assert 'id="form-approve"' not in detail and 'id="form-deny"' not in detail


def test_a_forged_approve_post_by_the_operator_is_refused_with_a_message(client, ent_user, operator,
                                                                        repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    client.force_login(operator)
    response = client.post(f"/repairs/{case.pk}/act/approve/", {"reason": "同意"}, follow=True)
    assert response.status_code == 200
    assert 'class="msg-error"' in text(response)
    case.refresh_from_db()
    assert case.status == RepairStatus.ACCEPTED and case.record.status == "published"


def test_the_department_approves_on_the_page_and_the_record_leaves_publication(client, ent_user, operator,
                                                                              dept_user, repairable_record, walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    detail = text(page(client, dept_user, f"/staff/repairs/{case.pk}/"))
    for form in ("form-interview", "form-extend", "form-approve", "form-deny"):
        assert f'id="{form}"' in detail
    assert 'id="form-accept"' not in detail
    empty = client.post(f"/repairs/{case.pk}/act/approve/", {"reason": ""}, follow=True)
    assert "请说明理由" in text(empty)
    extended = client.post(f"/repairs/{case.pk}/act/extend/", {"reason": "需补充核实"}, follow=True)
    assert "审核期限已延长" in text(extended) and 'id="form-extend"' not in text(extended)
    interview = client.post(f"/repairs/{case.pk}/act/record_interview/", {"held_on": "not a date", "notes": "x"},
                            follow=True)
    assert "请填写有效日期" in text(interview)
    approved = client.post(f"/repairs/{case.pk}/act/approve/", {"reason": "整改到位"}, follow=True)
    assert "已准予修复" in text(approved)
    case.refresh_from_db()
    case.record.refresh_from_db()
    assert case.status == RepairStatus.COMPLETED and case.record.status != "published"
    assert 'id="form-revoke"' in text(client.get(f"/staff/repairs/{case.pk}/"))


def test_court_staff_see_only_cases_on_their_own_records(client, ent_user, operator, court_staff, repairable_record,
                                                         walk):
    case = walk.accepted(ent_user, repairable_record(), operator)
    queue = page(client, court_staff, "/staff/repairs/?status=accepted")
    assert queue.status_code == 200 and case.case_no not in text(queue)
    assert client.get(f"/staff/repairs/{case.pk}/").status_code == 404


# --------------------------------------------------------------------------- navigation and login


@pytest.mark.parametrize("role, present, absent", [
    ("ent_user", ["/me/", "/repairs/", "/objections/"], ["/staff/repairs/", "/imports/", "/court/"]),
    ("operator", ["/staff/repairs/", "/staff/objections/"], ["/me/", "/imports/", "/court/"]),
    ("dept_user", ["/staff/repairs/", "/staff/objections/", "/imports/"], ["/me/", "/court/"]),
    ("court_staff", ["/imports/", "/court/"], ["/me/", "/staff/repairs/"]),
])
def test_the_navigation_shows_each_role_its_links(client, request, role, present, absent):
    body = text(page(client, request.getfixturevalue(role), "/"))
    nav = body[body.index('class="main-nav"'):body.index("</nav>")]
    for href in present:
        assert f'href="{href}"' in nav
    for href in absent:
        assert f'href="{href}"' not in nav


@pytest.mark.parametrize("role, target", [
    ("ent_user", "/me/"), ("operator", "/staff/repairs/"), ("dept_user", "/staff/repairs/"), ("court_staff", "/court/"),
])
def test_login_sends_each_role_to_its_start_page(client, request, role, target):
    from django.conf import settings

    user = request.getfixturevalue(role)
    user.set_password("pw-Secret-123")
    user.save()
    response = client.post("/login/", {"username": user.username, "password": "pw-Secret-123"}, follow=True)
    assert response.redirect_chain[-1][0] == target
    assert settings.LOGIN_REDIRECT_URL == "repairs:after-login"


def test_a_service_refusal_never_becomes_a_500(client, ent_user, repairable_record, walk):
    case = walk.filed(ent_user, repairable_record())
    services.repair_withdraw(ent_user, case)
    client.force_login(ent_user)
    response = client.post(f"/repairs/{case.pk}/act/submit/", follow=True)
    assert response.status_code == 200 and 'class="msg-error"' in text(response)
    assert client.post(f"/repairs/{case.pk}/act/nonsense/").status_code == 404


def test_a_yaan_case_page_offers_both_letters_training_and_the_department_interview(client, ent_user, yaan_user,
                                                                                  repairable_record):
    from dateutil.relativedelta import relativedelta

    serious = repairable_record(yaan_user, severity="serious", decided=timezone.localdate() - relativedelta(months=13))
    case = services.repair_file(ent_user, serious, "申请修复")
    body = text(page(client, ent_user, f"/repairs/{case.pk}/"))
    for marker in ('id="sign-commitment_letter"', 'id="sign-credit_keeping_commitment"', 'id="form-training"',
                   "约谈记录", "由认定单位约谈后记录", "整改方案"):
        assert marker in body
    keeping = client.get(f"/repairs/{case.pk}/sign/credit_keeping_commitment/")
    assert keeping.status_code == 200 and "守信承诺书" in text(keeping)
    client.post(f"/repairs/{case.pk}/sign/credit_keeping_commitment/",
                {"signatory_name": "张三", "signatory_title": "总经理", "confirm": "1"})
    assert case_documents(case).filter(kind="credit_keeping_commitment").exists()
    trained = client.post(f"/repairs/{case.pk}/act/record_training/",
                          {"certificate_no": "PX-2026-009", "completed_on": timezone.localdate().isoformat()},
                          follow=True)
    assert "培训情况已记录" in text(trained)
    case.refresh_from_db()
    assert case.training_certificate_no == "PX-2026-009"
