"""``GET /api/v1/public/documents/{id}/verify``: is a PDF genuine?"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from creditrepair.documents.models import DocumentKind
from creditrepair.documents.selectors import document_for_public

from .public import PublicView


class DocumentVerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    case_no = serializers.CharField()
    sha256 = serializers.CharField()
    issued_at = serializers.DateTimeField()
    signature_ok = serializers.BooleanField(help_text="平台电子签章是否校验通过")


class PublicDocumentVerifyView(PublicView):
    serializer_class = DocumentVerificationSerializer

    @extend_schema(responses={200: DocumentVerificationSerializer}, tags=["public"])
    def get(self, request, document_id):
        return Response(DocumentVerificationSerializer(document_for_public(document_id).as_contract()).data)
