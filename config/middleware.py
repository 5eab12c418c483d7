from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Chinese unless the user chose otherwise (the language switcher sets a cookie).

    Unlike django.middleware.locale.LocaleMiddleware it ignores the browser's
    Accept-Language: an office computer set up in English must still show the
    Chinese interface that the department works in.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
