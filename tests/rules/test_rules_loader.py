"""Loading the rule files into the database: on migrate, by command, idempotent, all or nothing."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal

from creditrepair.rules.loader import load_rules
from creditrepair.rules.models import RuleSet
from creditrepair.rules.schema import Rules, RuleSetInvalid

from tests.rules.conftest import edit

pytestmark = pytest.mark.django_db

SHIPPED = {"national-2019", "national-2023", "national-2026", "yaan-local"}


def test_a_migrated_database_has_every_shipped_rule_set(settings):
    rows = {row.code: row for row in RuleSet.objects.all()}
    assert set(rows) == SHIPPED
    national = rows["national-2026"]
    raw = (Path(settings.RULES_DIR) / "national-2026.toml").read_bytes()
    assert national.sha256 == hashlib.sha256(raw).hexdigest()
    assert national.source_file == "national-2026.toml"
    assert (national.jurisdiction, str(national.effective_from), national.effective_to) == ("000000", "2026-04-01", None)
    assert rows["yaan-local"].jurisdiction == "511800"
    assert str(rows["national-2023"].effective_to) == "2026-03-31"


def test_post_migrate_loads_the_rules_into_an_empty_table():
    RuleSet.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert set(RuleSet.objects.values_list("code", flat=True)) == SHIPPED


def test_the_stored_document_reads_back_as_the_same_rules(settings):
    from creditrepair.rules.loader import read_rule_file

    for path in sorted(Path(settings.RULES_DIR).glob("*.toml")):
        from_file = read_rule_file(path).rules
        stored = RuleSet.objects.get(code=from_file.code).data
        assert Rules.from_document(stored, "db") == from_file


def test_loading_twice_changes_nothing(settings):
    before = {r.code: r.loaded_at for r in RuleSet.objects.all()}
    report = load_rules(settings.RULES_DIR)
    assert report.created == report.updated == report.stale == []
    assert sorted(report.unchanged) == sorted(SHIPPED)
    assert {r.code: r.loaded_at for r in RuleSet.objects.all()} == before


def test_a_changed_file_updates_only_its_rule_set(rules_dir, shipped_text, settings):
    files = {f"{stem}.toml": shipped_text(stem) for stem in SHIPPED}
    files["yaan-local.toml"] = edit(files["yaan-local.toml"], "min_months_since_last_repair = 12", "min_months_since_last_repair = 18")
    before = {r.code: r.loaded_at for r in RuleSet.objects.all()}
    report = load_rules(rules_dir(files))
    assert report.updated == ["yaan-local"]
    assert sorted(report.unchanged) == sorted(SHIPPED - {"yaan-local"})
    row = RuleSet.objects.get(code="yaan-local")
    assert row.data["refusals"]["min_months_since_last_repair"] == 18
    assert row.loaded_at > before["yaan-local"]
    assert RuleSet.objects.get(code="national-2026").loaded_at == before["national-2026"]


def test_one_bad_file_leaves_the_database_as_it_was(rules_dir, shipped_text):
    good = edit(shipped_text("national-2026"), "repair_intake = { days = 3 }", "repair_intake = { days = 5 }")
    bad = edit(shipped_text("yaan-local"), "mask_id = true", "mask_id = 1")
    with pytest.raises(RuleSetInvalid, match="yaan-local.toml: privacy.mask_id: must be true or false"):
        load_rules(rules_dir({"national-2026.toml": good, "yaan-local.toml": bad}))
    assert RuleSet.objects.get(code="national-2026").data["limits"]["repair_intake"]["days"] == 3


def test_load_rules_command_reports_what_changed(rules_dir, shipped_text):
    files = {f"{stem}.toml": shipped_text(stem) for stem in SHIPPED}
    files["national-2026.toml"] = edit(files["national-2026.toml"], "partner_ack = { days = 3 }", "partner_ack = { days = 4 }")
    files["extra.toml"] = edit(
        edit(shipped_text("national-2026"), 'code = "national-2026"', 'code = "beijing-test"'),
        'jurisdiction = "000000" ',
        'jurisdiction = "110000" ',
    )
    out = io.StringIO()
    call_command("load_rules", "--dir", str(rules_dir(files)), stdout=out)
    text = out.getvalue()
    assert "created: beijing-test" in text
    assert "updated: national-2026" in text
    assert "1 created, 1 updated, 3 unchanged." in text

    out = io.StringIO()
    call_command("load_rules", "--dir", str(rules_dir(files)), stdout=out)
    assert out.getvalue().strip().endswith("0 created, 0 updated, 5 unchanged.")


def test_load_rules_command_reports_and_prunes_rule_sets_without_a_file(rules_dir, shipped_text):
    files = {f"{stem}.toml": shipped_text(stem) for stem in SHIPPED - {"yaan-local"}}
    out = io.StringIO()
    call_command("load_rules", "--dir", str(rules_dir(files)), stdout=out)
    assert "no longer in a file (use --prune to delete): yaan-local" in out.getvalue()
    assert RuleSet.objects.filter(code="yaan-local").exists()
    call_command("load_rules", "--dir", str(rules_dir(files)), "--prune", stdout=io.StringIO())
    assert not RuleSet.objects.filter(code="yaan-local").exists()


def test_load_rules_command_fails_clearly_on_a_bad_file(rules_dir, shipped_text):
    bad = edit(shipped_text("national-2026"), "repair_review = { days = 3 }", 'repair_review = { days = "3" }')
    with pytest.raises(CommandError, match="national-2026.toml: limits.repair_review.days: must be an integer ≥ 0"):
        call_command("load_rules", "--dir", str(rules_dir({"national-2026.toml": bad})), stdout=io.StringIO())
