from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

from disputes.api.views import CaseViewSet, CategoryList

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("categories/", CategoryList.as_view(), name="category-list"),
    *router.urls,
]
