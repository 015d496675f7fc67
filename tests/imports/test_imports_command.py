"""python manage.py import_records FILE --user USERNAME: summary and status 0, or every error and status 1."""

import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from creditrepair.records.models import Record
from tests.imports.conftest import csv_bytes, record_row, xlsx_bytes


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_file_and_prints_the_summary(dept_user, tmp_path):
    path = tmp_path / "records.xlsx"
    path.write_bytes(xlsx_bytes([record_row() for _ in range(3)]))
    out, _ = run(str(path), "--user", dept_user.username)
    assert "导入完成：共 3 行数据，新增 3 条记录，0 条已存在而跳过。" in out
    out, _ = run(str(path), "--user", dept_user.username)
    assert "新增 0 条记录，3 条已存在而跳过" in out
    assert Record.objects.count() == 3


def test_the_command_prints_every_error_and_exits_with_status_1(dept_user, tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(csv_bytes([record_row(), record_row(subject_code="91511800MA62XY3D05"), record_row(severity="x")]))
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_records", str(path), "--user", dept_user.username, stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert "发现 2 处错误，未导入任何记录" in str(raised.value)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("第 3 行  统一社会信用代码或身份证号（subject_code）：")
    assert lines[1].startswith("第 4 行  失信程度（severity）：")
    assert not Record.objects.exists()


def test_the_process_exit_status_is_1_on_errors_and_0_on_success(dept_user, tmp_path, capsys, monkeypatch):
    from django.db import connections

    # run_from_argv closes every connection when it ends, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([record_row(decision_date="yesterday")]))
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_records", str(bad), "--user", dept_user.username])
    assert exited.value.code == 1
    assert "第 2 行  决定日期（decision_date）" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([record_row()]))
    execute_from_command_line(["manage.py", "import_records", str(good), "--user", dept_user.username])
    assert "新增 1 条记录" in capsys.readouterr().out


def test_the_command_refuses_an_unknown_user_or_file_and_a_user_who_may_not_import(ent_user, tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(csv_bytes([record_row()]))
    for args, message in (
        ((str(path), "--user", "nobody"), "用户不存在"),
        ((str(tmp_path / "missing.csv"), "--user", ent_user.username), "文件不存在"),
        ((str(path), "--user", ent_user.username), "只有认定单位或法院"),
    ):
        with pytest.raises(CommandError, match=message) as raised:
            run(*args)
        assert raised.value.returncode == 1
