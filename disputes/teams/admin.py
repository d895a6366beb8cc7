from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from disputes.teams.models import Assignment, Team, TeamMember
from disputes.teams.services.teams import team_save


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(LeafletGeoAdmin):
    """Teams are saved through disputes.teams.services.teams.team_save, which keeps their coverage."""

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
