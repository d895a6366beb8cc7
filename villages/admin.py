from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from villages.models import County, Staff, Township, Village


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
    list_display = ["user", "role", "county", "township", "village"]
    list_filter = ["role", "county"]
    list_select_related = ["user", "county", "township", "village"]
    autocomplete_fields = ["user", "county", "township", "village"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
