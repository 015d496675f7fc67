"""A database that goes away mid-request answers 503, not a 500 with a stack trace.

The view's transaction was rolled back with the connection, so nothing is half-written; the user is told
to try again. API paths get the contract's envelope (the DRF handler does the same for API views), pages
a plain error page.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable during %s", request.path, exc_info=exception)
        message = _("服务暂时不可用，请稍后重试。")
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "service_unavailable", "message": message, "details": {}}, status=503)
        else:
            title = escape(_("服务暂时不可用"))
            response = HttpResponse(
                f'<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><h1>{title}</h1><p>{escape(message)}</p></body></html>",
                status=503, content_type="text/html; charset=utf-8",
            )
        response["Retry-After"] = "30"
        return response
