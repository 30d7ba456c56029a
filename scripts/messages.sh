#!/usr/bin/env bash
# Extract the translatable strings into the English catalogues: the project's locale/ and each
# app's own <app>/locale/. An app's templates live in templates/<app>/: a symlink inside the app
# lets makemessages file their strings in the app's catalogue, next to its code.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
links=()
ignores=(--ignore=.venv --ignore=var --ignore=node_modules --ignore=tests --ignore=bench)
cleanup() { for link in "${links[@]}"; do rm -f "$link"; done; }
trap cleanup EXIT
for po in $(find . -path ./.venv -prune -o -path ./var -prune -o -path './locale' -prune -o -path '*/locale/en/LC_MESSAGES/django.po' -print); do
    app_dir=${po%/locale/en/LC_MESSAGES/django.po}
    label=$(basename "$app_dir")
    if [ -d "templates/$label" ]; then
        ln -sfn "$PWD/templates/$label" "$app_dir/_templates"
        links+=("$app_dir/_templates")
        ignores+=("--ignore=templates/$label")
    fi
done
DJANGO_DEBUG=true "$PY" manage.py makemessages -l en --symlinks --no-wrap --no-location "${ignores[@]}"
# No creation date in the catalogues: it would change every file at every run (and conflict in every merge).
find . -path ./.venv -prune -o -path ./var -prune -o -path '*/locale/en/LC_MESSAGES/django.po' -print0 \
    | xargs -0 sed -i '/^"POT-Creation-Date:/d'
