from django.contrib import admin
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


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
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
