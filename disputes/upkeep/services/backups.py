"""Backups of the database and the stored files, and their restore.

A backup is a folder:

    database.dump     pg_dump --format=custom of the database
    files/private/…   a copy of PRIVATE_MEDIA_ROOT (exports, bulletins, attachments)
    files/media/…     a copy of MEDIA_ROOT
    files.sha256      one line per copied file, as `sha256sum -c` reads it
    manifest.json     when, which database, pg_dump's version, counts, sizes and checksums

Consistent here means: the database is one snapshot (pg_dump's transaction),
taken before the files are copied, so every row of the dump was committed
before the copy began. The application only adds files, never changes one in
place; it deletes them only when an export expires or a remade bulletin
replaces its files. So every file that a row of the dump names is in the
backup, except one deleted between the dump and its copy (such an export or
bulletin). Files added after the dump are copied too; no row of the dump
names them, and they do no harm.

The folder holds personal data (parties' names and phones in clear, ID numbers
encrypted), so it is created readable by its owner only. The keys
(PARTY_ENCRYPTION_KEY, PARTY_HASH_KEY) are not in it: without the same keys a
restored database cannot show ID numbers nor match repeats. Keep them apart.
"""

import json
import os
import re
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings

from disputes.upkeep.services import backup_tools as tools
from disputes.upkeep.services.backup_tools import BackupError

FORMAT = 1
DUMP = "database.dump"
FILE_LIST = "files.sha256"
MANIFEST = "manifest.json"
NAME_PREFIX = "backup-"
NAME_PATTERN = re.compile(r"backup-\d{8}T\d{6}Z")
PARTIAL_SUFFIX = ".partial"
# A partial folder this old was left by a backup that was killed; younger ones may be running.
PARTIAL_STALE_SECONDS = 24 * 3600
# The tables whose rows extensions create (PostGIS's spatial_ref_sys), as pg_restore --list names them.
EXTENSION_TABLES = """
SELECT n.nspname || ' ' || c.relname
FROM pg_extension e CROSS JOIN unnest(e.extconfig) AS config(oid)
JOIN pg_class c ON c.oid = config.oid JOIN pg_namespace n ON n.oid = c.relnamespace
"""


def file_roots() -> dict[str, Path]:
    """The folders of stored files, by their name inside a backup."""
    return {"private": Path(settings.PRIVATE_MEDIA_ROOT), "media": Path(settings.MEDIA_ROOT)}


def default_database(dbname: str | None = None) -> dict:
    """The connection settings of DATABASES["default"], optionally for another database on its server."""
    database = dict(settings.DATABASES["default"])
    if dbname:
        database["NAME"] = dbname
    return database


def backup_create(parent: Path, *, exact: bool = False, database: dict | None = None) -> Path:
    """Write a backup into a new folder `backup-<UTC time>` in `parent` (or `parent` itself
    with exact, which must not exist yet); return its path.

    Everything is written into a hidden `….partial` folder beside it, renamed
    at the end: on any failure that folder is removed and BackupError raised,
    so a backup folder is always complete.
    """
    database = database or default_database()
    started = datetime.now(UTC)
    target = Path(parent) if exact else Path(parent) / f"{NAME_PREFIX}{started:%Y%m%dT%H%M%SZ}"
    if target.exists():
        raise BackupError(f"{target} already exists; nothing was written")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=target.parent)
        )
    except OSError as exc:
        raise BackupError(f"cannot write in {target.parent}: {exc}") from exc
    try:
        _backup_write(work, database, started)
        work.rename(target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(f"backup failed, nothing was kept: {exc}") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _backup_write(work: Path, database: dict, started: datetime) -> None:
    dump = work / DUMP
    pg_dump = tools.pg_tool("pg_dump")
    version = tools.pg_run([pg_dump, "--version"], database).strip()
    server_version = tools.server_version(database)
    tools.pg_run([pg_dump, "--format=custom", "--no-password", f"--file={dump}"], database)
    tools.pg_run(
        [tools.pg_tool("pg_restore"), "--list", str(dump)], database
    )  # the archive reads back
    dump_sha256, dump_bytes = tools.file_sha256(dump)

    lines = []
    roots = {}
    others = set(file_roots().values())
    for label, root in file_roots().items():
        count = total = 0
        for relative in tools.files_under(root, exclude=others - {root}):
            try:
                digest, size = tools.file_copy(root / relative, work / "files" / label / relative)
            except FileNotFoundError:
                continue  # deleted since it was listed: as if deleted before the copy began
            lines.append(f"{digest}  files/{label}/{relative.as_posix()}\n")
            count += 1
            total += size
        roots[label] = {"root": str(root), "files": count, "bytes": total}
    (work / FILE_LIST).write_text("".join(lines), encoding="utf-8")
    list_sha256, _size = tools.file_sha256(work / FILE_LIST)

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "database": {
            "name": database["NAME"],
            "server_version": server_version,
            "pg_dump_version": version,
            "dump": {"file": DUMP, "bytes": dump_bytes, "sha256": dump_sha256},
        },
        "files": {**roots, "list": {"file": FILE_LIST, "sha256": list_sha256}},
    }
    (work / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def backups_prune(parent: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups in `parent`, and partial folders left by
    killed backups a day ago or more; the backups deleted.

    Only folders named `backup-<UTC time>` with a manifest count as backups;
    nothing else in `parent` is touched.
    """
    if keep < 1:
        raise BackupError("keep at least one backup")
    parent = Path(parent)
    backups = sorted(
        path
        for path in parent.glob(f"{NAME_PREFIX}*")
        if NAME_PATTERN.fullmatch(path.name) and (path / MANIFEST).is_file()
    )
    old = backups[:-keep]
    for path in old:
        shutil.rmtree(path)
    for path in parent.glob(f".{NAME_PREFIX}*{PARTIAL_SUFFIX}"):
        if time.time() - path.stat().st_mtime > PARTIAL_STALE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)
    return old


def backup_read(folder: Path) -> dict:
    """The manifest of a backup, after checking the dump and the file list against it."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a readable backup: {exc}") from exc
    try:
        version = manifest["format"]
        checksums = [
            (DUMP, manifest["database"]["dump"]["sha256"]),
            (FILE_LIST, manifest["files"]["list"]["sha256"]),
        ]
    except (KeyError, TypeError) as exc:
        raise BackupError(f"{folder / MANIFEST} is not a backup manifest") from exc
    if version != FORMAT:
        raise BackupError(f"{folder}: backup format {version!r}, this system reads {FORMAT}")
    for name, expected in checksums:
        try:
            actual, _size = tools.file_sha256(folder / name)
        except OSError as exc:
            raise BackupError(f"{folder / name}: {exc}") from exc
        if actual != expected:
            raise BackupError(
                f"{folder / name} does not match its checksum in the manifest "
                f"(sha256 {actual}, expected {expected}): the backup is damaged; nothing was restored"
            )
    return manifest


def restore(folder: Path, *, database: dict | None = None, force: bool = False) -> dict:
    """Restore a backup into a database (the configured one by default) and the file
    roots; return its manifest.

    Everything is checked before anything changes: the checksums of the dump,
    of the file list and of every file, and that the database has no tables,
    views or sequences of its own (an extension's, like PostGIS's
    spatial_ref_sys, do not count) unless `force`. The files are first copied
    beside their roots; then pg_restore runs in a single transaction, so a
    failure leaves the database as it was; only then are the files moved into
    their roots, replacing files of the same names (others stay).

    pg_restore runs with --no-owner --no-acl: the restored objects belong to
    the user restoring. The database must exist. PostGIS is created from the
    dump, or, for a user who may not create it, beforehand by a superuser;
    then spatial_ref_sys keeps the extension's own rows (reference systems
    added by hand, which the system never does, are not restored). With
    `force`, the objects the backup holds are dropped first (pg_restore
    --clean); objects it does not hold stay.
    """
    folder = Path(folder)
    database = database or default_database()
    manifest = backup_read(folder)
    if not force:
        own = tools.own_relations(database)
        if own:
            raise BackupError(
                f"database {database['NAME']} already has {len(own)} tables, views or sequences "
                f"({', '.join(own[:3])}, …); nothing was restored. Restore into an empty "
                "database, or pass --force to replace what the backup holds"
            )
    staged = _files_stage(folder)
    try:
        _database_restore(folder / DUMP, database, clean=force)
        try:
            for root, stage in staged:
                _files_move(stage, root)
        except OSError as exc:
            raise BackupError(
                f"the database was restored but not all files were put back ({exc}); "
                "fix the cause and restore again with --force"
            ) from exc
    finally:
        for _root, stage in staged:
            shutil.rmtree(stage, ignore_errors=True)
    tools.pg_analyze(database)
    return manifest


def _files_stage(folder: Path) -> list[tuple[Path, Path]]:
    """Copy the backup's files into a hidden folder beside each root, checking each checksum."""
    roots = file_roots()
    expected: dict[str, list[tuple[PurePosixPath, str]]] = {label: [] for label in roots}
    for number, line in enumerate((folder / FILE_LIST).read_text(encoding="utf-8").splitlines(), 1):
        digest, _sep, name = line.partition("  ")
        path = PurePosixPath(name)
        if (
            len(path.parts) < 3
            or path.parts[0] != "files"
            or path.parts[1] not in roots
            or ".." in path.parts
            or path.is_absolute()
        ):
            raise BackupError(f"{folder / FILE_LIST}, line {number}: unexpected file {name!r}")
        expected[path.parts[1]].append((PurePosixPath(*path.parts[2:]), digest))

    staged = []
    try:
        for label, files in expected.items():
            root = roots[label]
            root.parent.mkdir(parents=True, exist_ok=True)
            stage = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
            staged.append((root, stage))
            for relative, digest in files:
                source = folder / "files" / label / relative
                actual, _size = tools.file_copy(source, stage / relative)
                if actual != digest:
                    raise BackupError(
                        f"{source} does not match its checksum in {FILE_LIST}: "
                        "the backup is damaged; nothing was restored"
                    )
    except OSError as exc:
        for _root, stage in staged:
            shutil.rmtree(stage, ignore_errors=True)
        raise BackupError(f"cannot copy the backup's files, nothing was restored: {exc}") from exc
    except BaseException:
        for _root, stage in staged:
            shutil.rmtree(stage, ignore_errors=True)
        raise
    return staged


def _files_move(stage: Path, root: Path) -> None:
    for relative in tools.files_under(stage):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / relative, target)


def _database_restore(dump: Path, database: dict, *, clean: bool) -> None:
    pg_restore = tools.pg_tool("pg_restore")
    # A COMMENT ON EXTENSION needs the extension's owner (a superuser): leave such comments
    # out. An extension already there keeps its tables' rows, which only its owner may write.
    skipped = [" COMMENT - EXTENSION "]
    if not clean:
        skipped += [
            f" TABLE DATA {name} " for (name,) in tools.pg_query(database, EXTENSION_TABLES)
        ]
    entries = [
        line
        for line in tools.pg_run([pg_restore, "--list", str(dump)], database).splitlines(
            keepends=True
        )
        if not any(part in line for part in skipped)
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as use_list:
        use_list.writelines(entries)
        use_list.flush()
        tools.pg_run(
            [
                pg_restore,
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                *(["--clean", "--if-exists"] if clean else []),
                f"--use-list={use_list.name}",
                f"--dbname={database['NAME']}",
                str(dump),
            ],
            database,
        )
