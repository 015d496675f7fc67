"""The world the authorization matrix runs on: two subjects, two departments, two courts and the operator,
each with a user, and one real object behind every URL that takes an identifier.

Everything is made through the services (the after-commit tasks that issue documents are called
directly), so the objects are in the states the flows put them in.
Objects belong to subject **A**; records and their cases to department **D**; the court listing, its
suspension and its correction requests to court **C** (whose higher court **H** has no user in the matrix);
the partner notice is addressed to **D2** (another department), the import job is **D**'s.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from creditrepair.courts import services as courts
from creditrepair.documents.models import Document
from creditrepair.imports.services import import_job_create
from creditrepair.objections import services as objections
from creditrepair.objections.tasks import issue_objection_receipt
from creditrepair.records.models import PartnerNotice
from creditrepair.records.services import record_create, record_obligations_fulfilled
from creditrepair.repairs import services as repairs

from tests import factories
from tests.repairs.repairs_support import old_enough, pdf_upload, supply_materials

# The columns of the matrix, in this order everywhere.
ROLES = ("anonymous", "subject", "other_subject", "department", "other_department", "court", "other_court",
         "operator")

# Identifiers no object has (the "does it exist?" probe).
MISSING_INT = 2_000_000_000
MISSING_UUID = uuid.UUID("00000000-0000-4000-8000-00000000dead")


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role → user (anonymous → None)
    tokens: dict = field(default_factory=dict)  # role → API token key
    objects: dict = field(default_factory=dict)  # name → model instance (referenced by id in URLs)
    values: dict = field(default_factory=dict)  # name → plain value (codes, markers)


class Ids:
    """What a table entry reads: ``o.<object>`` is the id of a world object, or an id no object has.

    ``o.v.<name>`` is a plain value of the world (never replaced).
    """

    def __init__(self, world: World, *, missing=False):
        self._world, self._missing = world, missing
        self.v = SimpleNamespace(**world.values)

    def __getattr__(self, name):
        pk = self._world.objects[name].pk
        if not self._missing:
            return pk
        return MISSING_UUID if isinstance(pk, uuid.UUID) else MISSING_INT


def _record(actor, subject, *, decided, serial, obligations=""):
    return record_create(
        actor=actor, subject={"code": subject.code, "name": subject.name, "type": subject.type},
        category="admin_penalty", severity="general", decision_no=f"雅权限矩阵罚〔2026〕{serial}号",
        decision_date=decided, summary="未按规定公示年度报告", legal_basis="《企业信息公示暂行条例》第八条",
        obligations=obligations,
    )


def _repairable(actor, subject, serial):
    record = _record(actor, subject, decided=old_enough(), serial=serial, obligations="缴纳罚款")
    return record_obligations_fulfilled(record, actor=actor, fulfilled_on=record.decision_date, evidence="罚款已缴纳")


def build_world() -> World:
    """Create the users and objects (call inside a transaction that is rolled back afterwards)."""
    w = World()
    subject_a = factories.SubjectFactory(name="雅安权限矩阵甲有限公司")
    subject_b = factories.SubjectFactory(name="雅安权限矩阵乙有限公司")
    dept = factories.DepartmentFactory(name="雅安市市场监督管理局（矩阵）")
    other_dept = factories.DepartmentFactory(name="雅安市税务局（矩阵）")
    higher_court = factories.CourtFactory(name="雅安市中级人民法院（矩阵）")
    court = factories.CourtFactory(name="雅安市雨城区人民法院（矩阵）", parent=higher_court)
    other_court = factories.CourtFactory(name="成都市锦江区人民法院（矩阵）")
    w.users = {
        "anonymous": None,
        "subject": factories.subject_user(subject_a),
        "other_subject": factories.subject_user(subject_b),
        "department": factories.department_user(dept),
        "other_department": factories.department_user(other_dept),
        "court": factories.court_user(court),
        "other_court": factories.court_user(other_court),
        # As the demo sets it up: the operator may enter the Django admin (within its group's permissions).
        "operator": factories.operator_user(is_staff=True),
    }
    w.tokens = {role: Token.objects.create(user=user).key for role, user in w.users.items() if user is not None}
    ua, ub, ud, uc, op = (w.users[r] for r in ("subject", "other_subject", "department", "court", "operator"))

    # Another department is a joint-punishment partner for administrative penalties: it gets notices.
    partner = factories.PartnerFactory(department=other_dept)
    factories.MeasureFactory(partner=partner, category="admin_penalty")

    # Repair cases of A on D's records, one in each state the actions need.
    records = [_repairable(ud, subject_a, n) for n in range(1, 5)]
    draft, submitted, in_review, completed = (repairs.repair_file(ua, r, "已全额缴纳罚款并完成整改") for r in records)
    for case in (draft, submitted, in_review, completed):
        supply_materials(case, ua)
    for case in (submitted, in_review, completed):
        repairs.repair_submit(ua, case)
    for case in (in_review, completed):
        repairs.repair_accept(op, case)
    repairs.repair_approve(ud, completed, "整改到位，同意修复")  # stops publication: a notice for the partner
    material = draft.materials.first()
    letter = Document.objects.filter(owner_id=str(draft.pk), kind="commitment_letter").first()

    # Objections of A on D's records, one in each state the actions need.
    recent = timezone.localdate() - dt.timedelta(days=60)
    obj_records = [_record(ud, subject_a, decided=recent, serial=n) for n in range(11, 15)]
    obj_submitted, obj_verifying, obj_resolved, obj_under_review = (
        objections.objection_file(actor=ua, record=r, grounds="error", statement="罚款金额有误") for r in obj_records)
    for case in (obj_verifying, obj_resolved, obj_under_review):
        objections.objection_accept(case, actor=op)
    for case in (obj_resolved, obj_under_review):
        objections.objection_resolve(case, actor=ud, outcome="kept", reason="经核实信息无误")
    objections.objection_request_review(obj_under_review, actor=ua, statement="请求复核")
    evidence = objections.objection_add_evidence(obj_submitted, actor=ua, uploaded_file=pdf_upload("回执.pdf"))
    receipt = Document.objects.get(pk=issue_objection_receipt(obj_submitted.pk))  # the after-commit task

    # A court listing of A by court C, suspended on a settlement, with two correction requests.
    listing = courts.court_listing_file(
        uc, subject={"code": subject_a.code, "name": subject_a.name, "type": subject_a.type},
        decision_no="（2026）川1802执矩1号之一", decision_date=timezone.localdate() - dt.timedelta(days=30),
        summary="有履行能力而拒不履行生效法律文书确定的给付义务", court_case_no="（2026）川1802执矩1号",
        executing_basis="（2025）川1802民初88号民事判决书", obligation="支付货款 200000 元及利息",
        ground="able_but_refuses", creditor_name="四川蒙顶建设工程有限公司", restrictions=[{"measure": "flights"}],
    )
    suspension = courts.suspension_create(
        uc, record=listing.record, agreement_no="HJ-2026-矩阵", total_amount=Decimal("100000.00"),
        instalments=[{"due_date": timezone.localdate() + dt.timedelta(days=30), "amount": Decimal("50000.00")},
                     {"due_date": timezone.localdate() + dt.timedelta(days=60), "amount": Decimal("50000.00")}],
        creditor_consent=True,
    )
    courts.suspension_issue_commitment(suspension.pk)  # the after-commit task, run here
    correction = courts.correction_file(ua, listing, statement="执行案号有误")
    rejected = courts.correction_file(ua, listing, statement="执行依据有误")
    courts.correction_review(uc, rejected, decision="reject", reason="经核查无误")

    # B's own draft repair case and objection (on D's records), to pair B's case ids with A's files.
    b_draft = repairs.repair_file(ub, _repairable(ud, subject_b, 21), "已缴纳罚款")
    supply_materials(b_draft, ub)
    b_objection = objections.objection_file(actor=ub, record=_record(ud, subject_b, decided=recent, serial=22),
                                            grounds="error", statement="罚款金额有误")
    b_evidence = objections.objection_add_evidence(b_objection, actor=ub, uploaded_file=pdf_upload("回执.pdf"))
    b_receipt = Document.objects.get(pk=issue_objection_receipt(b_objection.pk))

    job = import_job_create(ud, SimpleUploadedFile("records.csv", "subject_code,subject_name\n".encode("utf-8-sig")))

    w.objects = {
        "record": records[0], "repair": draft, "repair_submitted": submitted, "repair_in_review": in_review,
        "repair_completed": completed, "material": material, "repair_document": letter,
        "objection_record": obj_records[0], "objection": obj_submitted, "objection_verifying": obj_verifying,
        "objection_resolved": obj_resolved, "objection_under_review": obj_under_review, "evidence": evidence,
        "objection_document": receipt, "listing": listing, "listing_record": listing.record, "suspension": suspension,
        "instalment": suspension.instalments.order_by("number").first(), "correction": correction,
        "correction_rejected": rejected,
        "notice": PartnerNotice.objects.filter(partner=partner).order_by("id").first(),
        "import_job": job, "b_repair": b_draft, "b_material": b_draft.materials.first(),
        "b_repair_document": Document.objects.filter(owner_id=str(b_draft.pk), kind="commitment_letter").first(),
        "b_objection": b_objection, "b_evidence": b_evidence, "b_objection_document": b_receipt,
    }
    notice = w.objects["notice"]
    w.values = {
        "subject_code": subject_a.code, "record_decision_no": records[0].decision_no,
        "notice_decision_no": notice.record.decision_no, "repair_case_no": draft.case_no,
        "repair_query_code": draft.query_code, "repair_submitted_case_no": submitted.case_no,
        "objection_case_no": obj_submitted.case_no,
        "suspension_case_no": suspension.case_no, "court_case_no": listing.court_case_no,
    }
    return w
