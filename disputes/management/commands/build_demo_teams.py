from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from disputes.teams.models import Team
from disputes.teams.services.demo import demo_teams_create
from villages.models import County


class Command(BaseCommand):
    help = "Create 三治 and mediation teams for the demo county, leaving some gaps."

    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when there are teams"
        )

    def handle(self, *args, seed, if_empty, **options):
        with translation.override("zh-hans"):
            if if_empty and Team.objects.exists():
                return
            county = County.objects.exclude(boundary=None).order_by("code").first()
            if county is None:
                raise CommandError(_("Build the demo county first (build_demo_county)."))
            made = demo_teams_create(county=county, seed=seed)
            self.stdout.write(_("%(count)d demo teams created.") % {"count": made})
