"""Public endpoints: no authentication, throttled, projections of public fields only."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from creditrepair.portal.cases import public_case_status
from creditrepair.portal.lookup import audit_public_lookup
from creditrepair.portal.throttling import case_lookup_blocked, case_lookup_failed
from creditrepair.records.selectors import public_records_of_subject
from creditrepair.registry.selectors import subject_public_view

from .records import PublicitySerializer


class PublicSubjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()


class PublicRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.SerializerMethodField()
    category = serializers.CharField()
    severity = serializers.CharField()
    decision_no = serializers.CharField()
    department = serializers.CharField(source="department.name")
    decision_date = serializers.DateField()
    summary = serializers.CharField()
    publicity = PublicitySerializer(source="*")
    objection_pending = serializers.BooleanField()

    @extend_schema_field(PublicSubjectSerializer)
    def get_subject(self, record) -> dict:
        return subject_public_view(record.subject)


class PublicView(generics.GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"


@extend_schema_view(get=extend_schema(tags=["public"]))
class PublicSubjectRecordsView(PublicView, generics.ListAPIView):
    """``GET /api/v1/public/subjects/{code}/records``: the subject's currently published records (paginated).

    A resident ID number finds only court listings, masked; such a lookup is
    written to the audit log (it touches personal data).
    """

    serializer_class = PublicRecordSerializer

    def get_queryset(self):
        return public_records_of_subject(self.kwargs["code"].strip().upper())

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_public_lookup(request, self.kwargs["code"].strip().upper(), count=response.data.get("count", 0),
                            channel="api")
        return response


# --------------------------------------------------------------------------- public case status


def _repair_case_status(case_no, query_code):
    from .repairs import public_case

    return public_case(case_no, query_code)


def _objection_case_status(case_no, query_code):
    from .objections import public_case

    return public_case(case_no, query_code)


def _court_suspension_status(case_no, query_code):
    from .courts import public_case

    return public_case(case_no, query_code)


# Case-number prefix → function(case_no, query_code) returning the public status dict or None.
# Each case type registers here (repairs "XF", objections "YY", court suspensions "ZX");
# creditrepair.portal.cases.public_case_status adds the next steps for page and API alike.
CASE_KINDS = {
    "XF": _repair_case_status,
    "YY": _objection_case_status,
    "ZX": _court_suspension_status,
}


class PublicTimelineEntrySerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    label = serializers.CharField(required=False, help_text="状态名称")


class PublicNextStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    responsible = serializers.CharField(help_text="责任单位")
    due_on = serializers.DateField(help_text="期限届满日")
    action = serializers.CharField()
    text = serializers.CharField(help_text="通俗说明，例如“某单位将在 2026-12-01 前作出决定。”")


class PublicCaseSerializer(serializers.Serializer):
    case_no = serializers.CharField()
    kind = serializers.ChoiceField(choices=["repair", "objection", "court_suspension"])
    status = serializers.CharField()
    status_label = serializers.CharField(required=False)
    subject = PublicSubjectSerializer()
    timeline = PublicTimelineEntrySerializer(many=True)
    outcome = serializers.JSONField(allow_null=True)
    next_steps = PublicNextStepSerializer(many=True, help_text="正在计算的办理时限")
    explanation = serializers.CharField(help_text="下一步办理事项的通俗说明")
    next_instalment_due = serializers.DateField(required=False, allow_null=True,
                                                help_text="暂停惩戒案件：下一期履行期限")


class PublicCaseView(PublicView):
    """``GET /api/v1/public/cases/{case_no}?query_code=…``: a wrong code is answered like an unknown case.

    Failed lookups count per client (``PUBLIC_CASE_FAILURE_RATE``); past the
    limit every case lookup of that client answers 429 until the window ends.
    """

    serializer_class = PublicCaseSerializer

    @extend_schema(
        parameters=[OpenApiParameter("query_code", str, required=True, description="查询码")],
        responses={200: PublicCaseSerializer},
        tags=["public"],
    )
    def get(self, request, case_no):
        from creditrepair.core.errors import NotFound

        wait = case_lookup_blocked(request)
        if wait is not None:
            raise exceptions.Throttled(wait=wait, detail=_("查询失败次数过多，请稍后再试。"))
        body = public_case_status(case_no, request.query_params.get("query_code", ""))
        if body is None:
            case_lookup_failed(request)
            raise NotFound(_("案件不存在或查询码不正确。"))
        return Response(PublicCaseSerializer(body).data)
