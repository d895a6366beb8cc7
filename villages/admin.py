from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from villages.models import County, Department, Staff, Township, Village


class DivisionAdmin(LeafletGeoAdmin):
    search_fields = ["code", "name"]
    readonly_fields = ["created_at", "updated_at"]
    list_display = ["code", "name", "population", "households"]


@admin.register(County)
class CountyAdmin(DivisionAdmin):
    pass


@admin.register(Township)
class TownshipAdmin(DivisionAdmin):
    list_display = [*DivisionAdmin.list_display, "county"]
    list_filter = ["county"]
    list_select_related = ["county"]
    autocomplete_fields = ["county"]


@admin.register(Village)
class VillageAdmin(DivisionAdmin):
    list_display = [*DivisionAdmin.list_display, "kind", "township"]
    list_filter = ["kind", "county", "township"]
    list_select_related = ["township"]
    autocomplete_fields = ["township"]
    readonly_fields = [*DivisionAdmin.readonly_fields, "county"]


class StaffAdminForm(forms.ModelForm):
    """The role and the department agree (the database refuses them otherwise)."""

    class Meta:
        model = Staff
        fields = [
            "user",
            "role",
            "county",
            "region_code",
            "must_change_password",
            "township",
            "village",
            "mobile",
            "department",
        ]

    def clean(self):
        data = super().clean()
        role, department = data.get("role"), data.get("department")
        if role == Staff.Role.DEPARTMENT_STAFF and department is None:
            self.add_error("department", _("Department staff need a department."))
        elif role and role != Staff.Role.DEPARTMENT_STAFF and department is not None:
            self.add_error("department", _("Only department staff have a department."))
        return data


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    form = StaffAdminForm
    list_display = ["user", "role", "county", "township", "village", "department"]
    list_filter = ["role", "county"]
    list_select_related = ["user", "county", "township", "village", "department"]
    autocomplete_fields = ["user", "county", "township", "village", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Departments leave by deactivation (their slips and staff keep pointing at them)."""

    list_display = ["name", "code", "county", "township", "active"]
    list_filter = ["active", "county", "township"]
    list_select_related = ["county", "township"]
    autocomplete_fields = ["county", "township"]
    search_fields = ["name", "code"]
    readonly_fields = ["created_at"]

    def has_delete_permission(self, request, obj=None):
        return False
