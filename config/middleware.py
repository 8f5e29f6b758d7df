"""Simplified Chinese unless the user picked another language with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, and a county
office PC or a phone set to English would then get a half-translated page. The
language is a choice the user makes (the switch sets the language cookie), not a guess.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
