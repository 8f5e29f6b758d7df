"""GET /favicon.ico: browsers ask for it on every site, whatever the page links."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

ICON = settings.BASE_DIR / "static" / "img" / "favicon.ico"
_icon = ICON.read_bytes()  # 1.3 kB, read once per process


@require_safe
def favicon(request):
    response = HttpResponse(_icon, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
