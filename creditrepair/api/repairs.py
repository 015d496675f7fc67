"""Repair endpoints of the contract: repairability, repair cases and their actions, document/material downloads.

Views are thin: they parse input, find the case the caller may see
(``case_for``: 404 for anyone else) and call ``creditrepair.repairs.services``,
which check the actor and drive the flow.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from creditrepair.audit.services import client_ip, record_event
from creditrepair.core.errors import NotFound
from creditrepair.documents.models import Document
from creditrepair.records.selectors import records_visible_to
from creditrepair.repairs import selectors, services
from creditrepair.repairs.models import SIGNED, UPLOADED, MaterialKind, RepairCase, RepairKind, RepairStatus
from creditrepair.workflow.deadlines import deadlines_of
from creditrepair.workflow.gateway import pending_steps

from .common import CaseDocumentSerializer, TimelineEntrySerializer, absolute_uri

# --------------------------------------------------------------------------- serializers


class RepairabilityReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class RepairabilitySerializer(serializers.Serializer):
    repairable = serializers.BooleanField()
    earliest_date = serializers.DateField(allow_null=True)
    reasons = RepairabilityReasonSerializer(many=True)
    required_materials = serializers.ListField(child=serializers.ChoiceField(choices=MaterialKind.choices))
    kind = serializers.ChoiceField(choices=RepairKind.choices)
    rule_set = serializers.CharField()


class RepairMaterialSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, material) -> str:
        return absolute_uri(self.context, reverse("api:repair-material-download", args=[material.case_id, material.pk]))


class RepairRecordRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision_no = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.CharField()
    department = serializers.CharField(source="department.name")
    status = serializers.CharField()


class RepairCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_no = serializers.CharField()
    query_code = serializers.CharField()
    status = serializers.ChoiceField(choices=RepairStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.ChoiceField(choices=RepairKind.choices)
    record = serializers.IntegerField(source="record_id")
    record_detail = RepairRecordRefSerializer(source="record")
    subject = serializers.SerializerMethodField()
    statement = serializers.CharField()
    rule_set = serializers.CharField(source="rule_set_code")
    required_materials = serializers.ListField(child=serializers.CharField())
    materials = serializers.SerializerMethodField()
    uploads = serializers.SerializerMethodField()
    missing_materials = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    pending_steps = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    refusal_reason = serializers.CharField()
    decision_reason = serializers.CharField()
    interview = serializers.SerializerMethodField()
    training = serializers.SerializerMethodField()
    extension_reason = serializers.CharField()
    revocation_reason = serializers.CharField()
    bars_until = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    filed_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field({"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}})
    def get_subject(self, case) -> dict:
        return {"code": case.subject.code, "name": case.subject.name}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_materials(self, case) -> list:
        return selectors.materials_present(case)

    @extend_schema_field(RepairMaterialSerializer(many=True))
    def get_uploads(self, case):
        return RepairMaterialSerializer(case.materials.all(), many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_materials(self, case) -> list:
        return selectors.materials_missing(case, for_submission=False)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "date"}})
    def get_deadlines(self, case) -> dict:
        return {step: due.isoformat() for step, due in deadlines_of(case).items()}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_pending_steps(self, case) -> list:
        return pending_steps(case)

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, case):
        return TimelineEntrySerializer(case.history.all(), many=True).data

    @extend_schema_field(CaseDocumentSerializer(many=True))
    def get_documents(self, case):
        return CaseDocumentSerializer(selectors.case_documents(case), many=True, context=self.context).data

    @extend_schema_field({"type": "object", "nullable": True})
    def get_interview(self, case):
        if not case.interview_held_on:
            return None
        return {"held_on": case.interview_held_on.isoformat(), "notes": case.interview_notes}

    @extend_schema_field({"type": "object", "nullable": True})
    def get_training(self, case):
        if not case.training_certificate_no:
            return None
        return {"certificate_no": case.training_certificate_no,
                "completed_on": case.training_completed_on.isoformat() if case.training_completed_on else None}


class RepairFileInputSerializer(serializers.Serializer):
    record = serializers.IntegerField()
    statement = serializers.CharField()
    kind = serializers.ChoiceField(choices=RepairKind.choices, required=False, allow_null=True, default=None)


class RepairCommitmentInputSerializer(serializers.Serializer):
    signatory_name = serializers.CharField(max_length=64)
    signatory_title = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in SIGNED], required=False,
                                   default=MaterialKind.COMMITMENT_LETTER.value)


class RepairMaterialInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in UPLOADED])
    file = serializers.FileField()


class RepairTrainingInputSerializer(serializers.Serializer):
    certificate_no = serializers.CharField(max_length=64)
    completed_on = serializers.DateField()


class RepairInterviewInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    notes = serializers.CharField()


class RepairReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _case_body(request, case):
    case = RepairCase.objects.select_related("record", "record__department", "subject").get(pk=case.pk)
    return RepairCaseSerializer(case, context={"request": request}).data


# --------------------------------------------------------------------------- repairability


class RepairabilityView(APIView):
    @extend_schema(responses={200: RepairabilitySerializer}, tags=["repairs"])
    def get(self, request, pk):
        record = get_object_or_404(records_visible_to(request.user), pk=pk)
        return Response(RepairabilitySerializer(selectors.repairability(record).as_contract()).data)


# --------------------------------------------------------------------------- cases


class RepairListCreateView(generics.GenericAPIView):
    serializer_class = RepairCaseSerializer

    def get_queryset(self):
        qs = selectors.repairs_visible_to(self.request.user).order_by("-id")
        params = self.request.query_params
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("record"):
            qs = qs.filter(record_id=params["record"]) if params["record"].isdigit() else qs.none()
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=RepairStatus.values),
            OpenApiParameter("kind", str, enum=RepairKind.values),
            OpenApiParameter("record", int),
        ],
        responses={200: RepairCaseSerializer(many=True)},
        operation_id="repairs_list",
        tags=["repairs"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RepairCaseSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(request=RepairFileInputSerializer, responses={201: RepairCaseSerializer}, tags=["repairs"])
    def post(self, request):
        data = RepairFileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = records_visible_to(request.user).filter(pk=data.validated_data["record"]).first()
        if record is None:
            raise NotFound()
        case = services.repair_file(request.user, record, data.validated_data["statement"],
                                    kind=data.validated_data["kind"])
        return Response(_case_body(request, case), status=status.HTTP_201_CREATED)


class RepairDetailView(APIView):
    @extend_schema(responses={200: RepairCaseSerializer}, tags=["repairs"])
    def get(self, request, pk):
        return Response(_case_body(request, selectors.case_for(request.user, pk)))


class _CaseAction(APIView):
    """POST an action on a case the caller may see; the service checks whether the caller may take it."""

    input_serializer = None

    def act(self, request, case, data):
        raise NotImplementedError

    def post(self, request, pk):
        case = selectors.case_for(request.user, pk)
        data = {}
        if self.input_serializer is not None:
            parsed = self.input_serializer(data=request.data)
            parsed.is_valid(raise_exception=True)
            data = parsed.validated_data
        self.act(request, case, data)
        return Response(_case_body(request, case))


def _action_schema(input_serializer=None):
    return extend_schema(request=input_serializer, responses={200: RepairCaseSerializer}, tags=["repairs"])


class CommitmentView(APIView):
    @extend_schema(request=RepairCommitmentInputSerializer, responses={201: CaseDocumentSerializer},
                   tags=["repairs"])
    def post(self, request, pk):
        case = selectors.case_for(request.user, pk)
        data = RepairCommitmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.repair_sign_commitment(request.user, case, ip=client_ip(request), **data.validated_data)
        return Response(CaseDocumentSerializer(document, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class MaterialsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": RepairMaterialInputSerializer}, responses={201: RepairMaterialSerializer},
                   tags=["repairs"])
    def post(self, request, pk):
        case = selectors.case_for(request.user, pk)
        data = RepairMaterialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = services.repair_upload_material(request.user, case, data.validated_data["kind"],
                                                   data.validated_data["file"])
        return Response(RepairMaterialSerializer(material, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class TrainingView(_CaseAction):
    input_serializer = RepairTrainingInputSerializer

    @_action_schema(RepairTrainingInputSerializer)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_record_training(request.user, case, data["certificate_no"], data["completed_on"])


class SubmitView(_CaseAction):
    @_action_schema()
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_submit(request.user, case)


class AcceptView(_CaseAction):
    @_action_schema()
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_accept(request.user, case)


class RefuseView(_CaseAction):
    input_serializer = RepairReasonInputSerializer

    @_action_schema(RepairReasonInputSerializer)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_refuse(request.user, case, data["reason"])


class InterviewView(_CaseAction):
    input_serializer = RepairInterviewInputSerializer

    @_action_schema(RepairInterviewInputSerializer)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_record_interview(request.user, case, data["held_on"], data["notes"])


class ExtendView(_CaseAction):
    input_serializer = RepairReasonInputSerializer

    @_action_schema(RepairReasonInputSerializer)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_extend(request.user, case, data["reason"])


class ApproveView(_CaseAction):
    input_serializer = RepairReasonInputSerializer

    @_action_schema(RepairReasonInputSerializer)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_approve(request.user, case, data["reason"])


class DenyView(_CaseAction):
    input_serializer = RepairReasonInputSerializer

    @_action_schema(RepairReasonInputSerializer)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_deny(request.user, case, data["reason"])


class RevokeView(_CaseAction):
    input_serializer = RepairReasonInputSerializer

    @_action_schema(RepairReasonInputSerializer)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_revoke(request.user, case, data["reason"])


class WithdrawView(_CaseAction):
    @_action_schema()
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, case, data):
        services.repair_withdraw(request.user, case)


# --------------------------------------------------------------------------- downloads


def _attachment(request, fileobj, *, filename, content_type, audit_action, target, subject_code):
    record_event(audit_action, actor=request.user, target=target, subject_code=subject_code, ip=client_ip(request))
    response = FileResponse(fileobj, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _repair_case_visible(user, owner_id) -> bool:
    return selectors.repairs_visible_to(user).filter(pk=owner_id).exists()


# Owner model ("app_label.model") → whether a user may see that owner (and so download its documents).
# Each case type registers its own check here (objections add "objections.objection").
DOCUMENT_OWNER_CHECKS = {
    "repairs.repaircase": _repair_case_visible,
}


def document_owner_visible(user, document) -> bool:
    """Whether ``user`` may download ``document``: decided by the case that owns it; unowned documents: no."""
    if document.owner_type_id is None:
        return False
    check = DOCUMENT_OWNER_CHECKS.get(f"{document.owner_type.app_label}.{document.owner_type.model}")
    return bool(check and check(user, document.owner_id))


class DocumentDownloadView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, tags=["documents"])
    def get(self, request, pk):
        document = Document.objects.filter(pk=pk).first()
        if document is None or not document_owner_visible(request.user, document):
            raise NotFound(code="not_found")
        return _attachment(request, document.file.open("rb"), filename=f"{document.case_no}-{document.kind}.pdf",
                           content_type="application/pdf", audit_action="document.downloaded", target=document,
                           subject_code=document.subject_code)


class MaterialDownloadView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, tags=["repairs"])
    def get(self, request, pk, material_id):
        case = selectors.case_for(request.user, pk)
        material = case.materials.filter(pk=material_id).first()
        if material is None:
            raise NotFound()
        return _attachment(request, material.file.open("rb"),
                           filename=f"{case.case_no}-{material.kind}.{material.extension}",
                           content_type=material.content_type, audit_action="repaircase.material_downloaded",
                           target=case, subject_code=case.subject.code)


# --------------------------------------------------------------------------- the public projection


def public_case(case_no: str, query_code: str):
    """The public status of a repair case, or None (unknown number and wrong code alike)."""
    from creditrepair.workflow.status import public_case_body, public_case_row, status_outcome

    row = public_case_row(RepairCase.objects, case_no, query_code)
    if row is None:
        return None
    closed = row["status"] in (RepairStatus.REFUSED, RepairStatus.DENIED, RepairStatus.COMPLETED,
                               RepairStatus.REVOKED, RepairStatus.WITHDRAWN)
    return public_case_body(row, "repair", RepairStatus, status_outcome(row, RepairStatus) if closed else None)
