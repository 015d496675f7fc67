"""Serializers the case areas of the API share: a case's signed documents and its status history.

They are described in comments, not docstrings: a docstring would become the component's description in the
published schema (docs/openapi.yaml), which keeps the names and text contract v1 gave them.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from creditrepair.documents.services import verification_url


def absolute_uri(context, path: str) -> str:
    """``path`` as an absolute URL when the serializer's context has the request, else as it is."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


# A signed PDF of a case. ``url`` downloads it: by default through ``GET /documents/{id}/download``; an area whose
# documents are downloaded elsewhere passes ``context["document_path"]`` (document → path). The URL is absolute
# when the request is in the context.
@extend_schema_serializer(component_name="RepairDocument")
class CaseDocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    sha256 = serializers.CharField()
    issued_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document) -> str:
        document_path = self.context.get("document_path")
        path = document_path(document) if document_path else reverse("api:document-download", args=[document.pk])
        return absolute_uri(self.context, path)

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, document) -> str:
        return verification_url(document.pk)


# One status change of a case (its ``history`` rows): the status reached, when, by whom, and the note.
@extend_schema_serializer(component_name="RepairTimelineEntry")
class TimelineEntrySerializer(serializers.Serializer):
    status = serializers.CharField(source="to_status")
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    note = serializers.CharField()
