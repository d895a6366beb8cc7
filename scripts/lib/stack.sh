# Shared set-up for scripts/run.sh and scripts/test.sh: Debian packages, the
# Python virtualenv, and a project-local PostgreSQL+PostGIS cluster and Redis
# listening only on unix sockets inside the data folder (no TCP port, so two
# checkouts on one machine never collide). Sourced, not executed.

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
PYTHON=${PYTHON:-python3}
VENV="$PROJECT_DIR/.venv"
STARTED_PG=0
STARTED_REDIS=0

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian package -> a file that proves it is installed.
declare -A REQUIRED=(
  [postgresql-15]=$PG_BIN/postgres
  [postgresql-15-postgis-3]=/usr/share/postgresql/15/extension/postgis.control
  [gdal-bin]=/usr/bin/ogr2ogr
  [redis-server]=/usr/bin/redis-server
  [gettext]=/usr/bin/msgfmt
  [python3-venv]=
  # The bulletins' PDF (WeasyPrint) and charts; without a CJK font Chinese prints as boxes.
  [libpango-1.0-0]=
  [libpangoft2-1.0-0]=
  [libharfbuzz-subset0]=
  [fonts-wqy-microhei]=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
)
# Only the tests need a browser, and pdftotext to read the bulletins' PDF.
declare -A TEST_REQUIRED=(
  [chromium]=/usr/bin/chromium
  [poppler-utils]=/usr/bin/pdftotext
)

stack_packages() {
  local missing=() pkg
  if [ "${1:-}" = test ]; then
    for pkg in "${!TEST_REQUIRED[@]}"; do REQUIRED[$pkg]=${TEST_REQUIRED[$pkg]}; done
  fi
  for pkg in "${!REQUIRED[@]}"; do
    if [ "$pkg" = python3-venv ]; then
      "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || missing+=("$pkg")
    elif [ -z "${REQUIRED[$pkg]}" ]; then  # a library: its path depends on the architecture
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    elif [ ! -e "${REQUIRED[$pkg]}" ]; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  IFS=$'\n' missing=($(sort <<<"${missing[*]}")); unset IFS
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages. Install them, then run this again:
    sudo apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

stack_python() {
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
    || die "Python 3.11 is required ($PYTHON is $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11"
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
  local stamp="$VENV/.installed" want
  want=$(sha1sum "$PROJECT_DIR/pyproject.toml" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages"
    { "$VENV/bin/pip" install --upgrade pip && "$VENV/bin/pip" install -e "$PROJECT_DIR[dev]"; } \
      >"$VENV/install.log" 2>&1 || { tail -30 "$VENV/install.log"; die "pip install failed; see $VENV/install.log"; }
    echo "$want" >"$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

# As root the cluster runs as the unprivileged `postgres` user (initdb refuses
# root); it must be able to reach the data folder, else the data goes to
# /var/tmp under a name derived from the checkout's path.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stack_paths() {
  DATA_DIR=${GRID_DATA_DIR:-$PROJECT_DIR/.data}
  mkdir -p "$DATA_DIR"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$DATA_DIR"; then
    DATA_DIR=/var/tmp/grid-governance-$(printf %s "$PROJECT_DIR" | sha1sum | cut -c1-10)
    say "postgres cannot reach $PROJECT_DIR; keeping the data in $DATA_DIR"
    mkdir -p "$DATA_DIR"
  fi
  SOCKET_DIR="$DATA_DIR/run"
  # A unix socket path is limited to 107 bytes.
  if [ $(( ${#SOCKET_DIR} + 20 )) -gt 107 ]; then
    SOCKET_DIR=/tmp/grid-governance-$(printf %s "$DATA_DIR" | sha1sum | cut -c1-10)
  fi
  mkdir -p "$SOCKET_DIR" "$DATA_DIR/redis"
  [ "$(id -u)" -eq 0 ] && chown postgres "$SOCKET_DIR" && chmod 755 "$SOCKET_DIR"
  export GRID_DATA_DIR="$DATA_DIR" GRID_SOCKET_DIR="$SOCKET_DIR"
}

stack_postgres() {
  local pgdata="$DATA_DIR/pg"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    say "creating the PostgreSQL cluster in $pgdata"
    mkdir -p "$pgdata"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pgdata"
    as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    cat >>"$pgdata/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$SOCKET_DIR'
synchronous_commit = off
shared_buffers = 256MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 100
log_min_error_statement = panic
log_error_verbosity = terse
CONF
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    say "starting PostgreSQL (socket in $SOCKET_DIR)"
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
      -o "-k $SOCKET_DIR" start >/dev/null || die "PostgreSQL did not start; see $pgdata/server.log"
    STARTED_PG=1
  fi
  stack_postgres_quiet_log
  local db=${GRID_DB_NAME:-grid}
  if ! psql -h "$SOCKET_DIR" -U postgres -tAc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
    psql -h "$SOCKET_DIR" -U postgres -qc "create database $db" postgres
  fi
}

# A failed statement carries what was typed into a case (descriptions, parties):
# PostgreSQL's own log keeps neither the statement (log_min_error_statement) nor
# the DETAIL that quotes the failing row (log_error_verbosity). New clusters get
# this in postgresql.conf; older ones through ALTER SYSTEM, applied by a reload.
stack_postgres_quiet_log() {
  local now
  now=$(psql -h "$SOCKET_DIR" -U postgres -tAc \
    "select current_setting('log_min_error_statement') || ' ' || current_setting('log_error_verbosity')" postgres)
  [ "$now" = "panic terse" ] && return 0
  psql -h "$SOCKET_DIR" -U postgres -q \
    -c "alter system set log_min_error_statement = panic" \
    -c "alter system set log_error_verbosity = terse" \
    -c "select pg_reload_conf()" postgres >/dev/null
}

stack_redis() {
  local sock="$SOCKET_DIR/redis.sock"
  if ! redis-cli -s "$sock" ping >/dev/null 2>&1; then
    say "starting Redis (socket $sock)"
    redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 \
      --dir "$DATA_DIR/redis" --pidfile "$SOCKET_DIR/redis.pid" \
      --logfile "$DATA_DIR/redis/redis.log" --save 300 1 --daemonize yes >/dev/null
    local i
    for i in $(seq 50); do redis-cli -s "$sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -s "$sock" ping >/dev/null 2>&1 || die "Redis did not start; see $DATA_DIR/redis/redis.log"
    STARTED_REDIS=1
  fi
}

# Stop only what this invocation started: a developer's running copy keeps its
# services while the tests run beside it.
stack_stop_started() {
  if [ "$STARTED_REDIS" = 1 ]; then
    redis-cli -s "$SOCKET_DIR/redis.sock" shutdown nosave >/dev/null 2>&1 || true
    STARTED_REDIS=0
  fi
  if [ "$STARTED_PG" = 1 ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
    STARTED_PG=0
  fi
}

# stack_up [test]: with "test", also what the browser tests need.
stack_up() {
  stack_packages "${1:-}"
  stack_python
  stack_paths
  trap stack_stop_started EXIT
  stack_postgres
  stack_redis
  (cd "$PROJECT_DIR" && python manage.py compilemessages -v 0 --ignore=.venv)
}
