"""System checks: a missing CJK font or a missing Pango is an error, not a silent tofu PDF."""

from django.core import checks

from creditrepair.documents import checks as document_checks


def _documents_messages():
    return checks.run_checks(tags=["documents"])


def test_no_cjk_font_is_error_e001(monkeypatch):
    monkeypatch.setattr(document_checks, "cjk_font_families", lambda: [])
    messages = _documents_messages()
    (error,) = [m for m in messages if m.id == "documents.E001"]
    assert error.level == checks.ERROR
    assert "tofu" in error.msg
    assert "fonts-noto-cjk" in error.hint


def test_fontconfig_unavailable_is_error_e001(monkeypatch):
    monkeypatch.setattr(document_checks, "cjk_font_families", lambda: None)
    assert "documents.E001" in {m.id for m in _documents_messages()}


def test_another_cjk_font_than_noto_is_only_a_warning(monkeypatch):
    monkeypatch.setattr(document_checks, "cjk_font_families", lambda: ["WenQuanYi Zen Hei"])
    ids = {m.id for m in _documents_messages()}
    assert "documents.W001" in ids and "documents.E001" not in ids


def test_weasyprint_that_cannot_load_pango_is_error_e002(monkeypatch):
    monkeypatch.setattr(
        document_checks, "weasyprint_problem", lambda: "OSError: cannot load library 'libpango-1.0-0'"
    )
    (error,) = [m for m in _documents_messages() if m.id == "documents.E002"]
    assert error.level == checks.ERROR
    assert "libpango" in error.hint


def test_this_machine_passes_the_documents_checks():
    """The real probes: Noto CJK SC is installed and WeasyPrint loads."""
    assert "Noto Serif CJK SC" in document_checks.cjk_font_families()
    assert document_checks.weasyprint_problem() is None
    assert _documents_messages() == []
