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

A client that sends a token (``Authorization: Token …``) is served its repeated lists
before anything else runs (``TokenAnswerMiddleware``): one round trip to the cache, no
URL resolution, no DRF, no database. Such an answer is served only while the token's
stamp (organization.api.authentication) is the one it was computed under: the stamp is
made when the token is checked against the database and dropped with the remembered
token, so the answer is trusted exactly as long and as far as the token is (a deleted
token, a deactivated or moved account, changed permissions and the user's own write all
drop it at once).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

from . import authentication

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
    # request.headers on both Django's and DRF's request
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
    stamp = getattr(request.auth, "answer_stamp", None)
    if stamp is not None and request.auth.key == _token_of(request):
        # authenticated by the token the header names (not a session beside it): the
        # middleware keeps the answer, with every header, for that token
        request._request.token_answer_stamp = stamp


def note_write(user) -> None:
    """The user changed something: serve them fresh lists until older answers expire."""
    if seconds() and user is not None and user.is_authenticated:
        # twice the TTL: an answer computed while the change was being made, and kept just
        # after it, must expire before the mark does
        cache.set(_wrote_key(user.pk), 1, 2 * seconds())
        if authentication.seconds():
            authentication.forget_user(user.pk)  # and the answers kept for their tokens


def _token_of(request) -> str | None:
    kind, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() or None if kind.lower() == "token" else None


def _token_answer_keys(request) -> tuple[str, str] | None:
    """(stamp key, answer key) for a token's GET of an API list, or None when it may not be kept for the token."""
    if request.method != "GET" or not request.path.startswith(API_PREFIX):
        return None
    if not seconds() or not authentication.seconds():
        return None
    token = _token_of(request)
    if token is None or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # with a session beside it DRF authenticates the session, not the token
    token_digest = authentication.digest(token)
    # everything the answer depends on besides the token: URL, negotiated format, chosen language
    asked = "\n".join(
        (
            request.get_full_path(),
            request.headers.get("Accept", ""),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        )
    )
    answer = f"{PREFIX}:token:{token_digest}:{hashlib.sha256(asked.encode()).hexdigest()}"
    return authentication.stamp_key(token_digest), answer


API_PREFIX = "/api/"
UNKEPT_HEADERS = frozenset({"age", "x-list-cache", "set-cookie"})
# Paths (without the query) a list answer was kept for in this process: only they are looked
# up early, so that a record's GET pays no cache round trip that could never hit. Bounded:
# list routes are few; paths beyond the bound are simply not served early.
LIST_PATHS_KEPT: set[str] = set()
LIST_PATHS_MAX = 1000


class TokenAnswerMiddleware:
    """Serves a token client's repeated API list from the cache before the rest of the
    stack runs, and keeps the answers the list views mark for it (with the headers the
    inner middleware added). Placed just inside SecurityMiddleware and WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        keys = _token_answer_keys(request)
        if keys is None:
            return self.get_response(request)
        stamp_key, answer_key = keys
        # asked fresh: computed by the view, and the fresh answer replaces the one kept
        early = request.path in LIST_PATHS_KEPT and not _asks_fresh(request)
        found = cache.get_many(keys) if early else {}  # one round trip
        kept, stamp = found.get(answer_key), found.get(stamp_key)
        if kept is not None and stamp is not None and kept[0] == stamp:
            _, content, headers, stored_at = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["Age"] = str(max(0, int(time.time() - stored_at)))
            response["X-List-Cache"] = "hit"
            return response
        response = self.get_response(request)
        stamp = getattr(request, "token_answer_stamp", None)
        if stamp is not None and response.status_code == 200 and not response.cookies and not response.streaming:
            headers = [(name, value) for name, value in response.items() if name.lower() not in UNKEPT_HEADERS]
            cache.set(answer_key, (stamp, response.content, headers, time.time()), seconds())
            if len(LIST_PATHS_KEPT) < LIST_PATHS_MAX:
                LIST_PATHS_KEPT.add(request.path)
        return response


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
