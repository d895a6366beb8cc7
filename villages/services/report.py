"""What an import tells its user: problems that stop it, and notes that do not."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return _("%(where)s: %(message)s") % {"where": self.where, "message": self.message}


class ImportFailed(Exception):
    """Raised before anything is written; the database is unchanged."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[Problem] = field(default_factory=list)
