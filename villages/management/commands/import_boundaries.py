from pathlib import Path

from villages.management.commands._base import ImportCommand
from villages.services.boundary_import import LEVEL_MODELS, boundaries_import


class Command(ImportCommand):
    help = (
        "Import boundaries from a GeoJSON or Shapefile onto counties, townships, villages or "
        "grids, matched by code (or by name when there is no code field)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", type=Path)
        parser.add_argument("--level", required=True, choices=list(LEVEL_MODELS))
        parser.add_argument("--code-field", help="attribute holding the division code")
        parser.add_argument("--name-field", help="attribute holding the name")
        parser.add_argument(
            "--encoding",
            help="text encoding of a Shapefile's attributes, e.g. GBK (overrides .cpg)",
        )
        parser.add_argument(
            "--srid", type=int, help="source CRS when the file does not say (no .prj)"
        )
        parser.add_argument(
            "--trust-codes",
            action="store_true",
            help="accept a feature whose name differs from the stored name of its code (noted)",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="reject invalid geometries instead of repairing them",
        )

    def handle(
        self,
        *args,
        file,
        level,
        code_field,
        name_field,
        encoding,
        srid,
        strict,
        trust_codes,
        **options,
    ):
        report = boundaries_import(
            path=file,
            level=level,
            code_field=code_field,
            name_field=name_field,
            encoding=encoding,
            strict=strict,
            srid=srid,
            trust_codes=trust_codes,
        )
        self.write_report(report)
