"""The test suite. Only overrides base.py."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SITE_URL", "http://testserver")

from .base import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mail.outbox, whatever the environment says
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEMO_DATA_WITHOUT_DEBUG = True  # pytest runs with DEBUG off; load_demo_data refuses that elsewhere

# Uploaded files (evidence) go to a directory of this run, removed when it ends.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="napwps-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
