"""The partner feed: ``GET /api/v1/notices?since=<cursor>`` and ``POST /api/v1/notices/{id}/ack``."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from creditrepair.core.errors import InvalidInput
from creditrepair.records.delivery import notice_acknowledge, notice_payload
from creditrepair.records.models import NoticeStatus, PartnerNotice

from .permissions import STAFF, HasRole

FEED_LIMIT = 200


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    record = serializers.IntegerField()
    subject_code = serializers.CharField()
    decision_no = serializers.CharField()
    department = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    changed_at = serializers.DateTimeField()
    ack_due = serializers.DateField()
    status = serializers.ChoiceField(choices=NoticeStatus.choices)


class NoticeFeedSerializer(serializers.Serializer):
    results = NoticeSerializer(many=True)
    next_cursor = serializers.IntegerField(help_text="Pass as `since` to get the following notices.")


class NoticeFeedView(APIView):
    """Notices addressed to the caller's department as a joint-punishment partner, oldest first."""

    permission_classes = [HasRole]
    allowed_roles = STAFF

    @extend_schema(
        parameters=[OpenApiParameter("since", int, description="cursor: the last notice id already received")],
        responses={200: NoticeFeedSerializer},
        tags=["partners"],
    )
    def get(self, request):
        try:
            since = int(request.query_params.get("since", 0))
        except ValueError:
            raise InvalidInput(details={"since": ["cursor must be an integer"]}) from None
        notices = list(
            PartnerNotice.objects.filter(partner__department_id=request.user.department_id, id__gt=since)
            .select_related("record__subject", "record__department", "history")
            .order_by("id")[:FEED_LIMIT]
        )
        pending = [n.id for n in notices if n.status in (NoticeStatus.PENDING, NoticeStatus.FAILED)]
        if pending:
            PartnerNotice.objects.filter(id__in=pending).update(status=NoticeStatus.DELIVERED, delivered_at=timezone.now())
            for n in notices:
                if n.id in pending:
                    n.status = NoticeStatus.DELIVERED
        return Response(
            {"results": [notice_payload(n) for n in notices], "next_cursor": notices[-1].id if notices else since}
        )


class NoticeAckView(APIView):
    permission_classes = [HasRole]
    allowed_roles = STAFF

    @extend_schema(request=None, responses={200: NoticeSerializer}, tags=["partners"])
    def post(self, request, pk):
        notice = notice_acknowledge(pk, actor=request.user)
        return Response(notice_payload(notice))
