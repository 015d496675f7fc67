"""The signed commitment letter and the decision notice of a real case, read back from the PDF."""

import io
import re

from pypdf import PdfReader

from creditrepair.documents.services import verification_url, verify_document
from creditrepair.repairs import services
from creditrepair.rules.selectors import rule_set_by_code

from tests.documents.documents_support import run_tool, squeeze


def _text_of(document, tmp_path):
    path = tmp_path / f"{document.kind}.pdf"
    with document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path, squeeze(run_tool("pdftotext", "-layout", str(path), "-"))


def test_the_signed_commitment_letter_states_subject_case_record_commitments_and_signing(
        real_pdf, ent_user, enterprise, repairable_record, tmp_path):
    record = repairable_record()
    case = services.repair_file(ent_user, record, "已缴纳罚款")
    document = services.repair_sign_commitment(ent_user, case, "张三", "法定代表人", ip="203.0.113.77")
    path, text = _text_of(document, tmp_path)
    assert "信用承诺书" in text
    assert squeeze(enterprise.name) in text and enterprise.code in text
    assert case.case_no in text and record.decision_no in text
    for commitment in rule_set_by_code(case.rule_set_code).commitments["commitment_letter"]:
        assert squeeze(commitment) in text
    assert "张三" in text and "法定代表人" in text
    assert "203.0.113.77" in text and ent_user.get_username() in text
    # pypdf reads the same text
    pypdf_text = squeeze("".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages))
    assert case.case_no in pypdf_text and squeeze(enterprise.name) in pypdf_text

    fonts = [line.split() for line in run_tool("pdffonts", str(path)).splitlines()[2:]]
    cjk = [f for f in fonts if re.search(r"Noto.*CJK", f[0])]
    assert cjk and all(f[-5] == "yes" for f in cjk)

    result = verify_document(document.pk)
    assert result.valid and result.signature_ok and result.hash_ok and result.case_no == case.case_no


def test_the_credit_keeping_commitment_uses_its_own_commitments(real_pdf, ent_user, repairable_record, tmp_path):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    document = services.repair_sign_commitment(ent_user, case, "张三", "法定代表人",
                                               kind="credit_keeping_commitment")
    _, text = _text_of(document, tmp_path)
    assert "守信承诺书" in text
    for commitment in rule_set_by_code(case.rule_set_code).commitments["credit_keeping_commitment"]:
        assert squeeze(commitment) in text


def test_the_decision_notice_carries_the_case_number_and_a_qr_code_to_its_verification_page(
        real_pdf, ent_user, operator, dept_user, repairable_record, walk, tmp_path):
    case = walk.completed(ent_user, repairable_record(), operator, dept_user)
    from creditrepair.repairs.selectors import case_documents

    notice = case_documents(case).get(kind="decision_notice")
    path, text = _text_of(notice, tmp_path)
    assert "信用修复决定书" in text and case.case_no in text and "予以信用修复" in text
    run_tool("pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(path), str(tmp_path / "page"))
    (png,) = tmp_path.glob("page*.png")
    decoded = run_tool("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)).strip()
    assert decoded == verification_url(notice.pk)
    assert verify_document(notice.pk).valid


def test_the_acceptance_refusal_and_training_documents_render_their_case_data(
        real_pdf, ent_user, operator, repairable_record, walk, committed, tmp_path):
    from django.utils import timezone

    from creditrepair.repairs.selectors import case_documents

    accepted = walk.accepted(ent_user, repairable_record(), operator)
    _, text = _text_of(case_documents(accepted).get(kind="acceptance_notice"), tmp_path)
    assert "受理通知书" in text and accepted.case_no in text and squeeze(accepted.record.department.name) in text

    refused = walk.submitted(ent_user, repairable_record())
    committed(services.repair_refuse, operator, refused, "申请材料与失信信息不对应")
    _, text = _text_of(case_documents(refused).get(kind="refusal_notice"), tmp_path)
    assert "不予受理" in text and refused.case_no in text and "申请材料与失信信息不对应" in text

    trained = services.repair_file(ent_user, repairable_record(), "申请修复")
    committed(services.repair_record_training, ent_user, trained, "PX-2026-4242", timezone.localdate())
    _, text = _text_of(case_documents(trained).get(kind="training_certificate"), tmp_path)
    assert "PX-2026-4242" in text and trained.subject.code in text
