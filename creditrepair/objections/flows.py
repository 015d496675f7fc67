"""The objection process in viewflow (open-source nodes only).

Viewflow decides who acts next; ``services`` applies every domain change
through ``creditrepair.workflow.gateway`` and this flow only routes::

    start → intake (operator: accept/refuse)
          → refused? end
          → platform_check (operator: does our copy differ from the source?)
                → differs: the operator corrected it at once → resolved
                → else: verification (recognising department; one extension) → resolved
    resolved → review window: either the subject requests 复核 (review_request → review by the operator)
                              or the window lapses (timer) → closed
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .models import Objection, ObjectionProcess, ObjectionStatus


def _case(activation) -> Objection:
    return Objection.objects.get(pk=activation.process.artifact_object_id)


class ObjectionFlow(flow.Flow):
    process_class = ObjectionProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("异议处理")

    start = flow.StartHandle(this.start_case).Next(this.intake)

    intake = flow.Handle().Annotation(title=_("受理")).Next(this.intake_result)
    intake_result = flow.If(this.is_accepted).Then(this.platform_check).Else(this.end_refused)

    platform_check = flow.Handle().Annotation(title=_("平台核对")).Next(this.platform_result)
    platform_result = flow.If(this.is_platform_corrected).Then(this.review_window).Else(this.verification)

    verification = flow.Handle().Annotation(title=_("认定单位核实")).Next(this.review_window)

    review_window = flow.SplitFirst().Next(this.review_request).Next(this.review_lapse)
    review_request = flow.Handle().Annotation(title=_("申请复核")).Next(this.review)
    review = flow.Handle().Annotation(title=_("复核")).Next(this.end)
    review_lapse = flow.Timer(this.review_window_closes).Next(this.close_unreviewed)
    close_unreviewed = flow.Function(this.close_case).Next(this.end_unreviewed)

    end = flow.End()
    end_unreviewed = flow.End()
    end_refused = flow.End()

    def start_case(self, activation, case, actor):
        activation.process.artifact = case
        return activation.process

    def is_accepted(self, activation):
        return _case(activation).status != ObjectionStatus.REFUSED

    def is_platform_corrected(self, activation):
        return _case(activation).platform_corrected

    def review_window_closes(self, activation):
        """The first moment after the last day on which 复核 may be requested."""
        from .selectors import review_request_until

        last_day = review_request_until(_case(activation))
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)

    def close_case(self, activation):
        from .services import objection_close_unreviewed

        objection_close_unreviewed(_case(activation))
