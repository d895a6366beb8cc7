from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from villages.services.report import ImportFailed


class ImportCommand(BaseCommand):
    """A command that speaks the interface language and turns ImportFailed into a clear exit."""

    leave_locale_alone = True

    def execute(self, *args, **options):
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            try:
                return super().execute(*args, **options)
            except ImportFailed as exc:
                for problem in exc.shown():
                    self.stderr.write(str(problem))
                raise CommandError(
                    translation.gettext("Nothing was imported: %(count)d problem(s).")
                    % {"count": len(exc.problems)}
                ) from exc

    def add_arguments(self, parser):
        parser.add_argument(
            "--language", help="language of the messages (zh-hans or en; default: the site's)"
        )

    def write_report(self, report):
        for note in report.notes:
            self.stdout.write(self.style.WARNING(str(note)))
        self.stdout.write(
            self.style.SUCCESS(
                translation.gettext(
                    "%(created)d created, %(updated)d updated, %(unchanged)d unchanged."
                )
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
            )
        )
