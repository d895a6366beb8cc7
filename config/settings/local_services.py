"""Addresses of the project-local PostgreSQL and Redis that scripts/lib/stack.sh starts.

Kept apart from base.py so that local.py and test.py can read them before
base.py insists on DATABASE_URL.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("GRID_DATA_DIR", BASE_DIR / ".data"))
SOCKET_DIR = Path(os.environ.get("GRID_SOCKET_DIR", DATA_DIR / "run"))
# The host part of a postgis:// URL may be a socket directory: postgis://user@/<dir>/<db>
LOCAL_DATABASE_URL = f"postgis://postgres@/{SOCKET_DIR}/grid"
LOCAL_REDIS_SOCKET = SOCKET_DIR / "redis.sock"
