"""Rebuild the daily roll-ups of the figures from the cases, after cases were loaded by SQL."""

from django.core.management.base import BaseCommand

from disputes.reporting.services.figures import figures_rebuild


class Command(BaseCommand):
    help = "Rebuild the daily case roll-ups (figures) of one county, or of all, from the cases."

    def add_arguments(self, parser):
        parser.add_argument("--county", type=int, help="a county's id; all counties without it")

    def handle(self, *args, county=None, **options):
        rows = figures_rebuild(county)
        self.stdout.write(f"{rows} roll-up rows rebuilt")
