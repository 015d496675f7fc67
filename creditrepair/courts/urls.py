from django.urls import path

from . import views

app_name = "courts"

urlpatterns = [
    path("", views.home, name="home"),
    path("listings/new/", views.listing_new, name="listing-new"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/delete/", views.listing_delete, name="listing-delete"),
    path("suspensions/<int:pk>/", views.suspension_detail, name="suspension"),
    path("suspensions/<int:pk>/payments/", views.suspension_payment, name="suspension-payment"),
    path("suspensions/<int:pk>/resume/", views.suspension_resume, name="suspension-resume"),
    path("suspensions/<int:pk>/grant/", views.suspension_grant, name="suspension-grant"),
    path("suspensions/<int:pk>/complete/", views.suspension_complete, name="suspension-complete"),
    path("suspensions/<int:pk>/commitment.pdf", views.commitment_pdf, name="commitment-pdf"),
]
