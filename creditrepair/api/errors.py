"""One exception handler renders the contract's error body: ``{code, message, details}``."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from creditrepair.core.errors import DomainError

logger = logging.getLogger(__name__)

_DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", status.HTTP_401_UNAUTHORIZED),
    exceptions.AuthenticationFailed: ("not_authenticated", status.HTTP_401_UNAUTHORIZED),
    exceptions.PermissionDenied: ("forbidden", status.HTTP_403_FORBIDDEN),
    exceptions.NotFound: ("not_found", status.HTTP_404_NOT_FOUND),
    exceptions.MethodNotAllowed: ("method_not_allowed", status.HTTP_405_METHOD_NOT_ALLOWED),
    exceptions.NotAcceptable: ("not_acceptable", status.HTTP_406_NOT_ACCEPTABLE),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", status.HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    exceptions.Throttled: ("rate_limited", status.HTTP_429_TOO_MANY_REQUESTS),
    exceptions.ParseError: ("invalid", status.HTTP_400_BAD_REQUEST),
}


def _field_details(detail):
    """DRF's nested error detail → field → list of messages (nested fields dotted)."""
    if isinstance(detail, dict):
        out = {}
        for field, value in detail.items():
            nested = _field_details(value)
            if isinstance(nested, dict):
                out.update({f"{field}.{k}": v for k, v in nested.items()})
            else:
                out[field] = nested
        return out
    if isinstance(detail, list):
        if detail and all(isinstance(item, dict) for item in detail):
            out = {}
            for index, item in enumerate(detail):
                out.update({f"{index}.{k}": v for k, v in _field_details(item).items()})
            return out
        return [str(item) for item in detail]
    return [str(detail)]


def error_body(code, message, details=None):
    return {"code": code, "message": str(message), "details": details or {}}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_body(), status=exc.status)
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database went away mid-request: the transaction was rolled back, nothing half-written.
        logger.error("Database unavailable during %s", context.get("request") and context["request"].path,
                     exc_info=exc)
        return Response(error_body("service_unavailable", _("服务暂时不可用，请稍后重试。")), status=503,
                        headers={"Retry-After": "30"})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        details = _field_details(exc.detail)
        if isinstance(details, list):
            details = {"non_field_errors": details}
        return Response(error_body("invalid", _("输入有误，请检查后重试。"), details), status=400)
    for exc_class, (code, http_status) in _DRF_CODES.items():
        if isinstance(exc, exc_class):
            headers = {}
            if isinstance(exc, exceptions.Throttled) and exc.wait:
                headers["Retry-After"] = str(int(exc.wait))
            message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
            return Response(error_body(code, message), status=http_status, headers=headers)
    if isinstance(exc, exceptions.APIException):
        return Response(error_body(exc.default_code, str(exc.detail)), status=exc.status_code)
    return None


@csrf_exempt  # it changes nothing; CSRF must not answer first with an HTML 403
def not_found_view(request, *args, **kwargs):
    """Any URL under ``/api/v1/`` that names no endpoint (e.g. ``/repairs/abc``): the envelope, not an HTML page."""
    from django.http import JsonResponse

    return JsonResponse(error_body("not_found", _("未找到。")), status=404)
