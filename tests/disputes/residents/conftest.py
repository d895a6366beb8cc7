"""Resident pages: a clean cache and SMS outbox, and cases reported as a resident would."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config.sms import outbox
from disputes.cases.models import Category
from disputes.residents import services
from tests.disputes.conftest import XINGYANG_01

PHONE = "13812345678"
NUMBER_RE = re.compile(r"#(\d+)")
CODE_RE = re.compile(r"\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b")
SIX_DIGITS = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture(autouse=True)
def clean_slate():
    cache.clear()
    outbox.clear()
    yield
    outbox.clear()


def photo(name="photo.jpg", color=(200, 60, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def resident_report(point=XINGYANG_01, phone=PHONE, **overrides):
    """A report through the service, as the page sends it: (case, query code)."""
    values = {
        "category": Category.objects.get(code="neighbours"),
        "description": "邻居家排水沟堵塞，污水流进我家院子",
        "name": "王小明",
        "phone": phone,
        "lon": point[0] if point else None,
        "lat": point[1] if point else None,
        **overrides,
    }
    return services.resident_report(report=services.ResidentReport(**values))


def last_sms_code() -> str:
    return SIX_DIGITS.search(outbox[-1].text)[1]
