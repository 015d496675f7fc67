"""Records endpoints of the contract: create, list, read, obligations fulfilled, decision revoked."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from creditrepair.accounts.models import Role
from creditrepair.audit.services import client_ip, record_personal_data_read
from creditrepair.core.errors import NotFound, PermissionDenied
from creditrepair.records import services
from creditrepair.records.models import Category, PublicationStatus, Record, Severity
from creditrepair.records.selectors import record_for_department, records_visible_to
from creditrepair.registry.models import SubjectType

from .permissions import RECOGNISING, HasRole


class SubjectSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=SubjectType.choices)


class PublicitySerializer(serializers.Serializer):
    published_from = serializers.DateField()
    min_until = serializers.DateField()
    max_until = serializers.DateField()


class DepartmentRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RecordInputSerializer(serializers.Serializer):
    subject = SubjectSerializer()
    category = serializers.ChoiceField(choices=Category.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    decision_no = serializers.CharField(max_length=100)
    decision_date = serializers.DateField()
    summary = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True, required=False, default="")
    obligations = serializers.CharField(allow_blank=True, required=False, default="")
    jurisdiction = serializers.RegexField(r"^\d{6}$", required=False, allow_null=True, default=None)
    grace_until = serializers.DateField(required=False, allow_null=True, default=None)
    sector = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    penalty_types = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list)
    publish_minor = serializers.BooleanField(required=False, default=False)


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = SubjectSerializer()
    department = DepartmentRefSerializer()
    category = serializers.CharField()
    severity = serializers.CharField()
    sector = serializers.CharField()
    penalty_types = serializers.ListField(child=serializers.CharField())
    decision_no = serializers.CharField()
    decision_date = serializers.DateField()
    summary = serializers.CharField()
    legal_basis = serializers.CharField()
    obligations = serializers.CharField()
    obligations_fulfilled_on = serializers.DateField(allow_null=True)
    jurisdiction = serializers.CharField()
    grace_until = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=PublicationStatus.choices)
    objection_pending = serializers.BooleanField()
    publicity = PublicitySerializer(source="*")
    rule_set = serializers.CharField(source="rule_set_code")
    created_at = serializers.DateTimeField()


class ObligationsSerializer(serializers.Serializer):
    fulfilled_on = serializers.DateField()
    evidence = serializers.CharField()


class RevokeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


def log_personal_data_reads(request, records):
    """Staff reading natural persons' records: every such read is logged (domain §6)."""
    if request.user.role == Role.SUBJECT:
        return
    for code in sorted({r.subject.code for r in records if r.subject.is_natural_person}):
        record_personal_data_read(
            actor=request.user, subject_code=code, authority=f"role:{request.user.role}",
            ip=client_ip(request), purpose=request.path,
        )


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("subject", str, description="统一社会信用代码/身份证号"),
            OpenApiParameter("status", str, enum=PublicationStatus.values),
            OpenApiParameter("category", str, enum=Category.values),
        ],
        tags=["records"],
    ),
    post=extend_schema(request=RecordInputSerializer, responses={201: RecordSerializer}, tags=["records"]),
)
class RecordListCreateView(generics.ListCreateAPIView):
    serializer_class = RecordSerializer

    def get_queryset(self):
        qs = records_visible_to(self.request.user).order_by("-id")
        params = self.request.query_params
        if params.get("subject"):
            qs = qs.filter(subject__code=params["subject"].strip().upper())
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("category"):
            qs = qs.filter(category=params["category"])
        return qs

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        log_personal_data_reads(self.request, page)
        return page

    def create(self, request, *args, **kwargs):
        data = RecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.record_create(actor=request.user, **data.validated_data)
        return Response(RecordSerializer(record).data, status=status.HTTP_201_CREATED)


class RecordDetailView(APIView):
    @extend_schema(responses={200: RecordSerializer}, tags=["records"])
    def get(self, request, pk):
        record = get_object_or_404(records_visible_to(request.user), pk=pk)
        log_personal_data_reads(request, [record])
        return Response(RecordSerializer(record).data)


class _OwnRecordActionView(APIView):
    """An action only the recognising department (or court) of the record may take."""

    permission_classes = [HasRole]
    allowed_roles = RECOGNISING

    def own_record(self, request, pk):
        record = record_for_department(request.user, pk)
        if record is None:
            # Not revealing whether the record exists to someone who may not act on it.
            if records_visible_to(request.user).filter(pk=pk).exists():
                raise PermissionDenied()
            raise NotFound()
        return record


class ObligationsFulfilledView(_OwnRecordActionView):
    @extend_schema(request=ObligationsSerializer, responses={200: RecordSerializer}, tags=["records"])
    def post(self, request, pk):
        record = self.own_record(request, pk)
        data = ObligationsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.record_obligations_fulfilled(record, actor=request.user, **data.validated_data)
        return Response(RecordSerializer(record).data)


class RevokeDecisionView(_OwnRecordActionView):
    @extend_schema(request=RevokeReasonSerializer, responses={200: RecordSerializer}, tags=["records"])
    def post(self, request, pk):
        record = self.own_record(request, pk)
        data = RevokeReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_revoke_decision(record, actor=request.user, reason=data.validated_data["reason"])
        record.refresh_from_db()
        return Response(RecordSerializer(record).data)
