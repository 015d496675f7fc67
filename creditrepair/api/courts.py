"""Court endpoints of the contract (court suspensions) and their extensions (court listings, corrections)."""

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from creditrepair.accounts.models import Role
from creditrepair.core.errors import NotFound
from creditrepair.courts import selectors, services
from creditrepair.courts.models import (
    AppliesTo,
    CorrectionStatus,
    DeletionGround,
    ListingGround,
    Measure,
    SuspensionStatus,
)
from creditrepair.documents.services import verification_url
from creditrepair.workflow.deadlines import deadlines_of

from .permissions import HasRole
from .records import RecordSerializer, SubjectSerializer

COURT = (Role.COURT,)


# --------------------------------------------------------------------------- serializers


class RestrictionInputSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=Measure.choices)
    applies_to = serializers.ChoiceField(choices=AppliesTo.choices, required=False, default=AppliesTo.DEBTOR)
    person_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class RestrictionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    measure = serializers.CharField()
    measure_label = serializers.CharField(source="get_measure_display")
    applies_to = serializers.CharField()
    person_name = serializers.CharField()
    active = serializers.BooleanField()
    final = serializers.BooleanField()


class CourtListingInputSerializer(serializers.Serializer):
    subject = SubjectSerializer()
    decision_no = serializers.CharField(max_length=100, help_text="失信决定书文号")
    decision_date = serializers.DateField()
    summary = serializers.CharField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=["general", "serious"], required=False, default="serious")
    jurisdiction = serializers.RegexField(r"^\d{6}$", required=False, allow_null=True, default=None)
    court_case_no = serializers.CharField(max_length=64, help_text="执行案号，如（2025）川18执123号")
    executing_basis = serializers.CharField(max_length=200, help_text="执行依据")
    obligation = serializers.CharField(help_text="生效法律文书确定的义务")
    ground = serializers.ChoiceField(choices=ListingGround.choices)
    grace_months = serializers.IntegerField(required=False, min_value=0, default=0, help_text="宽限期（月），0 为不设")
    extension_months = serializers.IntegerField(required=False, min_value=0, default=0)
    creditor_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    creditor_email = serializers.EmailField(required=False, allow_blank=True, default="")
    at_creditor_request = serializers.BooleanField(required=False, default=False)
    restrictions = RestrictionInputSerializer(many=True, required=False, default=list)


class CourtListingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    record = RecordSerializer()
    court_case_no = serializers.CharField()
    executing_basis = serializers.CharField()
    obligation = serializers.CharField()
    ground = serializers.CharField()
    creditor_name = serializers.CharField()
    at_creditor_request = serializers.BooleanField()
    term_months = serializers.IntegerField()
    extension_months = serializers.IntegerField()
    grace_months = serializers.IntegerField()
    grace_until = serializers.DateField(source="record.grace_until", allow_null=True)
    deleted_on = serializers.DateField(allow_null=True)
    deletion_ground = serializers.CharField()
    deletion_reason = serializers.CharField()
    restrictions = RestrictionSerializer(many=True, source="restrictions.all")


class DeletionInputSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=DeletionGround.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class InstalmentInputSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class SettlementInputSerializer(serializers.Serializer):
    agreement_no = serializers.CharField(max_length=64)
    total_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    instalments = InstalmentInputSerializer(many=True, allow_empty=False)


class SuspensionInputSerializer(serializers.Serializer):
    record = serializers.IntegerField()
    settlement = SettlementInputSerializer()
    creditor_consent = serializers.BooleanField()
    commitment_document = serializers.UUIDField(required=False, allow_null=True, default=None,
                                                help_text="已签署的履行承诺书文书 id；不填则由平台依和解协议生成")
    creditor = serializers.DictField(required=False, default=dict, help_text="{name, email}（可选，默认取失信名单中的申请执行人）")


class InstalmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField(allow_null=True)
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.BooleanField(source="is_paid")


class SettlementSerializer(serializers.Serializer):
    agreement_no = serializers.CharField()
    total_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    instalments = InstalmentSerializer(many=True, source="instalments.all")


class DocumentRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    sha256 = serializers.CharField()
    url = serializers.CharField()
    verify_url = serializers.CharField()


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    note = serializers.CharField()
    at = serializers.DateTimeField()


class SuspensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_no = serializers.CharField()
    query_code = serializers.CharField()
    status = serializers.ChoiceField(choices=SuspensionStatus.choices)
    record = serializers.IntegerField(source="record_id")
    record_status = serializers.CharField(source="record.status")
    court = serializers.CharField(source="court.name")
    settlement = SettlementSerializer(source="*")
    creditor_consent = serializers.BooleanField()
    creditor = serializers.SerializerMethodField()
    commitment_document = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    pending_steps = serializers.SerializerMethodField()
    history = StatusChangeSerializer(many=True, source="history.all")
    created_at = serializers.DateTimeField()
    ended_on = serializers.DateField(allow_null=True)

    @extend_schema_field({"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}}})
    def get_creditor(self, case):
        return {"name": case.creditor_name, "email": case.creditor_email}

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_commitment_document(self, case):
        doc = case.commitment_document
        if doc is None:
            return None
        return {"id": str(doc.pk), "sha256": doc.sha256,
                "url": reverse("courts:commitment-pdf", args=[case.pk]), "verify_url": verification_url(doc.pk)}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "date"}})
    def get_deadlines(self, case):
        return {k: v.isoformat() for k, v in deadlines_of(case).items()}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_pending_steps(self, case):
        return selectors.pending_steps_of(case)


class PaymentInputSerializer(serializers.Serializer):
    instalment = serializers.IntegerField(help_text="分期的 id（见 settlement.instalments[].id）；本案没有该 id 时按期次（number）理解")
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class CourtReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class GrantInputSerializer(serializers.Serializer):
    new_due_date = serializers.DateField()
    reason = serializers.CharField()


class CorrectionInputSerializer(serializers.Serializer):
    statement = serializers.CharField()
    requested_correction = serializers.DictField(child=serializers.CharField(), required=False, default=dict)


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_no = serializers.CharField()
    query_code = serializers.CharField()
    listing = serializers.IntegerField(source="listing_id")
    status = serializers.ChoiceField(choices=CorrectionStatus.choices)
    statement = serializers.CharField()
    requested_correction = serializers.DictField()
    applied_correction = serializers.DictField()
    decision_reason = serializers.CharField()
    reconsideration_until = serializers.DateField(allow_null=True)
    reconsideration_reason = serializers.CharField()
    deadlines = serializers.SerializerMethodField()
    history = StatusChangeSerializer(many=True, source="history.all")

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "date"}})
    def get_deadlines(self, case):
        return {k: v.isoformat() for k, v in deadlines_of(case).items()}


class CorrectionReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["correct", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    corrections = serializers.DictField(child=serializers.CharField(), required=False, allow_null=True, default=None)


class ReconsiderSerializer(serializers.Serializer):
    statement = serializers.CharField()


class ReconsiderationDecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["corrected", "upheld"])
    reason = serializers.CharField()
    corrections = serializers.DictField(child=serializers.CharField(), required=False, allow_null=True, default=None)


# --------------------------------------------------------------------------- views


class _CourtView(APIView):
    permission_classes = [HasRole]
    allowed_roles = COURT


def _suspension(request, pk):
    case = selectors.suspension_for_court(request.user, pk)
    if case is None:
        raise NotFound()
    return case


def _listing(request, pk):
    listing = selectors.listing_for_court(request.user, pk)
    if listing is None:
        raise NotFound()
    return listing


class SuspensionListCreateView(generics.GenericAPIView):
    permission_classes = [HasRole]
    allowed_roles = COURT
    serializer_class = SuspensionSerializer

    def get_queryset(self):
        qs = selectors.suspensions_of_court(self.request.user)
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs

    @extend_schema(responses={200: SuspensionSerializer(many=True)}, operation_id="court_suspensions_list",
                   tags=["courts"])
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SuspensionSerializer(page, many=True).data)

    @extend_schema(request=SuspensionInputSerializer, responses={201: SuspensionSerializer}, tags=["courts"])
    def post(self, request):
        data = SuspensionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        creditor = v.get("creditor") or {}
        case = services.suspension_create(
            request.user, record=v["record"], agreement_no=v["settlement"]["agreement_no"],
            total_amount=v["settlement"]["total_amount"], instalments=v["settlement"]["instalments"],
            creditor_consent=v["creditor_consent"], commitment_document=v["commitment_document"],
            creditor_name=str(creditor.get("name") or ""), creditor_email=str(creditor.get("email") or ""),
        )
        case = selectors.suspension_for_court(request.user, case.pk)
        return Response(SuspensionSerializer(case).data, status=status.HTTP_201_CREATED)


class SuspensionDetailView(_CourtView):
    @extend_schema(responses={200: SuspensionSerializer}, tags=["courts"])
    def get(self, request, pk):
        return Response(SuspensionSerializer(_suspension(request, pk)).data)


class SuspensionPaymentView(_CourtView):
    @extend_schema(request=PaymentInputSerializer, responses={200: SuspensionSerializer}, tags=["courts"])
    def post(self, request, pk):
        case = _suspension(request, pk)
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.suspension_record_payment(request.user, case, **data.validated_data)
        return Response(SuspensionSerializer(_suspension(request, pk)).data)


class SuspensionResumeView(_CourtView):
    @extend_schema(request=CourtReasonSerializer, responses={200: SuspensionSerializer}, tags=["courts"])
    def post(self, request, pk):
        case = _suspension(request, pk)
        data = CourtReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.suspension_resume(request.user, case, reason=data.validated_data["reason"])
        return Response(SuspensionSerializer(_suspension(request, pk)).data)


class SuspensionCompleteView(_CourtView):
    @extend_schema(request=None, responses={200: SuspensionSerializer}, tags=["courts"])
    def post(self, request, pk):
        services.suspension_complete(request.user, _suspension(request, pk))
        return Response(SuspensionSerializer(_suspension(request, pk)).data)


class SuspensionGrantView(_CourtView):
    @extend_schema(request=GrantInputSerializer, responses={200: SuspensionSerializer}, tags=["courts"],
                   description="未按期履行后，法院给予宽展期限：案件回到 active。")
    def post(self, request, pk):
        case = _suspension(request, pk)
        data = GrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.suspension_grant(request.user, case, **data.validated_data)
        return Response(SuspensionSerializer(_suspension(request, pk)).data)


class CourtListingListCreateView(generics.GenericAPIView):
    permission_classes = [HasRole]
    allowed_roles = COURT
    serializer_class = CourtListingSerializer

    @extend_schema(responses={200: CourtListingSerializer(many=True)}, operation_id="court_listings_list",
                   tags=["courts"])
    def get(self, request):
        page = self.paginate_queryset(selectors.listings_of_court(request.user))
        return self.get_paginated_response(CourtListingSerializer(page, many=True).data)

    @extend_schema(request=CourtListingInputSerializer, responses={201: CourtListingSerializer}, tags=["courts"])
    def post(self, request):
        data = CourtListingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        listing = services.court_listing_file(request.user, **data.validated_data)
        return Response(CourtListingSerializer(selectors.listing_for_court(request.user, listing.pk)).data,
                        status=status.HTTP_201_CREATED)


class CourtListingDetailView(_CourtView):
    @extend_schema(responses={200: CourtListingSerializer}, tags=["courts"])
    def get(self, request, pk):
        return Response(CourtListingSerializer(_listing(request, pk)).data)


class CourtListingDeleteView(_CourtView):
    @extend_schema(request=DeletionInputSerializer, responses={200: CourtListingSerializer}, tags=["courts"])
    def post(self, request, pk):
        listing = _listing(request, pk)
        data = DeletionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.court_listing_delete(request.user, listing, **data.validated_data)
        return Response(CourtListingSerializer(_listing(request, pk)).data)


class CorrectionCreateView(APIView):
    permission_classes = [HasRole]
    allowed_roles = (Role.SUBJECT, Role.COURT)

    @extend_schema(request=CorrectionInputSerializer, responses={201: CorrectionSerializer}, tags=["courts"])
    def post(self, request, pk):
        listing = selectors.listing_for_debtor_or_court(request.user, pk)
        if listing is None:
            raise NotFound()
        data = CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.correction_file(request.user, listing, **data.validated_data)
        return Response(CorrectionSerializer(case).data, status=status.HTTP_201_CREATED)


def _correction(request, pk):
    case = selectors.correction_visible_to(request.user, pk)
    if case is None:
        raise NotFound()
    return case


class CorrectionDetailView(APIView):
    permission_classes = [HasRole]
    allowed_roles = (Role.SUBJECT, Role.COURT)

    @extend_schema(responses={200: CorrectionSerializer}, tags=["courts"])
    def get(self, request, pk):
        return Response(CorrectionSerializer(_correction(request, pk)).data)


class CorrectionReviewView(_CourtView):
    @extend_schema(request=CorrectionReviewSerializer, responses={200: CorrectionSerializer}, tags=["courts"])
    def post(self, request, pk):
        case = _correction(request, pk)
        data = CorrectionReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.correction_review(request.user, case, **data.validated_data)
        return Response(CorrectionSerializer(case).data)


class CorrectionReconsiderView(APIView):
    permission_classes = [HasRole]
    allowed_roles = (Role.SUBJECT, Role.COURT)

    @extend_schema(request=ReconsiderSerializer, responses={200: CorrectionSerializer}, tags=["courts"])
    def post(self, request, pk):
        case = _correction(request, pk)
        data = ReconsiderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.correction_reconsider(request.user, case, **data.validated_data)
        return Response(CorrectionSerializer(case).data)


class CorrectionReconsiderationDecisionView(_CourtView):
    @extend_schema(request=ReconsiderationDecisionSerializer, responses={200: CorrectionSerializer}, tags=["courts"])
    def post(self, request, pk):
        case = _correction(request, pk)
        data = ReconsiderationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.correction_decide_reconsideration(request.user, case, **data.validated_data)
        return Response(CorrectionSerializer(case).data)


# --------------------------------------------------------------------------- public case status (ZX)


def public_case(case_no: str, query_code: str):
    """The public status of a court suspension (ZX-…), or None (unknown number and wrong code alike)."""
    from creditrepair.courts.models import CourtSuspension, Instalment
    from creditrepair.workflow.status import public_case_body, public_case_row, status_outcome

    unpaid = Instalment.objects.filter(suspension=OuterRef("pk"), paid_amount__lt=F("amount")).order_by("due_date")
    row = public_case_row(CourtSuspension.objects, case_no, query_code,
                          next_due=Subquery(unpaid.values("due_date")[:1]))
    if row is None:
        return None
    ended = row["status"] in (SuspensionStatus.RESUMED, SuspensionStatus.COMPLETED)
    outcome = status_outcome(row, SuspensionStatus) if ended else None
    running = row["status"] in (SuspensionStatus.ACTIVE, SuspensionStatus.BREACH)
    return public_case_body(row, "court_suspension", SuspensionStatus, outcome,
                            next_instalment_due=row["next_due"] if running else None)
