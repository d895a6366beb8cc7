"""The admin of the disputes app: each capability registers its own models."""

from disputes.cases import admin as cases_admin  # noqa: F401
from disputes.open311 import admin as open311_admin  # noqa: F401
from disputes.oversight import admin as oversight_admin  # noqa: F401
from disputes.teams import admin as teams_admin  # noqa: F401
