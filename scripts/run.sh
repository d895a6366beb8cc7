#!/usr/bin/env bash
# Brings up the whole system with a demo county, as a county would run it:
# PostGIS, Redis, migrations, the demo county (built once), the static files
# collected and compressed, a Celery worker and Celery beat (each restarted if
# it dies), and gunicorn with DEBUG off. Ctrl-C stops everything this script
# started; the data stays.
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
source "$(dirname "$0")/lib/supervise.sh"
stack_up
cd "$PROJECT_DIR"
# The local services of config.settings.local, with DEBUG off: errors show the
# project's pages, never the settings or the list of URLs.
export DJANGO_SETTINGS_MODULE=config.settings.local DJANGO_DEBUG=0

HOST=${GRID_HOST:-127.0.0.1}
PORT=${GRID_PORT:-$(python - <<'PY'
import socket
for port in range(8000, 8100):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
)}

say "migrating"
python manage.py migrate --noinput -v 0
python manage.py build_demo_county --if-empty --logins   # the demo users only here, on purpose
python manage.py build_demo_teams --if-empty
python manage.py build_demo_cases --if-empty

# collectstatic compresses every file with brotli (half a minute): only when
# the static files or the installed packages changed since the last time.
static_stamp="$DATA_DIR/static.stamp"
static_want=$({
  cat "$VENV/.installed"
  find "$PROJECT_DIR" \( -path "$VENV" -o -path "$DATA_DIR" -o -path "$PROJECT_DIR/.git" \) -prune \
    -o -path '*/static/*' -type f -printf '%p %s %T@\n' | sort
} | sha1sum | cut -d' ' -f1)
if [ "$(cat "$static_stamp" 2>/dev/null)" != "$static_want" ]; then
  say "collecting and compressing the static files"
  python manage.py collectstatic --noinput --clear -v 0
  echo "$static_want" >"$static_stamp"
fi

CHILDREN=()
stop_all() {
  trap - EXIT
  say "stopping"
  for pid in "${CHILDREN[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stack_stop_started
}
trap stop_all EXIT
trap 'exit 130' INT TERM

LOG_DIR="$DATA_DIR/log"
mkdir -p "$LOG_DIR"
: >"$LOG_DIR/worker.log"
: >"$LOG_DIR/beat.log"
supervise worker celery -A config.celery_app worker -l info --concurrency 2 &
CHILDREN+=($!)
supervise beat celery -A config.celery_app beat -l info -s "$DATA_DIR/celerybeat-schedule" &
CHILDREN+=($!)
# gunicorn restarts its own workers; 2 x cores + 1 of them (GRID_WEB_WORKERS to
# change). The timeout leaves room for a bulletin's PDF or a large export.
WEB_WORKERS=${GRID_WEB_WORKERS:-$((2 * $(nproc) + 1))}
gunicorn config.wsgi:application --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --timeout 120 --graceful-timeout 10 --max-requests 2000 --max-requests-jitter 200 \
  --access-logfile - >"$LOG_DIR/web.log" 2>&1 &
CHILDREN+=($!)

for _ in $(seq 100); do
  python - "$HOST" "$PORT" <<'PY' && break
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=0.2).close()
except OSError:
    sys.exit(1)
PY
  sleep 0.2
done

python manage.py demo_logins
cat <<TXT

  Open   http://$HOST:$PORT/            log in; each role lands at its home:
                                        the desk /desk/ (county_office, township_leader,
                                        village_cadre) or the phone page /m/ (grid_worker,
                                        mediator); every page's bar lists what the role may open
         http://$HOST:$PORT/admin/      the territory, cases and teams (admin only)
         http://$HOST:$PORT/api/docs/   the API
  Logs   $LOG_DIR/{web,worker,beat,restarts}.log
  Data   $DATA_DIR   (kept between runs)

  Press Ctrl-C to stop the web server, worker, beat, Redis and PostgreSQL.
TXT
# Returns on Ctrl-C, or if gunicorn itself ends (the worker and beat are restarted).
status=0
wait -n "${CHILDREN[@]}" || status=$?
[ "$status" -eq 0 ] || say "a process failed (status $status); see $LOG_DIR"
exit "$status"
