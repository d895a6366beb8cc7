from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from disputes.models import (
    Assignment,
    Case,
    CaseEvent,
    Category,
    Holiday,
    PartyAccessLog,
    SupervisionNotice,
    Team,
    TeamMember,
)
from disputes.services.teams import team_save


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


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(LeafletGeoAdmin):
    """Teams are saved through disputes.services.teams.team_save, which keeps their coverage."""

    list_display = ["name", "kind", "pillar", "township", "village", "capacity", "load", "active"]
    list_filter = ["pillar", "kind", "active", "township"]
    list_select_related = ["township", "village"]
    search_fields = ["name"]
    autocomplete_fields = ["village", "township"]
    filter_horizontal = ["categories"]
    readonly_fields = ["pillar", "load"]
    exclude = ["county", "coverage"]
    inlines = [TeamMemberInline]

    def save_model(self, request, obj, form, change):
        team_save(team=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        team_save(team=form.instance)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["case", "team", "status", "distance_m", "proposed_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["case", "team"]
    readonly_fields = [f.name for f in Assignment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    list_display = [
        "case",
        "kind",
        "stage",
        "due_date",
        "days_overdue",
        "level",
        "unit_name",
        "issued_at",
    ]
    list_filter = ["kind", "stage", "level", "county"]
    list_select_related = ["case"]
    readonly_fields = [f.name for f in SupervisionNotice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
