from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import auth, notices, public, records

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token", auth.TokenView.as_view(), name="auth-token"),
    path("auth/me", auth.MeView.as_view(), name="auth-me"),
    path("records", records.RecordListCreateView.as_view(), name="records"),
    path("records/<int:pk>", records.RecordDetailView.as_view(), name="record-detail"),
    path("records/<int:pk>/obligations-fulfilled", records.ObligationsFulfilledView.as_view(),
         name="record-obligations-fulfilled"),
    path("records/<int:pk>/revoke-decision", records.RevokeDecisionView.as_view(), name="record-revoke-decision"),
    path("notices", notices.NoticeFeedView.as_view(), name="notices"),
    path("notices/<int:pk>/ack", notices.NoticeAckView.as_view(), name="notice-ack"),
    path("public/subjects/<str:code>/records", public.PublicSubjectRecordsView.as_view(),
         name="public-subject-records"),
]
