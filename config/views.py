"""Error pages: JSON under /api/, a Chinese page elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("服务器出错了，请稍后再试；问题已记录。")}, status=500)
    return defaults.server_error(request)
