from pathlib import Path

from django.utils.translation import gettext as _

from villages.management.commands._base import ImportCommand
from villages.management.commands.demo_logins import logins_table
from villages.models import County
from villages.services.demo_county import (
    DEFAULT_DIVISIONS,
    DEFAULT_OUTLINE,
    demo_county_build,
    demo_users_create,
)


class Command(ImportCommand):
    help = (
        "Build a demo county: its divisions, its outline, and the township, village and grid "
        "boundaries it lacks (generate_boundaries); demo users only with --logins."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--divisions", type=Path, default=DEFAULT_DIVISIONS)
        parser.add_argument("--outline", type=Path, default=DEFAULT_OUTLINE)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--replace", action="store_true", help="redraw the generated boundaries"
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="also create the demo users (as create_demo_logins does)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when a county already exists"
        )

    def handle(self, *args, divisions, outline, seed, replace, logins, if_empty, **options):
        if if_empty and County.objects.exists():
            self.stdout.write(_("A county is already there; the demo county is not rebuilt."))
            return
        self.stdout.write(_("Building the demo county…"))
        demo = demo_county_build(divisions=divisions, outline=outline, seed=seed, replace=replace)
        for note in demo.notes:
            self.stdout.write(self.style.WARNING(str(note)))
        self.stdout.write(
            self.style.SUCCESS(
                _("%(county)s: %(townships)d townships, %(villages)d villages, %(grids)d grids.")
                % {
                    "county": demo.county.name,
                    "townships": demo.townships,
                    "villages": demo.villages,
                    "grids": demo.grids,
                }
            )
        )
        if logins:
            self.stdout.write(logins_table(demo_users_create(county=demo.county)))
