"""Settings of the benchmarks: the project's own settings, plus the baseline view's URL.

Everything else (database, secret key, hosts, security) comes from the environment, as in
production; bench/home_load.py sets it for the processes it starts.
"""

from intranet.settings import *  # noqa: F403
from intranet.settings import STORAGES, VAR_DIR

ROOT_URLCONF = "bench.urls"
# collectstatic writes here, so a benchmark never touches the site's own var/static.
STATIC_ROOT = VAR_DIR / "bench" / "static"
# Pages find their static files through the same manifest as in production; the benches
# fetch no static file, so WhiteNoise's compressed copies (a minute of brotli) are skipped.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
