"""Sign-in hardening around django-axes and django-rest-knox (settings: AXES_*, REST_KNOX;
docs/security.md).

- `lockout_response`: what a locked-out user gets. JSON 429 in the API's error shape on
  /api/, the login page with a message elsewhere.
- `SignInRateLimit`: attempts per client address on every sign-in path (login page,
  admin login, API token), refused before the password is hashed.
- `TokenLogin`: the API token endpoint. DRF's Request wrapper keeps axes' lockout flag
  from the middleware and a plain DRF view would not fire `user_logged_in`; this view
  does both, so the token endpoint is locked and recorded exactly like the login page.
  The token is a knox token: only its digest is stored, and it expires (REST_KNOX).
- `TokenLogout`: revokes all of the caller's tokens.
- Every token of a user goes on logout (page or API), a password change and
  deactivation: config.tokens.
- `StaffLogin`: the login page, landing each user where they work.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import get_token_model
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config import navigation
from config.tokens import tokens_revoke
from core.throttling import PublicRateThrottle

LOCKED_OUT = (
    "登录失败次数过多，该账号在您所在的网络已被暂停登录30分钟。请稍后再试或联系系统管理员解锁。"
)
SIGNIN_THROTTLED = "登录尝试过于频繁，请在{wait}秒后再试。"


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_OUT}, status=429)
    return render(request, "registration/login.html", {"locked_out": LOCKED_OUT}, status=429)


class _SignInScope:
    throttle_scope = "signin"


class SignInRateLimit:
    """Counts sign-in attempts (POSTs to the sign-in paths) per client address, in the
    throttle cache, and answers 429 past LABORCASE_THROTTLE_SIGNIN. Placed before axes and
    the views, so a refused attempt costs no password hashing and no lockout count."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = {reverse("login"), reverse("admin:login"), reverse("api-token")}

    def __call__(self, request):
        if request.method == "POST" and request.path in self.paths:
            throttle = PublicRateThrottle()
            if not throttle.allow_request(request, _SignInScope()):
                wait = int(throttle.wait() or 60) + 1
                message = SIGNIN_THROTTLED.format(wait=wait)
                if request.path.startswith("/api/"):
                    response = JsonResponse({"detail": message}, status=429)
                else:
                    response = render(
                        request, "registration/login.html", {"locked_out": message}, status=429
                    )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)


class TokenLogin(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer(
            "TokenOutput", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
        ),
    )
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # Axes flags the request it was given: DRF's Request, which proxies reads
            # to the HttpRequest but keeps writes to itself.
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request._request)
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        instance, token = get_token_model().objects.create(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token, "expiry": instance.expiry})


class TokenLogout(APIView):
    """Signs out of the API: every token of the caller stops working (other devices too)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        user = request.user
        user_logged_out.send(sender=user.__class__, request=request._request, user=user)
        tokens_revoke(user=user)  # the receiver does this too; here for a session caller
        return Response(status=status.HTTP_204_NO_CONTENT)


token_login = TokenLogin.as_view()
token_logout = TokenLogout.as_view()


class StaffLogin(LoginView):
    """The login page: a safe `next` the user may open, else the user's own home (the
    subsidy inbox for a reviewer, the command screen for the screen account, ...)."""

    def get_success_url(self):
        wanted = self.get_redirect_url()  # "" unless same host and scheme
        if wanted and navigation.may_open(self.request.user, wanted):
            return wanted
        return navigation.home_url(self.request.user)


staff_login = StaffLogin.as_view()
