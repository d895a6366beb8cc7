from django.urls import path
from rest_framework.routers import SimpleRouter

from config.converters import ID_REGEX
from disputes.api.auth import TokenLoginView, TokenLogoutAllView, TokenLogoutView
from disputes.cases import api as cases_api
from disputes.cases.api import CategoryList
from disputes.oversight.api import (
    CaseSupervisionActions,
    NoticeViewSet,
    NotificationViewSet,
    ZeroReportViewSet,
)
from disputes.reporting.api import (
    BulletinViewSet,
    CaseExportView,
    ExportViewSet,
    FiguresView,
)
from disputes.teams.api import AssignmentViewSet, CaseTeamActions, CoverageView, TeamViewSet


class IdRouter(SimpleRouter):
    """Objects are looked up by their numeric id: anything else in its place matches no URL."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        return f"(?P<{lookup_prefix}pk>{ID_REGEX})"


# The cases API with the actions teams and supervision add to a case: /api/cases/{id}/assign/,
# …/sessions/, …/supervise/. (No docstring: the schema would show it on every operation.)
class CaseViewSet(CaseTeamActions, CaseSupervisionActions, cases_api.CaseViewSet):
    pass


router = IdRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("teams", TeamViewSet, basename="team")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("supervision", NoticeViewSet, basename="notice")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("zero-reports", ZeroReportViewSet, basename="zero-report")
router.register("bulletins", BulletinViewSet, basename="bulletin-api")
router.register("exports", ExportViewSet, basename="export")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", TokenLogoutAllView.as_view(), name="api-logout-all"),
    path("categories/", CategoryList.as_view(), name="category-list"),
    path("coverage/", CoverageView.as_view(), name="coverage"),
    path("figures/", FiguresView.as_view(), name="figures"),
    # before the router, whose cases/<pk>/ would take "export" for a case id
    path("cases/export/", CaseExportView.as_view(), name="case-export"),
    *router.urls,
]
