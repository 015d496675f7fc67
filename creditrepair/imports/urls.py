from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.imports_home, name="home"),
    path("template.csv", views.template_download, {"fmt": "csv"}, name="template-csv"),
    path("template.xlsx", views.template_download, {"fmt": "xlsx"}, name="template-xlsx"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/errors.csv", views.job_errors_csv, name="job-errors"),
]
