"""Simplified Chinese unless the user picked another language with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, and a county
office PC or a phone set to English would then get a half-translated page. The
language is a choice the user makes (the switch sets the language cookie), not a guess.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English, and only on pages that switch completely.

    A page under one of settings.CHINESE_ONLY_PATHS is not translated yet: it is served
    in Chinese whatever the cookie says and offers no switch (request.offers_language_switch),
    so nobody reads half a page in each language. tests/test_language.py walks every
    page that switches and finds no untranslated text.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        if request.path.startswith(tuple(settings.CHINESE_ONLY_PATHS)):
            language = settings.LANGUAGE_CODE
            request.offers_language_switch = False
        else:
            request.offers_language_switch = True
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def request_memo_middleware(get_response):
    """Rule tables (legal parameters, clock rules, calendar, risk rules) are read once
    per request (rules.memo), including by the after-commit work the request triggers."""
    from rules.memo import request_memo

    def middleware(request):
        with request_memo():
            return get_response(request)

    return middleware


NUL_REFUSED = "请求中含有不允许的字符（NUL）。"


def reject_nul_bytes_middleware(get_response):
    """A NUL byte in the path or a query/form parameter is answered with a 400 here.

    PostgreSQL refuses NUL in text, so such a value reaching a query (a case number in
    the URL, a filter, a township code in a JSON body) raised a 500. Django's and DRF's
    CharField refuse it, but not every value passes through one. Multipart uploads are
    left to their views and forms.
    """
    from django.http import HttpResponseBadRequest, JsonResponse

    def middleware(request):
        values = [request.path]
        values += [item for key, given in request.GET.lists() for item in (key, *given)]
        # Uploads (multipart) are left to the views, which answer an oversized one clearly.
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            values += [item for key, given in request.POST.lists() for item in (key, *given)]
        if request.content_type == "application/json" and request.method in (
            "POST",
            "PUT",
            "PATCH",
        ):
            # JSON spells NUL \u0000; a raw NUL byte is not valid JSON either way.
            body = request.body
            if b"\\u0000" in body or b"\x00" in body:
                values.append("\x00")
        if any("\x00" in value for value in values):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": NUL_REFUSED}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware
