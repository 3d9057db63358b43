import os

from django.core.asgi import get_asgi_application

from diarium.core import collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
application = get_asgi_application()
collector.settle()  # the process is loaded: its objects stay (core/collector.py)
