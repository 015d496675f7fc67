"""The API speaks the language the partner asks for (``Accept-Language``).

The pages use language-prefixed URLs (``/en/...``), and Django's LocaleMiddleware
gives every unprefixed path the default language; the API has no prefixes, so
its requests are negotiated from the header instead.
"""

from django.utils import translation


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
