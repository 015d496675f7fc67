"""Public endpoints: no authentication, throttled, projections of public fields only."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

from creditrepair.records.selectors import public_records_of_subject
from creditrepair.registry.selectors import subject_public_view

from .records import PublicitySerializer


class PublicSubjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()


class PublicRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.SerializerMethodField()
    category = serializers.CharField()
    severity = serializers.CharField()
    decision_no = serializers.CharField()
    department = serializers.CharField(source="department.name")
    decision_date = serializers.DateField()
    summary = serializers.CharField()
    publicity = PublicitySerializer(source="*")
    objection_pending = serializers.BooleanField()

    @extend_schema_field(PublicSubjectSerializer)
    def get_subject(self, record) -> dict:
        return subject_public_view(record.subject)


class PublicView(generics.GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"


class PublicSubjectRecordsView(PublicView):
    serializer_class = PublicRecordSerializer

    @extend_schema(tags=["public"])
    def get(self, request, code):
        page = self.paginate_queryset(public_records_of_subject(code.strip().upper()))
        return self.get_paginated_response(PublicRecordSerializer(page, many=True).data)
