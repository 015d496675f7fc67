"""The app's URLs plus the bare baselines: plain Django views returning the same rows as JSON."""

from django.db.models import F
from django.http import Http404, JsonResponse
from django.urls import path

from creditrepair.urls import urlpatterns as app_urlpatterns


def bare_subject_records(request, code):
    """Baseline of ``/api/v1/public/subjects/{code}/records``: the same page of rows, no DRF, no audit."""
    from creditrepair.records.models import Record

    qs = Record.objects.filter(subject__code=code.strip().upper(), status="published").exclude(
        subject__type="natural_person", category__in=["admin_penalty", "serious_list", "abnormal_list", "other"]
    )
    rows = list(
        qs.order_by("-decision_date", "-id").values(
            "id", "category", "severity", "decision_no", "decision_date", "summary", "max_until", "min_until",
            "published_from", "objection_pending", subject_code=F("subject__code"), subject_name=F("subject__name"),
            subject_type=F("subject__type"), department_name=F("department__name"),
        )[:20]
    )
    return JsonResponse({"count": qs.count(), "results": rows})


def bare_case_status(request, case_no):
    """Baseline of ``/api/v1/public/cases/{case_no}``: the case, its timeline and open deadlines."""
    from creditrepair.repairs.models import RepairCase, RepairStatusChange
    from creditrepair.workflow.models import Deadline

    case = (
        RepairCase.objects.filter(case_no=case_no, query_code=request.GET.get("query_code", ""))
        .values("id", "case_no", "status", "decided_at", subject_code=F("subject__code"),
                subject_name=F("subject__name"), subject_type=F("subject__type"))
        .first()
    )
    if case is None:
        raise Http404
    case["timeline"] = list(RepairStatusChange.objects.filter(case_id=case["id"]).order_by("id").values("to_status", "at"))
    case["next_steps"] = list(
        Deadline.objects.filter(case_no=case_no, met_at__isnull=True).order_by("due_on", "id")
        .values("step", "due_on", responsible_name=F("responsible__name"))
    )
    return JsonResponse(case)


urlpatterns = [
    path("bench/bare/subjects/<str:code>/records", bare_subject_records),
    path("bench/bare/cases/<str:case_no>", bare_case_status),
    *app_urlpatterns,
]
