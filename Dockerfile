# Maison commune — the production image: gunicorn serves the site; the same image runs
# the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

# /app first on the path: the processes (gunicorn, celery, manage.py) import the source
# tree, whose intranet/settings.py finds templates/, locale/ and var/ beside it, and the
# apps that are not packaged (pip installs `intranet` mainly for its dependencies).
ENV PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (the PDF welcome guide) needs Pango; DejaVu gives it fonts to draw with;
# manage.py backup and restore need PostgreSQL's client (pg_dump, pg_restore: 15, as the db service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system maison \
    && useradd --system --gid maison --home-dir /app --no-create-home --shell /usr/sbin/nologin maison

WORKDIR /app

# The dependencies first, so that a change elsewhere in the tree reuses this layer.
COPY pyproject.toml README.md LICENSE ./
COPY intranet ./intranet
RUN pip install .

# manage.py, templates/, static/, locale/ and the other apps are used from the source tree.
COPY . .

# Translations compiled as `make messages` does (the core's and every app's catalogue); static files collected for WhiteNoise
# with a throw-away key (nothing else in the settings is read at build time).
RUN find . -path '*/locale/en/LC_MESSAGES/django.po' | while read -r po; do \
        pybabel compile --domain django --directory "${po%/en/LC_MESSAGES/django.po}" || exit 1; done \
    && DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=false python manage.py collectstatic --noinput \
    && mkdir -p var/media var/mail var/cache var/broker/queue var/broker/processed \
    && chown -R maison:maison var

USER maison

EXPOSE 8000
# gunicorn reads its number of workers from WEB_CONCURRENCY.
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "intranet.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
