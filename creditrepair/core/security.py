"""Web defaults that are not settings alone: login lockout (django-axes) and the staff idle timeout."""

import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import render
from django.utils.translation import gettext as _

from creditrepair.accounts.models import STAFF_ROLES

SESSION_LAST_SEEN_KEY = "staff_last_seen"


class RequestLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come with a request (the login page, the token endpoint).

    ``authenticate()`` without a request (management commands, the shell) is not a login from the network:
    it is left to the next backend instead of failing as axes would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page shown to a locked-out login (HTTP 429); the API token endpoint answers with its own envelope."""
    return render(request, "registration/locked_out.html",
                  {"cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}, status=429)


def is_staff_user(user) -> bool:
    """Department, court and operator users, and anyone allowed into the admin."""
    return bool(user.is_authenticated and (user.is_staff or getattr(user, "role", None) in STAFF_ROLES))


class StaffIdleTimeoutMiddleware:
    """Log out a staff user whose session saw no request for ``STAFF_SESSION_IDLE_SECONDS``.

    Subjects keep the ordinary session lifetime. Token-authenticated API calls carry no session and
    are not affected. Must come after the authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and is_staff_user(user):
            now = int(time.time())
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("长时间未操作，已自动退出登录，请重新登录。"))
            else:
                request.session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)
