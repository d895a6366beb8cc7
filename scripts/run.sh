#!/usr/bin/env bash
# Brings up the whole system with a demo county: PostGIS, Redis, migrations,
# the demo county (built once), a Celery worker, Celery beat and the web
# server. Ctrl-C stops everything this script started; the data stays.
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
stack_up
cd "$PROJECT_DIR"

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
python manage.py build_demo_county --if-empty
python manage.py build_demo_teams --if-empty
python manage.py build_demo_cases --if-empty

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
celery -A config.celery_app worker -l info --concurrency 2 >"$LOG_DIR/worker.log" 2>&1 &
CHILDREN+=($!)
celery -A config.celery_app beat -l info -s "$DATA_DIR/celerybeat-schedule" >"$LOG_DIR/beat.log" 2>&1 &
CHILDREN+=($!)
python manage.py runserver --noreload "$HOST:$PORT" >"$LOG_DIR/web.log" 2>&1 &
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

  Open   http://$HOST:$PORT/admin/      the territory, cases and teams
         http://$HOST:$PORT/m/          the grid worker's phone page (log in as grid_worker)
         http://$HOST:$PORT/maps/territory/  leaders' pages: maps, zero reports, figures,
                                        bulletins, supervision, exports (log in as county_office)
         http://$HOST:$PORT/api/docs/   the API
  Logs   $LOG_DIR/{web,worker,beat}.log
  Data   $DATA_DIR   (kept between runs)

  Press Ctrl-C to stop the web server, worker, beat, Redis and PostgreSQL.
TXT
# Returns when the first of them ends: on Ctrl-C (they get it too) or a crash.
status=0
wait -n "${CHILDREN[@]}" || status=$?
[ "$status" -eq 0 ] || say "a process failed (status $status); see $LOG_DIR"
exit "$status"
