"""Test-only values on top of the real settings."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# The test client and the live server speak plain HTTP on loopback.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from intranet.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="maison-commune-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
STATIC_ROOT = tempfile.mkdtemp(prefix="maison-commune-static-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Factories change managers, heads and groups without the services that start a new version of
# the roles: nothing kept (tests/intranet/test_roles.py turns it on to test the cache itself).
ROLES_CACHE_SECONDS = 0
# Pages drawn at each request: their tests read what they just wrote, bulk updates included
# (tests/intranet/test_kept.py keeps them).
KEPT_FRAGMENT_SECONDS = 0
