from pathlib import Path

from villages.management.commands._base import ImportCommand
from villages.services.division_import import divisions_import_csv


class Command(ImportCommand):
    help = "Import counties, townships and villages from a code,name,level,parent_code CSV."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        self.write_report(divisions_import_csv(path=file))
