"""The resident pages' own user and county: residents have no accounts.

Cases reported on /r/ are reported by one system user, "resident-portal", who cannot
log in (inactive, no usable password); the complainant is the case's party. The
pages serve one county (settings.RESIDENT_COUNTY_CODE, or the first county).
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from villages.models import County

PORTAL_USERNAME = "resident-portal"


def portal_user():
    """The system user that reports the residents' cases; made on first use."""
    users = get_user_model()
    user, created = users.objects.get_or_create(
        username=PORTAL_USERNAME,
        defaults={"is_active": False, "first_name": "阳光信访"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def portal_county() -> County | None:
    """The county the resident pages serve."""
    counties = County.objects.defer("boundary").order_by("code")
    if settings.RESIDENT_COUNTY_CODE:
        return counties.filter(code=settings.RESIDENT_COUNTY_CODE).first()
    return counties.first()
