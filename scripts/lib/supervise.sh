# supervise NAME COMMAND...: runs COMMAND with its output appended to
# $LOG_DIR/NAME.log and starts it again whenever it ends, so that one crash of
# the Celery worker or beat does not take the system down. The pause before a
# restart doubles from SUPERVISE_BACKOFF seconds (1) up to SUPERVISE_MAX_BACKOFF
# (30) while the command keeps dying young, and is short again after a run of a
# minute or more. Each restart is logged in $LOG_DIR/restarts.log and NAME's
# log. SIGTERM stops the command, waits for it, and ends the loop. Sourced;
# run it in the background: `supervise worker celery -A config.celery_app worker &`.
supervise() {
  local name=$1
  shift
  local first=${SUPERVISE_BACKOFF:-1} longest=${SUPERVISE_MAX_BACKOFF:-30}
  local delay=$first child="" started status line
  trap '[ -z "$child" ] || { kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null || true; }; exit 0' TERM
  while :; do
    started=$SECONDS
    "$@" >>"$LOG_DIR/$name.log" 2>&1 &
    child=$!
    status=0
    wait "$child" || status=$?
    child=""
    if ((SECONDS - started >= 60)); then delay=$first; fi
    line="$(date '+%F %T') $name exited with status $status; restarting in ${delay}s"
    echo "$line" >>"$LOG_DIR/restarts.log"
    echo "==> $line" >>"$LOG_DIR/$name.log"
    printf '\033[1m==> %s\033[0m\n' "$line (see $LOG_DIR/$name.log)" >&2
    sleep "$delay" &
    child=$!
    wait "$child" || true
    child=""
    delay=$((delay * 2 > longest ? longest : delay * 2))
  done
}
