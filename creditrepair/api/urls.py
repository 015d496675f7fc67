"""The integration interface v1 under /api/v1/, grouped by area; paths and names are the contract."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import auth, courts, notices, objections, public, records, repairs
from . import documents as document_views
from .errors import not_found_view

app_name = "api"

urlpatterns = [
    # Authentication.
    path("auth/token", auth.TokenView.as_view(), name="auth-token"),
    path("auth/me", auth.MeView.as_view(), name="auth-me"),
    # Records: created and corrected by their department (or court).
    path("records", records.RecordListCreateView.as_view(), name="records"),
    path("records/<int:pk>", records.RecordDetailView.as_view(), name="record-detail"),
    path("records/<int:pk>/obligations-fulfilled", records.ObligationsFulfilledView.as_view(),
         name="record-obligations-fulfilled"),
    path("records/<int:pk>/revoke-decision", records.RevokeDecisionView.as_view(), name="record-revoke-decision"),
    # Repairs (信用修复): repairability of a record, the cases, their actions and material downloads.
    path("records/<int:pk>/repairability", repairs.RepairabilityView.as_view(), name="record-repairability"),
    path("repairs", repairs.RepairListCreateView.as_view(), name="repairs"),
    path("repairs/<int:pk>", repairs.RepairDetailView.as_view(), name="repair-detail"),
    path("repairs/<int:pk>/commitment", repairs.CommitmentView.as_view(), name="repair-commitment"),
    path("repairs/<int:pk>/materials", repairs.MaterialsView.as_view(), name="repair-materials"),
    path("repairs/<int:pk>/materials/<uuid:material_id>", repairs.MaterialDownloadView.as_view(),
         name="repair-material-download"),
    path("repairs/<int:pk>/training", repairs.TrainingView.as_view(), name="repair-training"),
    path("repairs/<int:pk>/submit", repairs.SubmitView.as_view(), name="repair-submit"),
    path("repairs/<int:pk>/accept", repairs.AcceptView.as_view(), name="repair-accept"),
    path("repairs/<int:pk>/refuse", repairs.RefuseView.as_view(), name="repair-refuse"),
    path("repairs/<int:pk>/interview", repairs.InterviewView.as_view(), name="repair-interview"),
    path("repairs/<int:pk>/extend", repairs.ExtendView.as_view(), name="repair-extend"),
    path("repairs/<int:pk>/approve", repairs.ApproveView.as_view(), name="repair-approve"),
    path("repairs/<int:pk>/deny", repairs.DenyView.as_view(), name="repair-deny"),
    path("repairs/<int:pk>/revoke", repairs.RevokeView.as_view(), name="repair-revoke"),
    path("repairs/<int:pk>/withdraw", repairs.WithdrawView.as_view(), name="repair-withdraw"),
    # Objections (异议处理): the contract's endpoints plus /platform-check and /review-decision.
    path("objections", objections.ObjectionListCreateView.as_view(), name="objections"),
    path("objections/<int:pk>", objections.ObjectionDetailView.as_view(), name="objection-detail"),
    path("objections/<int:pk>/evidence", objections.EvidenceView.as_view(), name="objection-evidence"),
    path("objections/<int:pk>/accept", objections.AcceptView.as_view(), name="objection-accept"),
    path("objections/<int:pk>/refuse", objections.RefuseView.as_view(), name="objection-refuse"),
    path("objections/<int:pk>/platform-check", objections.PlatformCheckView.as_view(),
         name="objection-platform-check"),
    path("objections/<int:pk>/extend", objections.ExtendView.as_view(), name="objection-extend"),
    path("objections/<int:pk>/resolve", objections.ResolveView.as_view(), name="objection-resolve"),
    path("objections/<int:pk>/review", objections.ReviewView.as_view(), name="objection-review"),
    path("objections/<int:pk>/review-decision", objections.ReviewDecisionView.as_view(),
         name="objection-review-decision"),
    # Courts (法院): the contract's court suspensions plus listings, deletion and correction requests.
    path("court-suspensions", courts.SuspensionListCreateView.as_view(), name="court-suspensions"),
    path("court-suspensions/<int:pk>", courts.SuspensionDetailView.as_view(), name="court-suspension-detail"),
    path("court-suspensions/<int:pk>/payments", courts.SuspensionPaymentView.as_view(),
         name="court-suspension-payments"),
    path("court-suspensions/<int:pk>/resume", courts.SuspensionResumeView.as_view(), name="court-suspension-resume"),
    path("court-suspensions/<int:pk>/complete", courts.SuspensionCompleteView.as_view(),
         name="court-suspension-complete"),
    path("court-suspensions/<int:pk>/grant", courts.SuspensionGrantView.as_view(), name="court-suspension-grant"),
    path("court-listings", courts.CourtListingListCreateView.as_view(), name="court-listings"),
    path("court-listings/<int:pk>", courts.CourtListingDetailView.as_view(), name="court-listing-detail"),
    path("court-listings/<int:pk>/delete", courts.CourtListingDeleteView.as_view(), name="court-listing-delete"),
    path("court-listings/<int:pk>/corrections", courts.CorrectionCreateView.as_view(),
         name="court-listing-corrections"),
    path("court-corrections/<int:pk>", courts.CorrectionDetailView.as_view(), name="court-correction-detail"),
    path("court-corrections/<int:pk>/review", courts.CorrectionReviewView.as_view(), name="court-correction-review"),
    path("court-corrections/<int:pk>/reconsider", courts.CorrectionReconsiderView.as_view(),
         name="court-correction-reconsider"),
    path("court-corrections/<int:pk>/reconsideration-decision", courts.CorrectionReconsiderationDecisionView.as_view(),
         name="court-correction-reconsideration-decision"),
    # Public (no authentication, throttled): published records, case status, document verification.
    path("public/subjects/<str:code>/records", public.PublicSubjectRecordsView.as_view(),
         name="public-subject-records"),
    path("public/cases/<str:case_no>", public.PublicCaseView.as_view(), name="public-case"),
    path("public/documents/<uuid:document_id>/verify", document_views.PublicDocumentVerifyView.as_view(),
         name="public-document-verify"),
    # Partners: the feed of publication changes (notices) and its acknowledgements.
    path("notices", notices.NoticeFeedView.as_view(), name="notices"),
    path("notices/<int:pk>/ack", notices.NoticeAckView.as_view(), name="notice-ack"),
    # Documents: a case's signed PDF, to those who may see the case.
    path("documents/<uuid:pk>/download", repairs.DocumentDownloadView.as_view(), name="document-download"),
    # The schema and its Swagger UI (the split view serves its init script as a file: no inline script under the CSP).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Keep this last: an unknown URL under /api/v1/ answers 404 with the contract's envelope, not an HTML page.
    re_path(r"^", not_found_view, name="not-found"),
]
