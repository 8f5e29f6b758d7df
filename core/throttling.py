"""Per-IP rate limits for the public endpoints that keep working when the cache is down.

The counters live in Redis in production. A worker's complaint matters more than a rate
limit, so when Redis cannot be reached the request is let through and the outage logged.
"""

import logging

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
