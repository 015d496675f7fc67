"""The import of a file is all or nothing, reports every bad row, and is idempotent."""

import datetime as dt

import pytest

from creditrepair.audit.models import AuditEvent
from creditrepair.core.errors import Conflict, PermissionDenied
from creditrepair.imports import services
from creditrepair.imports.services import import_records, import_validate
from creditrepair.records.models import PublicationHistory, Record
from tests import factories
from tests.imports.conftest import court_row, csv_bytes, errors_at, record_row, xlsx_bytes

BAD_USCC = "91511800MA62XY3D05"  # the template's example code with a wrong check digit


def test_a_valid_file_imports_every_row_with_history_and_audit(dept_user):
    rows = [record_row() for _ in range(3)]
    report = import_records(dept_user, csv_bytes(rows))
    assert report.ok and (report.created, report.skipped_existing, report.total_rows) == (3, 0, 3)
    records = Record.objects.filter(department=dept_user.department).order_by("id")
    assert [r.decision_no for r in records] == [r["decision_no"] for r in rows]
    for record, row in zip(records, rows, strict=True):
        assert record.subject.code == row["subject_code"] and record.subject.name == row["subject_name"]
        assert (record.category, record.severity, record.status) == ("admin_penalty", "general", "published")
        assert record.created_by == dept_user
        assert record.history.get().reason == "created"
        assert AuditEvent.objects.filter(action="record.created", target_id=str(record.pk)).exists()
    assert AuditEvent.objects.filter(action="records.imported", data__created=3).count() == 1


def test_one_bad_checksum_imports_nothing_and_reports_exactly_that_row_and_field(dept_user):
    rows = [record_row(), record_row(subject_code=BAD_USCC), record_row()]
    report = import_records(dept_user, csv_bytes(rows))
    assert errors_at(report) == [(3, "subject_code")]  # header = row 1, so the second data row is row 3
    assert "校验不通过" in report.errors[0]["message"]
    assert (report.created, report.skipped_existing) == (0, 0)
    assert not Record.objects.exists() and not PublicationHistory.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(dept_user):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    rows = [
        record_row(),                                         # row 2: fine
        record_row(subject_code=BAD_USCC),                    # row 3
        record_row(decision_date="2026/03/02"),               # row 4
        record_row(category="罚款"),                           # row 5
        record_row(severity="很严重"),                          # row 6
        record_row(summary=""),                               # row 7
        record_row(decision_date=future),                     # row 8
        record_row(decision_no="雅市监罚〔2026〕重1号"),          # row 9
        record_row(decision_no="雅市监罚〔2026〕重1号"),          # row 10: repeats row 9
        record_row(jurisdiction="5118"),                      # row 11
        record_row(subject_type="公司", summary="  "),         # row 12: two errors in one row
    ]
    errors = import_validate(dept_user, rows)
    assert errors_at(errors) == [
        (3, "subject_code"), (4, "decision_date"), (5, "category"), (6, "severity"), (7, "summary"),
        (8, "decision_date"), (10, "decision_no"), (11, "jurisdiction"), (12, "subject_type"), (12, "summary"),
    ]
    assert "第 9 行" in errors[6]["message"]
    report = import_records(dept_user, csv_bytes(rows))
    assert errors_at(report) == errors_at(errors)
    assert not Record.objects.exists()


def test_reimporting_the_same_file_creates_no_duplicates(dept_user):
    data = csv_bytes([record_row() for _ in range(4)])
    first = import_records(dept_user, data)
    again = import_records(dept_user, data)
    assert (first.created, first.skipped_existing) == (4, 0)
    assert again.ok and (again.created, again.skipped_existing) == (0, 4)
    assert Record.objects.count() == 4 and PublicationHistory.objects.count() == 4


def test_a_file_extended_with_new_rows_imports_only_the_new_ones(dept_user):
    rows = [record_row() for _ in range(2)]
    import_records(dept_user, csv_bytes(rows))
    report = import_records(dept_user, xlsx_bytes(rows + [record_row()]))
    assert (report.created, report.skipped_existing) == (1, 2)


def test_a_decision_number_already_held_with_different_content_is_an_error(dept_user, make_record):
    existing = make_record(dept_user, decision_no="雅市监罚〔2026〕已1号")
    row = record_row(subject_code=existing.subject.code, subject_name=existing.subject.name,
                     decision_no="雅市监罚〔2026〕已1号", decision_date=existing.decision_date.isoformat(),
                     summary="另一件事", legal_basis=existing.legal_basis, obligations="")
    errors = import_validate(dept_user, [record_row(), row])
    assert errors_at(errors) == [(3, "summary")]
    assert "另一件事" not in errors[0]["message"] and existing.summary in errors[0]["message"]
    same = {**row, "summary": existing.summary}
    assert import_validate(dept_user, [same]) == []
    assert Record.objects.count() == 1


def test_another_departments_decision_number_is_not_a_duplicate(dept_user, other_dept_user):
    row = record_row()
    assert import_records(other_dept_user, csv_bytes([row])).created == 1
    assert import_records(dept_user, csv_bytes([row])).created == 1


@pytest.mark.parametrize(
    "make_file",
    [
        pytest.param(lambda rows: csv_bytes(rows, encoding="utf-8-sig"), id="csv-utf8-bom"),
        pytest.param(lambda rows: csv_bytes(rows, encoding="utf-8"), id="csv-utf8"),
        pytest.param(lambda rows: csv_bytes(rows, encoding="gb18030"), id="csv-gb18030"),
        pytest.param(lambda rows: xlsx_bytes(rows), id="xlsx-text-cells"),
        pytest.param(lambda rows: xlsx_bytes(rows, dates_as_cells=True), id="xlsx-date-cells"),
    ],
)
def test_csv_in_utf8_or_gb18030_and_xlsx_all_import(dept_user, make_file):
    rows = [record_row(subject_name="雅安市雨城区蒙顶山茶叶有限公司", summary="虚假宣传“有机”茶叶"), record_row()]
    report = import_records(dept_user, make_file(rows))
    assert report.ok, report.errors
    record = Record.objects.get(decision_no=rows[0]["decision_no"])
    assert record.subject.name == "雅安市雨城区蒙顶山茶叶有限公司" and record.summary == "虚假宣传“有机”茶叶"
    assert record.decision_date.isoformat() == rows[0]["decision_date"]


@pytest.mark.parametrize("style", ["key", "label", "bilingual"])
def test_headers_may_be_machine_keys_chinese_labels_or_both(dept_user, style):
    assert import_records(dept_user, csv_bytes([record_row()], style=style)).created == 1


def test_choice_values_may_be_machine_values(dept_user):
    row = record_row(subject_type="legal_person", category="abnormal_list", severity="serious")
    assert import_records(dept_user, csv_bytes([row])).created == 1
    assert Record.objects.get().category == "abnormal_list"


def test_a_missing_required_column_and_an_unknown_column_are_reported_on_row_one(dept_user):
    data = "统一社会信用代码,主体名称,主体类型,备注\n".encode() + f"{factories.valid_uscc()},某公司,法人,x\n".encode()
    report = import_records(dept_user, data)
    at = errors_at(report)
    assert (1, "备注") in at and (1, "decision_no") in at and (1, "summary") in at
    assert all(row == 1 for row, _ in at)  # the rows are not blamed for the missing columns
    assert not Record.objects.exists()


def test_a_department_cannot_import_court_listings(dept_user):
    errors = import_validate(dept_user, [record_row(), court_row()])
    assert errors_at(errors) == [(3, "category")]
    assert "只能由法院" in errors[0]["message"]


def test_a_court_imports_its_listings_with_a_grace_period_but_no_administrative_penalties(court_user):
    today = dt.date.today()
    listing = court_row(grace_until=(today + dt.timedelta(days=30)).isoformat(),
                        decision_date=(today - dt.timedelta(days=5)).isoformat())
    assert errors_at(import_validate(court_user, [listing, record_row()])) == [(3, "category")]
    report = import_records(court_user, xlsx_bytes([listing]))
    assert report.created == 1
    record = Record.objects.get()
    assert (record.category, record.status, record.grace_until.isoformat()) == (
        "court_debtor", "not_published", listing["grace_until"])


def test_only_courts_set_a_grace_period(dept_user):
    errors = import_validate(dept_user, [record_row(grace_until=dt.date.today().isoformat())])
    assert errors_at(errors) == [(2, "grace_until")]


def test_subject_users_cannot_import(ent_user):
    with pytest.raises(PermissionDenied):
        import_records(ent_user, csv_bytes([record_row()]))


def test_a_code_registered_with_another_subject_type_is_an_error(dept_user):
    enterprise = factories.SubjectFactory()
    errors = import_validate(dept_user, [record_row(subject_code=enterprise.code, subject_type="其他组织")])
    assert errors_at(errors) == [(2, "subject_type")]


def test_a_long_number_mangled_by_excel_is_refused(dept_user):
    row = record_row(subject_type="自然人", subject_name="李某")
    errors = import_validate(dept_user, [{**row, "subject_code": 5.131011985031201e17}])
    assert errors_at(errors) == [(2, "subject_code")] and "文本" in errors[0]["message"]


def test_sectors_are_those_of_the_rule_sets(dept_user):
    assert import_validate(dept_user, [record_row(sector="Food")]) == []
    errors = import_validate(dept_user, [record_row(sector="食品")])
    assert errors_at(errors) == [(2, "sector")] and "food" in errors[0]["message"]


def test_a_food_sector_record_gets_the_sector_window(dept_user):
    decided = "2025-06-10"  # national 2023 rules: food sector minimum 1 year
    import_records(dept_user, csv_bytes([record_row(sector="food", decision_date=decided)]))
    record = Record.objects.get()
    assert record.sector == "food" and record.rule_set_code == "national-2023"
    assert record.min_until == dt.date(2026, 6, 10)


def test_a_record_entered_while_the_file_was_validated_aborts_the_import(dept_user, make_record):
    rows = [record_row() for _ in range(3)]

    def progress(stage, done, total):
        if stage == services.VALIDATING and done == total:
            make_record(dept_user, decision_no=rows[1]["decision_no"], summary="同时录入的另一条")

    report = import_records(dept_user, csv_bytes(rows), progress=progress)
    assert errors_at(report)[0][0] == 3 and report.created == 0
    assert list(Record.objects.values_list("summary", flat=True)) == ["同时录入的另一条"]


def test_a_failure_half_way_rolls_back_the_whole_file(dept_user, monkeypatch):
    real = services.record_create
    calls = []

    def failing_on_the_third(**kwargs):
        calls.append(kwargs["decision_no"])
        if len(calls) == 3:
            raise Conflict("重复", code="duplicate_case")
        return real(**kwargs)

    monkeypatch.setattr(services, "record_create", failing_on_the_third)
    report = import_records(dept_user, csv_bytes([record_row() for _ in range(4)]))
    assert errors_at(report) == [(4, "decision_no")] and report.created == 0
    assert not Record.objects.exists() and not PublicationHistory.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["record.created", "records.imported"]).exists()


def test_progress_is_reported_for_every_row_of_both_stages(dept_user):
    seen = []
    import_records(dept_user, csv_bytes([record_row() for _ in range(3)]), progress=lambda *a: seen.append(a))
    assert seen == [("validating", 1, 3), ("validating", 2, 3), ("validating", 3, 3),
                    ("importing", 1, 3), ("importing", 2, 3), ("importing", 3, 3)]


def test_blank_rows_are_skipped_and_keep_their_numbers(dept_user):
    data = csv_bytes([record_row()]) + b",,,,,,,,,,,,\r\n" + csv_bytes([record_row(severity="x")]).split(b"\r\n", 1)[1]
    report = import_records(dept_user, data)
    assert errors_at(report) == [(4, "severity")] and report.total_rows == 2


def test_a_file_that_is_neither_csv_nor_xlsx_is_reported(dept_user):
    report = import_records(dept_user, b"%PDF-1.7\x00\x00binary")
    assert errors_at(report) == [(None, "file")]
    report = import_records(dept_user, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert ".xls" in report.errors[0]["message"]


def test_the_committed_templates_are_what_make_template_writes_and_import_cleanly(dept_user, tmp_path):
    import importlib.util

    from django.conf import settings
    from openpyxl import load_workbook

    folder = settings.BASE_DIR / "fixtures" / "import"
    spec = importlib.util.spec_from_file_location("make_template", folder / "make_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_csv(tmp_path / "t.csv")
    module.write_xlsx(tmp_path / "t.xlsx")
    assert (tmp_path / "t.csv").read_bytes() == (folder / "records-template.csv").read_bytes()

    def cells(path):
        workbook = load_workbook(path, read_only=True)
        try:
            return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}
        finally:
            workbook.close()

    assert cells(tmp_path / "t.xlsx") == cells(folder / "records-template.xlsx")
    assert (folder / "records-template.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    for name in ("records-template.csv", "records-template.xlsx"):
        report = import_records(dept_user, folder / name)
        assert report.ok, report.errors
    assert Record.objects.count() == 1  # the second template is the same example: skipped
