"""Materials: what each rule set requires, the one-time notice of what is missing, and upload checks."""

import datetime as dt
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from creditrepair.core.errors import Conflict, FileRejected, FileTooLarge, InvalidInput, InvalidTransition
from creditrepair.core.uploads import safe_filename, validate_upload
from creditrepair.records.services import record_obligations_fulfilled
from creditrepair.repairs import services
from creditrepair.repairs.models import RepairKind, RepairStatus
from creditrepair.repairs.selectors import materials_present

from tests.repairs.repairs_support import PDF_BYTES, pdf_upload, png_bytes, supply_materials


def test_submitting_with_materials_missing_lists_exactly_what_is_missing(repairable_record, ent_user):
    case = services.repair_file(ent_user, repairable_record(severity="serious",
                                                            decided=timezone.localdate() - relativedelta(months=13)),
                                "申请修复")
    assert case.required_materials == ["performance_proof", "rectification_report", "commitment_letter"]
    services.repair_upload_material(ent_user, case, "rectification_report", pdf_upload())
    with pytest.raises(Conflict) as refused:
        services.repair_submit(ent_user, case)
    assert refused.value.code == "materials_missing"
    assert refused.value.details["missing"] == ["performance_proof", "commitment_letter"]
    assert refused.value.details["labels"] == ["履行义务证明", "信用承诺书"]
    case.refresh_from_db()
    assert case.status == RepairStatus.DRAFT and case.history.count() == 1


def test_a_yaan_case_requires_interview_training_plan_and_both_commitment_letters(repairable_record, yaan_user,
                                                                                   ent_user, operator):
    """Yaan's local exit practice for blacklisted subjects applies to serious records."""
    serious = repairable_record(yaan_user, severity="serious", decided=timezone.localdate() - relativedelta(months=13))
    case = services.repair_file(ent_user, serious, "申请修复")
    assert case.rule_set_code == "yaan-local"
    assert set(case.required_materials) >= {"interview_record", "training_certificate", "rectification_plan",
                                            "commitment_letter", "credit_keeping_commitment"}
    with pytest.raises(Conflict) as refused:
        services.repair_submit(ent_user, case)
    # The interview is the department's step: not asked of the applicant at submission.
    assert refused.value.details["missing"] == [
        "performance_proof", "rectification_report", "rectification_plan", "commitment_letter",
        "credit_keeping_commitment", "training_certificate",
    ]
    supply_materials(case, ent_user)
    case = services.repair_accept(operator, services.repair_submit(ent_user, case))
    with pytest.raises(Conflict) as no_interview:
        services.repair_approve(yaan_user, case, "同意")
    assert no_interview.value.code == "materials_missing"
    assert no_interview.value.details["missing"] == ["interview_record"]
    services.repair_record_interview(yaan_user, case, timezone.localdate(), "约谈企业负责人，已认识错误")
    assert services.repair_approve(yaan_user, case, "同意").status == RepairStatus.COMPLETED


def test_a_general_yaan_case_asks_only_what_the_national_rules_ask(repairable_record, yaan_user, ent_user):
    case = services.repair_file(ent_user, repairable_record(yaan_user), "申请修复")
    assert case.rule_set_code == "yaan-local"
    assert case.required_materials == ["performance_proof", "commitment_letter"]


def test_a_national_2026_case_requires_only_proof_and_the_commitment_letter(repairable_record, ent_user):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    assert case.rule_set_code == "national-2026"
    assert case.required_materials == ["performance_proof", "commitment_letter"]
    for kind in ("interview_record", "training_certificate", "rectification_plan", "credit_keeping_commitment"):
        assert kind not in case.required_materials


def test_a_case_filed_under_the_2019_rules_needs_training_and_a_credit_report_for_a_serious_record(
        make_record, dept_user, ent_user, enterprise, at_date):
    with at_date(dt.date(2021, 6, 1)):
        record = make_record(dept_user, enterprise, severity="serious", decided=dt.date(2020, 6, 1))
        record_obligations_fulfilled(record, actor=dept_user, fulfilled_on=dt.date(2020, 7, 1), evidence="缴款书")
        assert record.rule_set_code == "national-2019" and record.min_until == dt.date(2020, 12, 1)
        case = services.repair_file(ent_user, record, "申请修复")
        assert case.rule_set_code == "national-2019"
        assert "training_certificate" in case.required_materials and "credit_report" in case.required_materials
        with pytest.raises(Conflict) as refused:
            services.repair_submit(ent_user, case)
        assert refused.value.details["missing"] == [
            "performance_proof", "rectification_report", "credit_report", "commitment_letter", "training_certificate",
        ]


def test_required_materials_are_frozen_at_filing(repairable_record, ent_user, local_rule_set):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    before = list(case.required_materials)

    def more(document):
        document["materials"]["repair"]["general"] = ["performance_proof", "commitment_letter", "credit_report"]

    local_rule_set("510000", more, code="test-sichuan")
    case.refresh_from_db()
    assert case.required_materials == before


def test_a_serious_list_entry_is_filed_as_a_list_exit_with_the_list_materials(repairable_record, ent_user):
    record = repairable_record(category="serious_list", severity="serious",
                               decided=timezone.localdate() - relativedelta(months=13))
    case = services.repair_file(ent_user, record, "申请移出名单")
    assert case.kind == RepairKind.LIST_EXIT
    assert case.required_materials == ["performance_proof", "rectification_report", "credit_report",
                                       "commitment_letter"]
    with pytest.raises(InvalidInput):
        services.repair_file(ent_user, repairable_record(), "申请", kind=RepairKind.LIST_EXIT)


def test_materials_present_combines_uploads_signed_letters_and_recorded_training(repairable_record, ent_user):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    services.repair_upload_material(ent_user, case, "performance_proof", pdf_upload())
    services.repair_sign_commitment(ent_user, case, "张三", "法定代表人")
    services.repair_record_training(ent_user, case, "PX-1", timezone.localdate())
    assert materials_present(case) == ["performance_proof", "commitment_letter", "training_certificate"]


def test_materials_cannot_be_added_after_submission(repairable_record, ent_user):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    supply_materials(case, ent_user)
    services.repair_submit(ent_user, case)
    with pytest.raises(InvalidTransition):
        services.repair_upload_material(ent_user, case, "performance_proof", pdf_upload())


def test_an_uploaded_material_is_stored_under_the_case_number_with_a_sanitised_name(repairable_record, ent_user,
                                                                                    settings):
    case = services.repair_file(ent_user, repairable_record(), "申请修复")
    material = services.repair_upload_material(ent_user, case, "performance_proof",
                                               pdf_upload("../../etc/缴款书<script>.pdf"))
    assert material.file.name == f"materials/{case.case_no}/{material.id}.pdf"
    assert material.original_name == "缴款书_script_.pdf"
    assert material.content_type == "application/pdf" and material.size == len(PDF_BYTES)
    assert str(settings.MEDIA_ROOT) in material.file.path


# --------------------------------------------------------------------------- upload validation (core.uploads)


def test_pdf_jpeg_and_png_are_recognised_by_their_content_not_their_name():
    assert validate_upload(pdf_upload("x.png")) == ("application/pdf", "pdf")
    assert validate_upload(pdf_upload("x.pdf", png_bytes(), "application/pdf")) == ("image/png", "png")
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="JPEG")  # a real image: it must decode
    jpeg = buffer.getvalue()
    assert validate_upload(pdf_upload("x.bin", jpeg, "application/octet-stream")) == ("image/jpeg", "jpg")


@pytest.mark.parametrize("data", [
    b"<html><body>hi</body></html>",
    b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
    b"PK\x03\x04zipfile",
    b"%PDF-1.4\n<html><script>alert(1)</script>",
    b"GIF89a....",
    b"",
])
def test_html_svg_zip_other_types_and_empty_files_are_refused(data):
    with pytest.raises(FileRejected) as refused:
        validate_upload(pdf_upload("x.pdf", data))
    assert refused.value.code == "file_type" and refused.value.status == 415


def test_an_image_that_is_also_a_zip_archive_is_refused():
    polyglot = png_bytes() + b"PK\x03\x04payload" + b"PK\x05\x06" + b"\x00" * 18
    with pytest.raises(FileRejected):
        validate_upload(pdf_upload("x.png", polyglot, "image/png"))


def test_a_file_over_the_size_cap_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(FileTooLarge) as refused:
        validate_upload(pdf_upload("x.pdf", PDF_BYTES + b" " * 200))
    assert refused.value.code == "file_too_large" and refused.value.status == 413


def test_safe_filename_drops_paths_and_odd_characters():
    assert safe_filename("C:\\Users\\a\\报告 (1).pdf") == "报告_1_.pdf"
    assert safe_filename("") == "file"
