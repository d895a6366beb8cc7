"""The county → township → village hierarchy with official division codes.

Codes are the 统计用区划代码: 6 digits for a county, 9 for a township (its
county's code + 3), 12 for a village (its township's code + 3). Every row
below the county carries its county, so that large tables keyed the same way
can later be partitioned or distributed by county.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.history import change_model


class Division(models.Model):
    CODE_LENGTH = 0

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    boundary = models.MultiPolygonField(_("boundary"), srid=4326, null=True, blank=True)
    # Drawn by generate_boundaries (a partition of the parent), not imported: it may be
    # redrawn, while an imported boundary is kept.
    boundary_generated = models.BooleanField(
        _("generated boundary"), default=False, db_default=False
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def parent(self):
        return None

    def clean(self):
        super().clean()
        errors = division_code_errors(self.code, self.CODE_LENGTH, self.parent)
        if errors:
            raise ValidationError({"code": errors})


def division_code_errors(code, length, parent):
    """Why `code` is not a valid code of `length` digits under `parent`, or []."""
    errors = []
    if not (code and code.isdigit() and len(code) == length):
        errors.append(
            _("A code at this level has %(length)d digits; “%(code)s” does not.")
            % {"length": length, "code": code}
        )
    elif parent is not None and not code.startswith(parent.code):
        errors.append(
            _("Code %(code)s is not under its parent %(parent)s (%(parent_code)s).")
            % {"code": code, "parent": parent.name, "parent_code": parent.code}
        )
    return errors


class County(Division):
    CODE_LENGTH = 6

    # The seed generate_boundaries drew this county's generated boundaries with; another
    # seed would draw them elsewhere, so it is refused unless they are to be replaced.
    boundary_seed = models.IntegerField(
        _("seed of the generated boundaries"), null=True, blank=True
    )

    class Meta(Division.Meta):
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{6}$"), name="county_code_6_digits"
            ),
        ]


class Township(Division):
    CODE_LENGTH = 9

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="townships", verbose_name=_("county")
    )

    class Meta(Division.Meta):
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{9}$"), name="township_code_9_digits"
            ),
        ]

    @property
    def parent(self):
        return self.county if self.county_id else None


class Village(Division):
    """A village committee (村委会) or an urban community (社区居委会)."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("village committee")
        COMMUNITY = "community", _("community committee")
        OTHER = "other", _("other village-level unit")

    CODE_LENGTH = 12

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("township")
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="villages", verbose_name=_("county")
    )

    class Meta(Division.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{12}$"), name="village_code_12_digits"
            ),
        ]

    @property
    def parent(self):
        return self.township if self.township_id else None

    def clean_fields(self, exclude=None):
        # The county is a copy of the township's, filled before it is validated.
        if self.township_id:
            self.county_id = self.township.county_id
        super().clean_fields(exclude)

    @staticmethod
    def kind_from_code(code):
        """The kind a village-level code's class digits denote.

        In the statistical codes, 001-199 are residents' committees
        (communities), 200-399 villagers' committees, others (farm living
        quarters and the like) are neither.
        """
        seq = int(code[-3:])
        if 1 <= seq <= 199:
            return Village.Kind.COMMUNITY
        if 200 <= seq <= 399:
            return Village.Kind.VILLAGE
        return Village.Kind.OTHER


class Department(models.Model):
    """A functional department that owns a kind of problem and can hold cases routed to it.

    A county department (县直部门: 自然资源局, 人社局, 住建局 …) has no township;
    a township's own station (乡镇站所: 司法所, 派出所 …) has its township, and
    that township routes to it.
    """

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="departments", verbose_name=_("county")
    )
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("township"),
        help_text=_("empty for a county department; the township of a township's station"),
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("official code"),
        max_length=30,
        blank=True,
        default="",
        db_default="",
        help_text=_("e.g. the unified social credit code, if any"),
    )
    active = models.BooleanField(_("active"), default=True, db_default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["county_id", "township_id", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "township", "name"],
                nulls_distinct=False,
                name="one_department_name_per_unit",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.township_id and self.township.county_id != self.county_id:
            raise ValidationError({"township": _("The township is not in this county.")})


class Staff(models.Model):
    """A user's role in the territory: which area they work for, and as what.

    The area is the narrowest of county, township and village that is set;
    lists and maps are scoped to it. Grid workers are also linked to the grids
    they patrol (grid.Grid.workers). Above the counties, a city (地级市) or
    province office has no county: its area is every county whose division code
    starts with `region_code` (4 digits for a city, 2 for a province).
    """

    class Role(models.TextChoices):
        PROVINCE_OFFICE = "province_office", _("province office")
        CITY_OFFICE = "city_office", _("city office")
        COUNTY_OFFICE = "county_office", _("county office")
        TOWNSHIP_LEADER = "township_leader", _("township leader")
        VILLAGE_CADRE = "village_cadre", _("village cadre")
        GRID_WORKER = "grid_worker", _("grid worker")
        MEDIATOR = "mediator", _("mediator")
        DEPARTMENT_STAFF = "department_staff", _("department staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("county")
    )
    region_code = models.CharField(
        _("region code"),
        max_length=4,
        blank=True,
        default="",
        db_default="",
        help_text=_("A city office: the city's 4-digit code; a province office: 2 digits."),
    )
    # Set when an office creates the account or resets its password: the user chooses
    # their own password at the next login before anything else.
    must_change_password = models.BooleanField(
        _("must change the password"), default=False, db_default=False
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("township")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("village")
    )
    # The mobile number an office knows the person by (the default user name, and the key
    # a bulk import matches people on); empty for accounts made before it was kept.
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, default="", db_default="")
    # Department staff (县直部门, 乡镇站所) work the cases routed to their department.
    department = models.ForeignKey(
        "villages.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"], condition=~models.Q(mobile=""), name="staff_mobile_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="township_leader") | models.Q(township__isnull=False),
                name="staff_township_leader_has_township",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["village_cadre", "grid_worker"])
                | models.Q(village__isnull=False),
                name="staff_village_role_has_village",
            ),
            models.CheckConstraint(
                condition=models.Q(village__isnull=True) | models.Q(township__isnull=False),
                name="staff_village_within_township",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role="department_staff", department__isnull=False)
                    | (~models.Q(role="department_staff") & models.Q(department__isnull=True))
                ),
                name="staff_department_role_has_department",
            ),
            # A city or province office has a region and no county; everyone else a county.
            models.CheckConstraint(
                condition=(
                    models.Q(role="city_office", county__isnull=True, region_code__regex=r"^\d{4}$")
                    | models.Q(
                        role="province_office", county__isnull=True, region_code__regex=r"^\d{2}$"
                    )
                    | (
                        ~models.Q(role__in=["city_office", "province_office"])
                        & models.Q(county__isnull=False, region_code="")
                    )
                ),
                name="staff_region_or_county",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def clean(self):
        super().clean()
        if self.county_id and self.township_id and self.township.county_id != self.county_id:
            raise ValidationError({"township": _("The township is not in this county.")})
        if self.village_id and self.village.township_id != self.township_id:
            raise ValidationError({"village": _("The village is not in this township.")})
        if self.department_id and self.department.county_id != self.county_id:
            raise ValidationError({"department": _("The department is not in this county.")})


# --- change history (config/history.py) ------------------------------------------------------


class StaffChange(change_model(Staff)):
    class Meta:
        verbose_name = _("staff change")
        verbose_name_plural = _("staff changes")
        indexes = [models.Index(fields=["pgh_obj", "pgh_id"], name="villages_staffchange_obj")]


class Account(User):
    """The auth user, to track the flags that give power: active, admin site, superuser."""

    class Meta:
        proxy = True
        verbose_name = _("account")
        verbose_name_plural = _("accounts")


# A new password (the user's own, or a reset by an office) leaves a row without its hash.
ACCOUNT_FIELDS = ["id", "username", "is_active", "is_staff", "is_superuser"]


class AccountChange(
    change_model(Account, fields=ACCOUNT_FIELDS, watch=[*ACCOUNT_FIELDS, "password"])
):
    class Meta:
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        indexes = [models.Index(fields=["pgh_obj", "pgh_id"], name="villages_accountchange_obj")]


class AccountGroup(User.groups.through):
    class Meta:
        proxy = True


class AccountGroupChange(change_model(AccountGroup, obj=False)):
    class Meta:
        verbose_name = _("account group change")
        verbose_name_plural = _("account group changes")


class AccountPermission(User.user_permissions.through):
    class Meta:
        proxy = True


class AccountPermissionChange(change_model(AccountPermission, obj=False)):
    class Meta:
        verbose_name = _("account permission change")
        verbose_name_plural = _("account permission changes")
