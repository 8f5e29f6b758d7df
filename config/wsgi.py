import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The alert sender connects now, not with the first alert after a (re)start; and the
# filing's first-use costs are paid before the first complaint (config/warm.py).
from config.warm import warm_web  # noqa: E402
from notifications import wire  # noqa: E402

wire.warm()
warm_web()
