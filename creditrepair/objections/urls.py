from django.urls import path

from . import views

app_name = "objections"

urlpatterns = [
    path("objections/", views.objection_list, name="list"),
    path("objections/new/", views.objection_new, name="new"),
    path("objections/<int:pk>/", views.objection_detail, name="detail"),
    path("objections/<int:pk>/act/<str:action>/", views.objection_act, name="act"),
    path("objections/<int:pk>/documents/<uuid:document_id>/", views.document_download, name="document"),
    path("objections/<int:pk>/evidence/<uuid:evidence_id>/", views.evidence_download, name="evidence"),
    path("staff/objections/", views.staff_list, name="staff-list"),
    path("staff/objections/<int:pk>/", views.staff_detail, name="staff-detail"),
]
