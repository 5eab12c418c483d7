"""Micro-caching of API lists: the same user asking for the same list again within a few
seconds gets the answer computed for them moments ago, instead of counting, reading and
serializing a page again (a client polling a list, a phone refreshing).

- Per account: the key holds the user, role, jurisdiction, language and the full URL, so
  an answer is never served to anyone else and scoping and masking hold as computed.
- Fresh for ``API_LIST_CACHE_SECONDS`` (0 turns it off; the tests run with 0).
- ``Cache-Control: no-cache`` (or ``Pragma: no-cache``) from the client asks for a fresh
  answer, as HTTP says.
- Read your own writes: after a user's own successful change (any unsafe request, pages
  included, see ``RecentWriteMiddleware``), their lists are computed fresh until any
  answer cached before the change has expired. Other users' changes show within the TTL.
- Only JSON answers with status 200 are kept.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

PREFIX = "api-list"


def seconds() -> int:
    return max(0, int(getattr(settings, "API_LIST_CACHE_SECONDS", 0)))


class CachedAnswer(Exception):
    """Raised in ``initial`` to skip the handler; the viewset answers with ``response``."""

    def __init__(self, response):
        super().__init__("cached")
        self.response = response


def _wrote_key(user_pk) -> str:
    return f"{PREFIX}:wrote:{user_pk}"


def _key(request) -> str | None:
    user = request.user
    if not seconds() or not user.is_authenticated or request.method != "GET":
        return None
    if getattr(request, "accepted_renderer", None) is None or request.accepted_renderer.format != "json":
        return None
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{PREFIX}:{user.pk}:{user.role}:{user.region_id}:{translation.get_language()}:{url}"


def _asks_fresh(request) -> bool:
    asked = request.headers.get("Cache-Control", "") + request.headers.get("Pragma", "")
    return "no-cache" in asked or "no-store" in asked


def lookup(request) -> HttpResponse | None:
    """The answer kept for this request, or None."""
    key = _key(request)
    if key is None or _asks_fresh(request):
        return None
    wrote = _wrote_key(request.user.pk)
    found = cache.get_many([key, wrote])  # one round trip to a shared cache
    kept = found.get(key)
    if kept is None or wrote in found:
        return None
    content, content_type, stored_at = kept
    response = HttpResponse(content, content_type=content_type)
    response["Age"] = str(max(0, int(time.time() - stored_at)))
    response["X-List-Cache"] = "hit"
    return response


def keep(request, response) -> None:
    """Keep a fresh 200 JSON answer once it is rendered."""
    key = _key(request)
    if key is None or response.status_code != 200 or getattr(response, "exception", False):
        return
    ttl = seconds()

    def store(rendered):
        cache.set(key, (rendered.content, rendered["Content-Type"], time.time()), ttl)

    response["X-List-Cache"] = "miss"
    response.add_post_render_callback(store)


def note_write(user) -> None:
    """The user changed something: serve them fresh lists until older answers expire."""
    if seconds() and user is not None and user.is_authenticated:
        # twice the TTL: an answer computed while the change was being made, and kept just
        # after it, must expire before the mark does
        cache.set(_wrote_key(user.pk), 1, 2 * seconds())


class RecentWriteMiddleware:
    """Marks a user who made a successful change, for ``lookup``'s read-your-writes rule.

    Placed after authentication; DRF puts its own user (a token's) on the request too."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE and response.status_code < 400:
            note_write(getattr(request, "user", None))
        return response
