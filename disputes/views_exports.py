"""The exports page: the user's exports with their progress, and a form to start one."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from disputes.core.areas import user_units
from disputes.models import Case, Category, Export


@login_required
def exports_page(request):
    """The user's exports with their progress, and a form to start one."""
    _level, home = user_units(request.user)
    return render(
        request,
        "disputes/exports.html",
        {
            "home": home,
            "exports": Export.objects.filter(user=request.user)[:50],
            "formats": Export.Format.choices,
            "statuses": Case.Status.choices,
            "categories": Category.objects.filter(active=True),
            "export_texts": {
                "download": _("Download"),
                "started": _("The export runs in the background; it appears in the list below."),
                "downloaded": _("The file is downloading."),
                "failed": _("The export could not be started."),
            },
        },
    )
