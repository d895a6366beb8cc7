"""The set-up that scripts/run.sh and scripts/test.sh share (scripts/lib/stack.sh)."""

import subprocess
from pathlib import Path

STACK = Path(__file__).resolve().parents[2] / "scripts" / "lib" / "stack.sh"


def stack(snippet):
    return subprocess.run(
        ["bash", "-c", f"set -euo pipefail; source {STACK}; {snippet}"],
        capture_output=True,
        text=True,
    )


def test_a_normal_user_missing_packages_is_told_the_exact_install_line():
    result = stack(
        "REQUIRED[postgresql-15-postgis-3]=/nonexistent/postgis.control; "
        "REQUIRED[redis-server]=/nonexistent/redis-server; "
        "id() { echo 1000; }; stack_packages"
    )
    assert result.returncode == 1
    assert "sudo apt-get install -y postgresql-15-postgis-3 redis-server" in result.stderr


def test_nothing_is_installed_when_everything_is_there():
    result = stack("apt-get() { echo called; exit 9; }; stack_packages && echo fine")
    assert (result.returncode, result.stdout.strip()) == (0, "fine")


def test_a_long_checkout_path_keeps_sockets_short(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 40)
    result = stack(f"GRID_DATA_DIR={deep} stack_paths; echo $SOCKET_DIR")
    socket_dir = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stderr
    assert len(socket_dir) + len("/.s.PGSQL.5432") < 107
