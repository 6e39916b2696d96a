"""ASGI entry point, for an ASGI server (e.g. ``uvicorn geo_civic.asgi:application``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_civic.settings")
application = get_asgi_application()
