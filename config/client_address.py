"""The client's address: one answer for rate limits, sign-in lockout and access records.

`X-Forwarded-For` is believed for exactly as many hops as there are trusted proxies in
front of the application (`LABORCASE_TRUSTED_PROXIES`, 0 by default: the peer's own
address). With one proxy (docker-compose: nginx, which *sets* the header to the
address it saw rather than appending to what the client sent) the last entry is the
client. Whatever a client writes into the header itself sits to the left of what the
proxies added and is never read, so changing it changes nothing.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The address of the party that opened the connection to the first trusted proxy
    (or to us, with none). Works for an HttpRequest and for DRF's Request wrapper."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or ""
    proxies = settings.LABORCASE_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        # A request that did not pass the proxy (a health check from inside the network).
        return remote
    # The proxies each added one entry at the right: the client is `proxies` from the
    # end. Fewer entries than proxies means the nearest ones did not add theirs; the
    # leftmost is then the furthest anyone can see.
    candidate = hops[-min(proxies, len(hops))]
    return candidate if _is_address(candidate) else remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
