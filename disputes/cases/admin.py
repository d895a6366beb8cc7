from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from disputes.cases.models import Case, CaseEvent, Category, Holiday, PartyAccessLog


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    date_hierarchy = "date"


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "from_level", "to_level", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(LeafletGeoAdmin):
    """Cases are changed through the API's transitions; the admin only shows them."""

    list_display = [
        "id",
        "category",
        "status",
        "level",
        "township",
        "village",
        "reported_at",
        "due_date",
    ]
    list_filter = ["status", "level", "category", "township"]
    list_select_related = ["category", "township", "village"]
    date_hierarchy = "reported_at"
    inlines = [EventInline]
    exclude = ["request_hash"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartyAccessLog)
class PartyAccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "case"]
    list_filter = ["county"]
    readonly_fields = ["at", "user", "case", "county"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
