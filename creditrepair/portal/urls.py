from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import stats_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.public_lookup, name="public-lookup"),
    path("status/", views.case_status, name="case-status"),
    path("verify/", views.verify_upload_page, name="verify-upload"),
    path("stats/", stats_views.statistics_page, name="statistics"),
    path("stats/export.csv", stats_views.statistics_csv, name="statistics-csv"),
    # Printed in every signed PDF's QR code: never move it.
    path("verify/<uuid:document_id>/", views.verify_document_page, name="verify-document"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("creditrepair.objections.urls")),
    path("", include("creditrepair.repairs.urls")),
    path("court/", include("creditrepair.courts.urls")),
    path("imports/", include("creditrepair.imports.urls")),
]
