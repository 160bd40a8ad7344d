"""Vietnamese first: the interface language is the one the user chose, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
computers run an English browser; officials expect the portal in Vietnamese unless they
switch it themselves (the footer sets the language cookie).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
