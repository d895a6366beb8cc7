"""The Open311 clients in the admin: adding one issues its api_key, shown once."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes.open311 import keys
from disputes.open311.models import Open311Client


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """A client system (the 12345 hotline platform …) of one county, with its key and rate.

    Deleting is not offered: the cases it reported keep its account as their reporter;
    a client that must stop is made inactive, and its key stops working at once.
    """

    list_display = [
        "name",
        "county",
        "key_prefix",
        "channel",
        "requests_per_minute",
        "active",
        "created_at",
    ]
    list_filter = ["active", "county"]
    fields = ["name", "county", "channel", "requests_per_minute", "active", "key_prefix"]
    readonly_fields = ["key_prefix"]
    actions = ["issue_new_key"]

    def has_delete_permission(self, request, obj=None):
        return False

    def _show_key(self, request, client: Open311Client, key: str) -> None:
        self.message_user(
            request,
            format_html(
                "{} <code>{}</code> {}",
                _("The api_key of %(client)s is") % {"client": client.name},
                key,
                _("Copy it now and give it to the client system: it is shown only this once."),
            ),
            messages.WARNING,
        )

    def save_model(self, request, obj, form, change):
        if change:
            keys.client_save(client=obj)
            return
        self._show_key(request, obj, keys.client_issue(client=obj))

    @admin.action(description=gettext_lazy("Issue a new api_key (the old one stops working)"))
    def issue_new_key(self, request, queryset):
        for client in queryset:
            self._show_key(request, client, keys.key_rotate(client=client))
