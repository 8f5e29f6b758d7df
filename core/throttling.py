"""Per-IP rate limits for the public endpoints and pages, that keep working when the
cache is down.

The counters live in Redis in production. A worker's complaint matters more than a rate
limit, so when Redis cannot be reached the request is let through and the outage logged.
"""

import functools
import logging

from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle

from config.client_address import client_address

logger = logging.getLogger(__name__)


class PublicRateThrottle(ScopedRateThrottle):
    def get_ident(self, request):
        # DRF's own reading of X-Forwarded-For (NUM_PROXIES, set to the same number)
        # would give the same answer; one function keeps the throttles, the sign-in
        # lockout and the access record on one address.
        return client_address(request)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # redis-py raises several unrelated classes for one outage
            logger.warning("rate limit cache unreachable; request allowed", exc_info=True)
            return True


class _Scope:
    def __init__(self, scope):
        self.throttle_scope = scope


def rate_limited(scope: str, methods=("GET", "POST")):
    """The API's throttle scopes for a Django view: same counters, same fail-open."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                throttle = PublicRateThrottle()
                if not throttle.allow_request(request, _Scope(scope)):
                    wait = throttle.wait() or 60
                    return render(
                        request,
                        "portal/throttled.html",
                        {"wait": int(wait) + 1},
                        status=429,
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
