"""URLs for the task-page tests only: the project's URLs plus RepairFlow's viewflow views."""

from django.urls import path
from viewflow.workflow.flow.viewset import FlowViewset

from creditrepair.repairs.flows import RepairFlow
from creditrepair.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("flows/repair/", FlowViewset(RepairFlow).urls)]
