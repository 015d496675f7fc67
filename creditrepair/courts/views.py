"""The court's back-office pages: its listings and suspensions, with forms for each action."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from creditrepair.accounts.models import Role
from creditrepair.core.downloads import private_file_response
from creditrepair.core.errors import DomainError
from creditrepair.records.models import PublicationStatus
from creditrepair.records.transitions import Reason
from creditrepair.workflow.deadlines import deadlines_of
from creditrepair.workflow.models import Deadline

from . import selectors, services
from .forms import DeletionForm, GrantForm, ListingForm, PaymentForm, ReasonForm, SuspensionForm
from .models import CourtSuspension, SuspensionStatus


def _labelled(rows, status_labels, reason_labels=None):
    """History rows with readable labels for their statuses (and reasons)."""
    out = []
    for h in rows:
        h.from_label = status_labels.get(h.from_status, h.from_status) if h.from_status else "—"
        h.to_label = status_labels.get(h.to_status, h.to_status)
        if reason_labels is not None:
            h.reason_label = reason_labels.get(h.reason, h.reason)
        out.append(h)
    return out


def court_only(view):
    """Court staff only; anyone else gets 404 (the pages do not exist for them)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.COURT:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _error_text(exc: DomainError) -> str:
    parts = [str(exc.message)]
    for field, msgs in (exc.details or {}).items():
        if isinstance(msgs, dict):
            msgs = [f"{k}: {', '.join(map(str, v))}" for k, v in msgs.items()]
        if isinstance(msgs, list | tuple):
            parts.append(f"{field}: {'；'.join(map(str, msgs))}")
    return " ".join(p for p in parts if p)


@court_only
def home(request):
    """The court's desk: breach tasks first, then suspensions and listings, with their deadlines."""
    suspensions = list(selectors.suspensions_of_court(request.user)[:50])
    open_deadlines = {
        (d.case_id, d.step): d for d in Deadline.objects.filter(
            case_no__in=[s.case_no for s in suspensions], met_at__isnull=True)
    }
    for s in suspensions:
        s.open_deadline = open_deadlines.get((s.pk, "decide_breach"))
    listings = list(selectors.listings_of_court(request.user)[:50])
    corrections = list(selectors.corrections_of_court(request.user)[:20])
    return render(request, "courts/home.html", {
        "breaches": [s for s in suspensions if s.status == SuspensionStatus.BREACH],
        "suspensions": suspensions, "listings": listings, "corrections": corrections,
        "today": timezone.localdate(),
    })


@court_only
def listing_new(request):
    form = ListingForm(request.POST or None, initial={"decision_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            listing = services.court_listing_file(
                request.user,
                subject={"code": d["subject_code"], "name": d["subject_name"], "type": d["subject_type"]},
                decision_no=d["decision_no"], decision_date=d["decision_date"], summary=d["summary"],
                court_case_no=d["court_case_no"], executing_basis=d["executing_basis"], obligation=d["obligation"],
                ground=d["ground"], grace_months=d["grace_months"], extension_months=d["extension_months"],
                creditor_name=d["creditor_name"], creditor_email=d["creditor_email"],
                at_creditor_request=d["at_creditor_request"], restrictions=form.restrictions(),
            )
        except DomainError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("已纳入失信被执行人名单。"))
            return redirect("courts:listing", pk=listing.pk)
    return render(request, "courts/listing_form.html", {"form": form})


@court_only
def listing_detail(request, pk):
    listing = selectors.listing_for_court(request.user, pk)
    if listing is None:
        raise Http404
    suspension_form = SuspensionForm(request.POST or None)
    if request.method == "POST" and suspension_form.is_valid():
        d = suspension_form.cleaned_data
        try:
            case = services.suspension_create(
                request.user, record=listing.record, agreement_no=d["agreement_no"],
                total_amount=d["total_amount"], instalments=d["instalments"],
                creditor_consent=d["creditor_consent"],
            )
        except DomainError as exc:
            suspension_form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("已暂停信用惩戒：停止公示，限制消费措施已解除。"))
            return redirect("courts:suspension", pk=case.pk)
    return render(request, "courts/listing_detail.html", {
        "listing": listing, "record": listing.record,
        "suspensions": CourtSuspension.objects.filter(record=listing.record).order_by("-id"),
        "publication_history": _labelled(listing.record.history.order_by("id"), dict(PublicationStatus.choices),
                                         dict(Reason.choices)),
        "suspension_form": suspension_form, "deletion_form": DeletionForm(),
    })


@court_only
@require_POST
def listing_delete(request, pk):
    listing = selectors.listing_for_court(request.user, pk)
    if listing is None:
        raise Http404
    form = DeletionForm(request.POST)
    if form.is_valid():
        try:
            services.court_listing_delete(request.user, listing, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("失信信息已删除（屏蔽），历史记录保留。"))
    else:
        messages.error(request, _("请选择删除事由。"))
    return redirect("courts:listing", pk=pk)


def _suspension_or_404(request, pk):
    case = selectors.suspension_for_court(request.user, pk)
    if case is None:
        raise Http404
    return case


@court_only
def suspension_detail(request, pk):
    case = _suspension_or_404(request, pk)
    instalments = list(case.instalments.all())
    steps = selectors.pending_steps_of(case)
    return render(request, "courts/suspension_detail.html", {
        "case": case, "instalments": instalments, "steps": steps,
        "listing": getattr(case.record, "court_listing", None),
        "deadlines": deadlines_of(case),
        "history": _labelled(case.history.all(), dict(SuspensionStatus.choices)),
        "notices": case.creditor_notices.all(),
        "payment_form": PaymentForm(instalments=instalments), "resume_form": ReasonForm(), "grant_form": GrantForm(),
        "all_paid": all(i.is_paid for i in instalments),
    })


def _act(request, pk, action, form_class=None, success=""):
    case = _suspension_or_404(request, pk)
    form = None
    if form_class is not None:
        kwargs = {"instalments": list(case.instalments.all())} if form_class is PaymentForm else {}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            messages.error(request, "；".join(f"{form.fields[f].label if f in form.fields else ''} {', '.join(e)}"
                                             for f, e in form.errors.items()))
            return redirect("courts:suspension", pk=pk)
    try:
        action(case, form.cleaned_data if form else {})
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return redirect("courts:suspension", pk=pk)


@court_only
@require_POST
def suspension_payment(request, pk):
    return _act(request, pk, lambda case, d: services.suspension_record_payment(request.user, case, **d),
                PaymentForm, _("已登记付款。"))


@court_only
@require_POST
def suspension_resume(request, pk):
    return _act(request, pk, lambda case, d: services.suspension_resume(request.user, case, **d), ReasonForm,
                _("已恢复信用惩戒：恢复公示剩余期限，限制消费措施已恢复。"))


@court_only
@require_POST
def suspension_grant(request, pk):
    return _act(request, pk, lambda case, d: services.suspension_grant(request.user, case, **d), GrantForm,
                _("已给予宽展期限，继续监督履行。"))


@court_only
@require_POST
def suspension_complete(request, pk):
    return _act(request, pk, lambda case, d: services.suspension_complete(request.user, case), None,
                _("和解协议履行完毕，失信信息已删除。"))


@court_only
def commitment_pdf(request, pk):
    case = _suspension_or_404(request, pk)
    if case.commitment_document is None:
        raise Http404
    doc = case.commitment_document
    return private_file_response(doc.file.open("rb"), content_type="application/pdf",
                                 filename=f"{case.case_no}-commitment.pdf")
