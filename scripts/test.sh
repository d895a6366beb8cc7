#!/usr/bin/env bash
# Runs the whole suite against a real PostGIS and Redis (started if needed).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/villages -x
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
stack_up test
cd "$PROJECT_DIR"
say "lint"
ruff check .
ruff format --check .
say "import contracts"
lint-imports --no-cache
say "migrations"
DJANGO_SETTINGS_MODULE=config.settings.test python manage.py makemigrations --check --dry-run >/dev/null \
  || die "models changed without a migration: run python manage.py makemigrations"
say "tests"
# In two processes (pytest-xdist), each with its own test database, Redis databases and
# media folders (config/settings/test.py); GRID_TEST_WORKERS=0 runs them in this one.
python -m pytest --create-db -n "${GRID_TEST_WORKERS:-2}" "$@"
