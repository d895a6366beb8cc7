from django.utils.translation import gettext as _

from villages.management.commands._base import ImportCommand
from villages.models import County
from villages.services.boundary_generation import boundaries_generate
from villages.services.report import ImportFailed, Problem


def county_named(code: str | None) -> County:
    """The county of `code`, or the only county there is."""
    counties = County.objects.filter(code=code) if code else County.objects.all()
    found = list(counties[:2])
    if len(found) == 1:
        return found[0]
    if code:
        raise ImportFailed([Problem(code, _("there is no county with this code"))])
    raise ImportFailed(
        [Problem("--county", _("give the county's code: there are none or several"))]
    )


class Command(ImportCommand):
    help = (
        "Generate the township, village and grid boundaries a county lacks, inside the "
        "boundaries it has; imported boundaries are kept."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--county", help="the county's 6-digit code (if there are several)")
        parser.add_argument(
            "--seed",
            type=int,
            help="random seed (default: the one used before, else 2026); another seed than "
            "the one used before is refused without --replace",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="redraw the generated boundaries too (imported ones are always kept)",
        )

    def handle(self, *args, county, seed, replace, **options):
        target = county_named(county)
        if seed is None:
            seed = target.boundary_seed if target.boundary_seed is not None else 2026
        result = boundaries_generate(county=target, seed=seed, replace=replace)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(county)s (seed %(seed)d): drawn %(townships)d township, %(villages)d "
                    "village and %(grids)d grid boundaries; %(kept)d kept, %(cleared)d redrawn."
                )
                % {
                    "county": target.name,
                    "seed": seed,
                    "townships": result.townships,
                    "villages": result.villages,
                    "grids": result.grids,
                    "kept": result.kept,
                    "cleared": result.cleared,
                }
            )
        )
