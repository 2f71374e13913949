import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
# Read by settings: the web processes alone get the database statement and lock timeouts.
os.environ.setdefault("APP_PROCESS", "web")
application = get_wsgi_application()
