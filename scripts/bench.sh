#!/usr/bin/env bash
# Runs one benchmark of bench/ against the project-local PostGIS and Redis
# (started if needed, and stopped again if this started them).
#   scripts/bench.sh cases_api --cases 100000 --requests 1000 --concurrency 8
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
[ $# -ge 1 ] || die "usage: scripts/bench.sh NAME [options]; NAME is one of: $(ls "$PROJECT_DIR/bench" | sed -n 's/\.py$//p' | tr '\n' ' ')"
stack_up
cd "$PROJECT_DIR"
python "bench/$1.py" "${@:2}"
