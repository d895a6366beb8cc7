from django.utils.translation import gettext as _

from villages.management.commands._base import ImportCommand
from villages.management.commands.demo_logins import logins_table
from villages.management.commands.generate_boundaries import county_named
from villages.services.demo_county import demo_users_create


class Command(ImportCommand):
    help = (
        "Create the demo users (one per role) of a county with the published demo password; "
        "refused where DEMO_PASSWORD is not set (production)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--county", help="the county's 6-digit code (if there are several)")

    def handle(self, *args, county, **options):
        logins = demo_users_create(county=county_named(county))
        self.stdout.write(logins_table(logins))
        self.stdout.write(_("Demo logins are for a demo only: never on a county's real server."))
