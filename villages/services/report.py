"""What an import tells its user: problems that stop it, and notes that do not."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# How many problems an import lists; the rest are counted, never dropped silently.
MAX_SHOWN = 50


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return _("%(where)s: %(message)s") % {"where": self.where, "message": self.message}


class ImportFailed(Exception):
    """Raised before anything is written; the database is unchanged.

    Holds every problem; `shown()` is what a user reads: the first MAX_SHOWN and,
    if there are more, a last line saying how many more there are.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.shown()))

    def shown(self) -> list[Problem]:
        if len(self.problems) <= MAX_SHOWN:
            return self.problems
        more = len(self.problems) - MAX_SHOWN
        return [
            *self.problems[:MAX_SHOWN],
            Problem(
                "…",
                ngettext(
                    "and %(count)d more problem not listed",
                    "and %(count)d more problems not listed",
                    more,
                )
                % {"count": more},
            ),
        ]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[Problem] = field(default_factory=list)
