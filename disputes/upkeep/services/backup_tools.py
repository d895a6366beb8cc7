"""What backups and restores run: PostgreSQL's programs and connections, files copied with checksums."""

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg2

# The binaries of the cluster's own version, when installed, so that the dump's format matches.
PG_BIN = Path("/usr/lib/postgresql/15/bin")
CHUNK = 1 << 20
# Connection OPTIONS of DATABASES that libpq reads from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}
# Relations of our own: tables, partitioned tables, views, materialized views, sequences, foreign tables.
OWN_RELATIONS = """
SELECT n.nspname || '.' || c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY 1
"""


class BackupError(Exception):
    """A backup or restore that was not done; the message tells the operator why."""


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program, of the cluster's version when installed."""
    path = PG_BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def pg_run(args: list[str], database: dict) -> str:
    try:
        result = subprocess.run(
            args, env=libpq_env(database), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise BackupError(f"cannot run {args[0]}: {exc}") from exc
    if result.returncode != 0:
        raise BackupError(
            f"{Path(args[0]).name} failed (exit {result.returncode}): {result.stderr.strip()}"
        )
    return result.stdout


def libpq_env(database: dict) -> dict[str, str]:
    """The environment for libpq's programs: the password never shows on a command line."""
    env = {**os.environ, "PGDATABASE": database["NAME"], "PGAPPNAME": "grid-backup"}
    for key, variable in [
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ]:
        if database.get(key):
            env[variable] = str(database[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if option in database.get("OPTIONS", {}):
            env[variable] = str(database["OPTIONS"][option])
    return env


def pg_connect(database: dict):
    try:
        return psycopg2.connect(
            dbname=database["NAME"],
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            application_name="grid-backup",
            **{k: v for k, v in database.get("OPTIONS", {}).items() if k in LIBPQ_OPTIONS},
        )
    except psycopg2.Error as exc:
        raise BackupError(
            f"cannot connect to database {database['NAME']}: {str(exc).strip()}"
        ) from exc


def pg_query(database: dict, sql: str) -> list[tuple]:
    connection = pg_connect(database)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def server_version(database: dict) -> str:
    return pg_query(database, "SHOW server_version")[0][0]


def own_relations(database: dict) -> list[str]:
    return [name for (name,) in pg_query(database, OWN_RELATIONS)]


def pg_analyze(database: dict) -> None:
    """Planner statistics: pg_restore loads rows but leaves the tables unanalysed."""
    pg_query(database, "ANALYZE")


def files_under(root: Path, exclude: set[Path] = frozenset()) -> Iterator[Path]:
    """The regular files under root, relative to it, in order; symbolic links are left out."""
    if not root.is_dir():
        return
    for directory, subdirectories, names in os.walk(root):
        here = Path(directory)
        subdirectories[:] = sorted(d for d in subdirectories if here / d not in exclude)
        for name in sorted(names):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root)


def file_copy(source: Path, target: Path) -> tuple[str, int]:
    """Copy a file and return its sha256 and size, reading it once."""
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest(), size


def file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
