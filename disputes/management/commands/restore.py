"""Restore a backup made by the backup command (see disputes/upkeep/services/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disputes.upkeep.services.backups import BackupError, default_database, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the configured database, which must be empty, "
        "and put its files back into PRIVATE_MEDIA_ROOT and MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--dbname",
            help="restore into this database of the configured server instead",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even if the database has tables: the backup's objects replace them",
        )

    def handle(self, *args, folder, dbname=None, force=False, **options):
        database = default_database(dbname)
        try:
            manifest = restore(folder, database=database, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"restored the backup of {manifest['created_at']} into database "
                f"{database['NAME']}; {files['private']['files']} private and "
                f"{files['media']['files']} media files put back. "
                "Run `manage.py migrate` if this code is newer than the backup."
            )
        )
