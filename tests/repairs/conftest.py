"""Fixtures for the repair tests: an operator department, fast PDFs, and helpers that walk a case."""

import pytest
from django.test import override_settings
from django.utils import timezone

from creditrepair.repairs import services

from tests import factories
from tests.repairs.repairs_support import old_enough, supply_materials


@pytest.fixture(scope="session", autouse=True)
def repairs_signing_folder(tmp_path_factory):
    """A private folder for the demo signing certificate (never the repository's var/)."""
    folder = tmp_path_factory.mktemp("repairs-signing")
    with override_settings(DOCUMENT_SIGNING_DIR=str(folder)):
        yield folder


@pytest.fixture(scope="session")
def _rendered_once():
    """One real WeasyPrint render, reused by tests that are not about the PDF's content."""
    import uuid

    from creditrepair.documents.models import DocumentKind
    from creditrepair.documents.samples import SAMPLE_CONTEXTS, TEMPLATES
    from creditrepair.documents.services import render_pdf, template_header

    kind = DocumentKind.ACCEPTANCE_NOTICE
    header = template_header(document_id=uuid.uuid4(), kind=kind, title=str(kind.label), case_no="XF-2026-000000",
                             subject_code=SAMPLE_CONTEXTS[kind]["subject"]["code"], issued_at=timezone.now())
    return render_pdf(TEMPLATES[kind], {**SAMPLE_CONTEXTS[kind], "doc": header})


@pytest.fixture(autouse=True)
def fast_pdf(request, monkeypatch, _rendered_once):
    """Skip re-rendering (≈1 s a document) unless the test asks for ``real_pdf``; signing stays real."""
    if "real_pdf" in request.fixturenames:
        return
    from creditrepair.documents import services as documents

    monkeypatch.setattr(documents, "render_pdf", lambda template_name, context: _rendered_once)


@pytest.fixture
def real_pdf():
    """Render documents for real (the PDF tests read their text back)."""
    return True


@pytest.fixture(autouse=True)
def platform_operator(operator):
    """The platform operator: its department is responsible for intake deadlines."""
    return operator


@pytest.fixture
def yaan_department(db):
    return factories.DepartmentFactory(name="雅安市市场监督管理局（雅安规则）", jurisdiction="511800")


@pytest.fixture
def yaan_user(yaan_department):
    return factories.department_user(yaan_department)



@pytest.fixture
def repairable_record(make_record, dept_user, enterprise):
    """A general penalty of ``enterprise`` five months old, obligations confirmed: repairable today (national rules)."""

    def make(actor=None, subject=None, **extra):
        actor = actor or dept_user
        record = make_record(actor, subject or enterprise, decided=extra.pop("decided", old_enough()), **extra)
        if record.obligations:
            from creditrepair.records.services import record_obligations_fulfilled

            record = record_obligations_fulfilled(record, actor=actor, fulfilled_on=record.decision_date,
                                                  evidence="罚款已缴纳")
        return record

    return make


@pytest.fixture
def walk(committed):
    """Helpers that drive a case along the flow through the services (after-commit work included)."""

    class Walk:
        @staticmethod
        def filed(subject_user, record, statement="已全额缴纳罚款并完成整改"):
            return services.repair_file(subject_user, record, statement)

        @staticmethod
        def submitted(subject_user, record):
            case = services.repair_file(subject_user, record, "已全额缴纳罚款并完成整改")
            supply_materials(case, subject_user)
            return committed(services.repair_submit, subject_user, case)

        @classmethod
        def accepted(cls, subject_user, record, operator):
            return committed(services.repair_accept, operator, cls.submitted(subject_user, record))

        @classmethod
        def completed(cls, subject_user, record, operator, department_user):
            case = cls.accepted(subject_user, record, operator)
            if "interview_record" in case.required_materials:
                services.repair_record_interview(department_user, case, timezone.localdate(), "约谈已进行")
            return committed(services.repair_approve, department_user, case, "整改到位，同意修复")

    return Walk




@pytest.fixture
def local_rule_set(db):
    """Install a rule set for a jurisdiction, built from national-2026 with edits: ``local_rule_set("520000", fn)``.

    ``fn`` receives the stored document (a dict) and changes it in place.
    """
    import hashlib
    import json

    from creditrepair.rules import selectors as rule_selectors
    from creditrepair.rules.models import RuleSet
    from creditrepair.rules.schema import Rules

    def install(jurisdiction, change, code="test-local"):
        base = RuleSet.objects.get(code="national-2026")
        document = json.loads(json.dumps(base.data))
        document.update(code=code, jurisdiction=jurisdiction, name=f"测试规则 {code}")
        change(document)
        Rules.from_document(document, code)  # the same validation the loader applies
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
        RuleSet.objects.create(code=code, name=document["name"], jurisdiction=jurisdiction,
                               effective_from=base.effective_from, effective_to=None, basis=base.basis,
                               data=document, source_file=f"{code}.toml", sha256=digest, loaded_at=timezone.now())
        rule_selectors.clear_cache()
        return rule_selectors.rule_set_by_code(code)

    yield install
    rule_selectors.clear_cache()
