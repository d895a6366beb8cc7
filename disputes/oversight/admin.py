from django.contrib import admin

from disputes.oversight.models import SupervisionNotice


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
