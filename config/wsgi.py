import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The alert sender connects now, not with the first alert after a (re)start.
from notifications import wire  # noqa: E402

wire.warm()
