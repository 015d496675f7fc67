"""Objection endpoints of the contract (and its extensions /platform-check and /review-decision).

Who may do what: the subject's users file, add evidence and request 复核; the
operator accepts, refuses, checks the platform's own copy and decides a
review; the record's recognising department extends and resolves. A case the
caller cannot see is 404; a case it can see but not act on is 403.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from creditrepair.objections import services
from creditrepair.objections.models import Grounds, ObjectionStatus, Outcome
from creditrepair.objections.selectors import actions_for, objections_visible_to
from creditrepair.objections.tasks import documents_of
from creditrepair.workflow.deadlines import deadlines_of

from .common import CaseDocumentSerializer, TimelineEntrySerializer
from .permissions import HasRole


class CorrectionsField(serializers.DictField):
    """``{field: new value}`` for the whitelisted record fields."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(allow_blank=True))
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", dict)
        super().__init__(**kwargs)


class ObjectionInputSerializer(serializers.Serializer):
    record = serializers.IntegerField()
    grounds = serializers.ChoiceField(choices=Grounds.choices)
    statement = serializers.CharField()
    requested_correction = CorrectionsField()


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)
    derived = serializers.BooleanField(required=False, help_text="重新计算的公示期等派生字段")


class EvidenceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    original_name = serializers.CharField()
    description = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


# An objection's status change as the objection endpoints have always shown it: without the actor. (Its own
# component name, not the parent's, should it ever be published.)
@extend_schema_serializer(component_name="ObjectionTimelineEntry")
class ObjectionTimelineEntrySerializer(TimelineEntrySerializer):
    actor = None


class ObjectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_no = serializers.CharField()
    query_code = serializers.CharField()
    status = serializers.ChoiceField(choices=ObjectionStatus.choices)
    record = serializers.IntegerField(source="record_id")
    subject = serializers.SerializerMethodField()
    grounds = serializers.ChoiceField(choices=Grounds.choices)
    statement = serializers.CharField()
    requested_correction = serializers.DictField(child=serializers.CharField())
    refusal_reason = serializers.CharField()
    outcome = serializers.CharField(help_text="corrected|supplemented|publication_stopped|removed|kept，未办结为空")
    reason = serializers.CharField(source="outcome_reason")
    corrections = ChangeSerializer(many=True)
    review_statement = serializers.CharField()
    review_outcome = serializers.CharField()
    review_reason = serializers.CharField()
    review_corrections = ChangeSerializer(many=True)
    filed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    deadlines = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True)
    documents = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    def get_subject(self, case) -> dict:
        return {"code": case.subject.code, "name": case.subject.name}

    def get_deadlines(self, case) -> dict[str, str]:
        return {step: due.isoformat() for step, due in deadlines_of(case).items()}

    def get_actions(self, case) -> list[str]:
        request = self.context.get("request")
        return actions_for(request.user, case) if request else []

    def get_documents(self, case) -> list[dict]:
        # Downloaded from the case's page (the objection's own download view), as a path.
        context = {"document_path": lambda document: reverse("objections:document", args=[case.pk, document.pk])}
        return CaseDocumentSerializer(documents_of(case), many=True, context=context).data

    def get_timeline(self, case) -> list[dict]:
        return ObjectionTimelineEntrySerializer(case.history.order_by("id"), many=True).data


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class StatementSerializer(serializers.Serializer):
    statement = serializers.CharField()


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField()
    corrections = CorrectionsField()


class PlatformCheckSerializer(serializers.Serializer):
    differs = serializers.BooleanField(help_text="平台信息与认定单位来源信息是否不一致")
    corrections = CorrectionsField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


def _out(request, case, code=status.HTTP_200_OK):
    return Response(ObjectionSerializer(case, context={"request": request}).data, status=code)


class ObjectionListCreateView(generics.GenericAPIView):
    permission_classes = [HasRole]
    serializer_class = ObjectionSerializer

    def get_queryset(self):
        qs = objections_visible_to(self.request.user).prefetch_related("evidence").order_by("-id")
        params = self.request.query_params
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("record"):
            qs = qs.filter(record_id=params["record"]) if params["record"].isdigit() else qs.none()
        return qs

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ObjectionStatus.values),
                    OpenApiParameter("record", int)],
        responses={200: ObjectionSerializer(many=True)}, tags=["objections"],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ObjectionSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(request=ObjectionInputSerializer, responses={201: ObjectionSerializer}, tags=["objections"])
    def post(self, request):
        data = ObjectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = services.objection_file(actor=request.user, record=v["record"], grounds=v["grounds"],
                                       statement=v["statement"], requested_correction=v["requested_correction"])
        return _out(request, case, status.HTTP_201_CREATED)


class _CaseView(APIView):
    permission_classes = [HasRole]

    def case(self, request, pk):
        return get_object_or_404(objections_visible_to(request.user), pk=pk)


class ObjectionDetailView(_CaseView):
    @extend_schema(responses={200: ObjectionSerializer}, tags=["objections"])
    def get(self, request, pk):
        return _out(request, self.case(request, pk))


class EvidenceView(_CaseView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": EvidenceInputSerializer}, responses={201: EvidenceSerializer},
                   tags=["objections"])
    def post(self, request, pk):
        case = self.case(request, pk)
        data = EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.objection_add_evidence(case, actor=request.user, uploaded_file=data.validated_data["file"],
                                                   description=data.validated_data["description"])
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class AcceptView(_CaseView):
    @extend_schema(request=None, responses={200: ObjectionSerializer}, tags=["objections"],
                   description="受理（平台运营人员）。平台核对视为一致，案件直接转认定单位核实（verifying）；"
                               "如平台信息与来源不一致，请改用 /platform-check。")
    def post(self, request, pk):
        return _out(request, services.objection_accept(self.case(request, pk), actor=request.user))


class RefuseView(_CaseView):
    @extend_schema(request=ReasonSerializer, responses={200: ObjectionSerializer}, tags=["objections"])
    def post(self, request, pk):
        case = self.case(request, pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _out(request, services.objection_refuse(case, actor=request.user, **data.validated_data))


class PlatformCheckView(_CaseView):
    @extend_schema(request=PlatformCheckSerializer, responses={200: ObjectionSerializer}, tags=["objections"],
                   description="平台核对（平台运营人员，契约扩展）：differs=true 时按 corrections 立即更正并办结；"
                               "differs=false 等同受理。")
    def post(self, request, pk):
        case = self.case(request, pk)
        data = PlatformCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _out(request, services.objection_platform_check(case, actor=request.user, **data.validated_data))


class ExtendView(_CaseView):
    @extend_schema(request=ReasonSerializer, responses={200: ObjectionSerializer}, tags=["objections"])
    def post(self, request, pk):
        case = self.case(request, pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _out(request, services.objection_extend(case, actor=request.user, **data.validated_data))


class ResolveView(_CaseView):
    @extend_schema(request=ResolveSerializer, responses={200: ObjectionSerializer}, tags=["objections"])
    def post(self, request, pk):
        case = self.case(request, pk)
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _out(request, services.objection_resolve(case, actor=request.user, **data.validated_data))


class ReviewView(_CaseView):
    @extend_schema(request=StatementSerializer, responses={200: ObjectionSerializer}, tags=["objections"])
    def post(self, request, pk):
        case = self.case(request, pk)
        data = StatementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _out(request, services.objection_request_review(case, actor=request.user, **data.validated_data))


class ReviewDecisionView(_CaseView):
    @extend_schema(request=ResolveSerializer, responses={200: ObjectionSerializer}, tags=["objections"],
                   description="复核决定（平台运营人员，契约扩展）：可维持或改变处理结果，新结果立即生效。")
    def post(self, request, pk):
        case = self.case(request, pk)
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _out(request, services.objection_review_decide(case, actor=request.user, **data.validated_data))


def public_case(case_no: str, query_code: str):
    """The public status of an objection, or None (unknown number and wrong code alike)."""
    from creditrepair.objections.models import Objection
    from creditrepair.workflow.status import public_case_body, public_case_row, status_outcome

    row = public_case_row(Objection.objects, case_no, query_code, "outcome", "review_outcome", "reviewed_at")
    if row is None:
        return None
    outcome = None
    if row["status"] == ObjectionStatus.REFUSED:
        outcome = status_outcome(row, ObjectionStatus)
    elif final := row["review_outcome"] or row["outcome"]:  # the review's outcome is the one in force
        outcome = {"result": final, "label": str(Outcome(final).label),
                   "decided_at": row["reviewed_at"] or row["decided_at"]}
    return public_case_body(row, "objection", ObjectionStatus, outcome)
