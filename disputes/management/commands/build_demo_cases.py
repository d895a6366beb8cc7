from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from disputes.cases.models import Case
from disputes.cases.services.demo import demo_cases_create
from disputes.departments.services.directory import demo_category_routes
from disputes.desk.mailbox import mailbox_demo_open
from disputes.oversight.services.demo import demo_zero_reports_create
from villages.models import County


class Command(BaseCommand):
    help = (
        "Report demo cases across the demo county's grids, in every state of their life, "
        "a history of daily zero reports, and the demo leaders in the leaders' mailbox."
    )

    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when there are cases"
        )

    def handle(self, *args, count, seed, if_empty, **options):
        with translation.override("zh-hans"):
            # Before the early return, so a demo built before the map existed gets one too.
            for county in County.objects.filter(departments__isnull=False).distinct():
                demo_category_routes(county=county)
            if if_empty and Case.objects.exists():
                return
            made = demo_cases_create(count=count, seed=seed)
            self.stdout.write(_("%(count)d demo cases reported.") % {"count": made})
            reports = demo_zero_reports_create(seed=seed)
            self.stdout.write(_("%(count)d demo zero reports filed.") % {"count": reports})
            mailbox_demo_open()
