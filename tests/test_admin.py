"""The Django admin answers for every registered model: its change list, and the change page of an object (made
through the services or a factory; a model whose table stays empty has its change list checked only)."""

import datetime as dt
import inspect

import factory
import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creditrepair.documents.models import Document
from creditrepair.imports.models import ImportJob
from creditrepair.objections import services as objections
from creditrepair.objections.models import ApplicantNotice, ObjectionEvidence
from creditrepair.records.services import record_obligations_fulfilled
from creditrepair.repairs import services as repairs
from creditrepair.repairs.models import RepairMaterial
from tests import factories
from tests.imports.conftest import csv_bytes, record_row
from tests.repairs.repairs_support import old_enough, pdf_upload

pytestmark = pytest.mark.django_db

# Models whose change page must be reached with a real object: every model with a stored file, and the outboxes.
MUST_COVER = {Document, RepairMaterial, ObjectionEvidence, ImportJob, ApplicantNotice}


def factory_for():
    """{model: its factory} for the factories of ``tests.factories``."""
    found = {}
    for _name, value in inspect.getmembers(factories, inspect.isclass):
        if issubclass(value, factory.django.DjangoModelFactory) and value._meta.model is not None:
            found.setdefault(value._meta.model, value)
    return found


@pytest.fixture
def admin_world(make_record, dept_user, enterprise, ent_user, operator, committed, client):
    """One object of each kind the services make, files included: an objection with its receipt (a real signed
    PDF), evidence and the applicant's e-mail; a repair case with an uploaded material; an import job."""
    ent_user.email = "ent@example.cn"
    ent_user.save()
    published = make_record(dept_user, enterprise, decided=dt.date.today() - dt.timedelta(days=60))
    case = committed(objections.objection_file, actor=ent_user, record=published, grounds="error", statement="有误")
    objections.objection_add_evidence(case, actor=ent_user, uploaded_file=pdf_upload("证明.pdf"), description="证明")

    repairable = make_record(dept_user, enterprise, decided=old_enough())
    if repairable.obligations:
        record_obligations_fulfilled(repairable, actor=dept_user, fulfilled_on=repairable.decision_date,
                                     evidence="罚款已缴纳")
    repair = repairs.repair_file(ent_user, repairable, "已全额缴纳罚款并完成整改")
    repairs.repair_upload_material(ent_user, repair, "performance_proof", pdf_upload())

    client.force_login(dept_user)
    client.post("/imports/", {"file": SimpleUploadedFile("四月.csv", csv_bytes([record_row()]))})
    client.logout()
    return {"objection": case}


def test_every_registered_model_has_a_working_change_list_and_change_page_for_a_superuser(admin_world, client):
    made = factory_for()
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    covered, problems = set(), []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
        obj = model._default_manager.first()
        if obj is None and model in made:
            obj = made[model]()
        if obj is None:
            continue  # nothing of this kind in a fresh database: the change list above is all there is to see
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        response = client.get(change)
        if response.status_code != 200:
            problems.append(f"{change}: {response.status_code}")
        covered.add(model)
    assert not problems, "\n".join(problems)
    assert MUST_COVER <= covered


def test_a_documents_change_page_shows_its_private_file_by_name_and_size_linked_to_its_cases_download(
        admin_world, client):
    case = admin_world["objection"]
    document = Document.objects.get(case_no=case.case_no, kind="objection_receipt")
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:documents_document_change", args=[document.pk])).content.decode()
    download = reverse("objections:document", args=[case.pk, document.pk])
    assert f'<a href="{download}">{document.file.name} (' in page
    assert document.sha256 in page
