from django.urls import path

from . import views

app_name = "repairs"

urlpatterns = [
    path("after-login/", views.after_login, name="after-login"),
    path("me/", views.my_credit, name="me"),
    path("repairs/", views.repair_list, name="list"),
    path("repairs/new/", views.repair_new, name="new"),
    path("repairs/<int:pk>/", views.repair_detail, name="detail"),
    path("repairs/<int:pk>/sign/<str:kind>/", views.commitment_sign, name="sign"),
    path("repairs/<int:pk>/act/<str:action>/", views.repair_act, name="act"),
    path("repairs/<int:pk>/documents/<uuid:document_id>/", views.document_download, name="document"),
    path("repairs/<int:pk>/materials/<uuid:material_id>/", views.material_download, name="material"),
    path("staff/repairs/", views.staff_list, name="staff-list"),
    path("staff/repairs/<int:pk>/", views.staff_detail, name="staff-detail"),
]
