import os

from django.core.wsgi import get_wsgi_application

from diarium.core import collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
application = get_wsgi_application()
collector.settle()  # the process is loaded: its objects stay (core/collector.py)
