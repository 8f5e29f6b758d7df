"""Sign-in hardening around django-axes (settings: AXES_*; docs/security.md).

- `lockout_response`: what a locked-out user gets. JSON 429 in the API's error shape on
  /api/, the login page with a message elsewhere.
- `TokenLogin`: the API token endpoint. DRF's own view authenticates with its Request
  wrapper, so axes' lockout flag never reaches the middleware and a successful sign-in
  never fires `user_logged_in`; this view does both, so the token endpoint is locked
  and recorded exactly like the login page.
- `StaffLogin`: the login page, landing each user where they work.
"""

import logging

from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from config import navigation

logger = logging.getLogger("laborcase.signin")

LOCKED_OUT = "登录失败次数过多，该账号已被锁定30分钟。请稍后再试或联系系统管理员解锁。"


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_OUT}, status=429)
    return render(request, "registration/login.html", {"locked_out": LOCKED_OUT}, status=429)


class TokenLogin(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # Axes flags the request it was given: DRF's Request, which proxies reads
            # to the HttpRequest but keeps writes to itself.
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request._request)
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token.key})


token_login = TokenLogin.as_view()


class StaffLogin(LoginView):
    """The login page: a safe `next` the user may open, else the user's own home (the
    subsidy inbox for a reviewer, the command screen for the screen account, ...)."""

    def get_success_url(self):
        wanted = self.get_redirect_url()  # "" unless same host and scheme
        if wanted and navigation.may_open(self.request.user, wanted):
            return wanted
        return navigation.home_url(self.request.user)


staff_login = StaffLogin.as_view()
