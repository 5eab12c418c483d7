"""The answer to a locked-out login: a page for people, JSON for the API."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    if request.path.startswith("/api/"):
        message = _("连续输错密码次数过多，登录已暂时锁定，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def client_ip(request) -> str:
    """The client's address for lockout counting.

    Behind ``PROXY_COUNT`` trusted reverse proxies the client is that many entries from
    the right of X-Forwarded-For; entries further left are whatever the client sent and
    cannot be trusted. With no proxy, REMOTE_ADDR is the client.
    """
    proxies = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
