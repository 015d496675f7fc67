"""``POST /api/v1/auth/token`` and ``GET /api/v1/auth/me``."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from creditrepair.core.errors import DomainError


class LoginFailed(DomainError):
    status = 401
    code = "not_authenticated"


class LoginLocked(DomainError):
    status = 429
    code = "rate_limited"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    subject = CodeNameSerializer(allow_null=True)
    department = CodeNameSerializer(allow_null=True)


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, tags=["auth"])
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None and getattr(request, "axes_locked_out", False):
            # django-axes: too many failures for this username from this address (settings.AXES_*).
            raise LoginLocked(_("登录失败次数过多，请稍后再试。"))
        if user is None or not user.is_active:
            raise LoginFailed(_("用户名或密码错误。"))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer}, tags=["auth"])
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.get_username(),
                "role": user.role,
                "subject": {"code": user.subject.code, "name": user.subject.name} if user.subject_id else None,
                "department": (
                    {"code": user.department.code, "name": user.department.name} if user.department_id else None
                ),
            }
        )
