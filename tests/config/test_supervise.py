"""scripts/lib/supervise.sh: run.sh restarts a Celery worker or beat that dies, and stops it on TERM."""

import os
import signal
import subprocess
import time
from pathlib import Path

SUPERVISE = Path(__file__).resolve().parents[2] / "scripts" / "lib" / "supervise.sh"


def start(tmp_path, command):
    """`supervise demo <command>` in the background of a bash that waits for it."""
    return subprocess.Popen(
        ["bash", "-c", f"set -euo pipefail; source {SUPERVISE}; supervise demo {command}"],
        env={**os.environ, "LOG_DIR": str(tmp_path), "SUPERVISE_BACKOFF": "1"},
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_command_that_dies_is_started_again_and_each_restart_is_logged(tmp_path):
    runs = tmp_path / "runs"
    supervisor = start(tmp_path, f"bash -c 'echo run >>{runs}; echo boom; exit 3'")
    try:
        # runs at 0 s, after 1 s and after 2 more: three runs within about 3 seconds
        assert wait_for(lambda: runs.exists() and len(runs.read_text().split()) >= 3)
    finally:
        supervisor.terminate()
        supervisor.wait(timeout=10)
    restarts = (tmp_path / "restarts.log").read_text().splitlines()
    assert len(restarts) >= 2
    assert restarts[0].endswith("demo exited with status 3; restarting in 1s")
    assert restarts[1].endswith("demo exited with status 3; restarting in 2s")
    log = (tmp_path / "demo.log").read_text()
    assert log.count("boom") >= 3 and "==> " in log
    assert "demo exited with status 3" in supervisor.stderr.read()


def test_term_stops_the_command_and_the_loop(tmp_path):
    pid_file = tmp_path / "pid"
    supervisor = start(tmp_path, f"bash -c 'echo $$ >{pid_file}; exec sleep 300'")
    assert wait_for(lambda: pid_file.exists() and pid_file.read_text().strip())
    child = int(pid_file.read_text())
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=10) == 0
    assert wait_for(lambda: not Path(f"/proc/{child}").exists(), seconds=5)
    assert not (tmp_path / "restarts.log").exists()
