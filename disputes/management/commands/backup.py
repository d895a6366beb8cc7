"""Back up the database and the stored files into a folder (see disputes/upkeep/services/backups.py)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disputes.upkeep.services.backups import (
    MANIFEST,
    BackupError,
    backup_create,
    backups_prune,
)


class Command(BaseCommand):
    help = (
        "Write a backup (pg_dump custom format, the private and media files, a manifest) "
        "into a new folder backup-<UTC time> inside FOLDER."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--exact",
            action="store_true",
            help="write the backup into FOLDER itself, which must not exist yet",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="afterwards, delete all but the N newest backups in FOLDER",
        )

    def handle(self, *args, folder, exact=False, keep=None, **options):
        if keep is not None and (exact or keep < 1):
            raise CommandError("--keep needs a number of at least 1, and no --exact")
        try:
            path = backup_create(folder, exact=exact)
            removed = backups_prune(folder, keep=keep) if keep else []
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written to {path}: database {manifest['database']['name']} "
                f"({manifest['database']['dump']['bytes']} bytes), "
                f"{files['private']['files']} private files ({files['private']['bytes']} bytes), "
                f"{files['media']['files']} media files ({files['media']['bytes']} bytes)"
            )
        )
        for old in removed:
            self.stdout.write(f"removed the older backup {old}")
