from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from grid.models import Grid


@admin.register(Grid)
class GridAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "village", "township", "households"]
    list_filter = ["county", "township"]
    list_select_related = ["village", "township"]
    search_fields = ["code", "name", "village__name"]
    autocomplete_fields = ["village", "workers"]
    readonly_fields = ["township", "county", "created_at", "updated_at"]
