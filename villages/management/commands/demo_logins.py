from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from villages.services.demo_county import demo_logins


def logins_table(logins) -> str:
    lines = [_("Demo logins (password: %(password)s)") % {"password": settings.DEMO_PASSWORD}]
    lines += [f"  {login.username:<16} {login.role} · {login.area}" for login in logins]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the demo users and their password."

    leave_locale_alone = True

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            logins = demo_logins()
            if logins:
                self.stdout.write(logins_table(logins))
