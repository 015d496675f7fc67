from rest_framework.permissions import BasePermission

from creditrepair.accounts.models import Role


class HasRole(BasePermission):
    """Allow only authenticated users whose role is in the view's ``allowed_roles``."""

    def has_permission(self, request, view):
        roles = getattr(view, "allowed_roles", None)
        user = request.user
        return bool(user and user.is_authenticated and (roles is None or user.role in roles))


STAFF = (Role.DEPARTMENT, Role.COURT, Role.OPERATOR)
RECOGNISING = (Role.DEPARTMENT, Role.COURT)
