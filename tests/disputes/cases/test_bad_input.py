import io
import uuid

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from disputes.models import Attachment, Case, Party
from tests.disputes.conftest import WUCHENG_01, XINGYANG_01, api, case_payload

pytestmark = pytest.mark.django_db


def post(territory, payload, language="zh-hans", user_key="grid_worker"):
    return api(territory.users[user_key], language).post("/api/cases/", payload, format="json")


def assert_nothing_stored():
    assert Case.objects.count() == 0
    assert Party.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "zh", "en"),
    [
        (
            {"latitude": 95},
            "latitude",
            "纬度应在 -90 到 90 之间",
            "Latitude must be between -90 and 90.",
        ),
        (
            {"longitude": -181},
            "longitude",
            "经度应在 -180 到 180 之间",
            "Longitude must be between -180 and 180.",
        ),
        ({"longitude": "abc"}, "longitude", "请填写合法的数字", "A valid number is required."),
        (
            {"category": "gossip"},
            "category",
            "未知类别“gossip”",
            "Unknown category “gossip”.",
        ),
        ({"channel": "pigeon"}, "channel", "不是合法选项", "is not a valid choice"),
        (
            {
                "parties": [
                    {"role": "complainant", "name": "张三", "id_number": "360425199001011231"}
                ]
            },
            "parties",
            "不是有效的18位居民身份证号码",
            "Not a valid 18-character resident ID number.",
        ),
        (
            {"parties": [{"role": "complainant", "name": "张三", "phone": "12345"}]},
            "parties",
            "不是有效的手机号",
            "Not a mobile (11 digits) or landline number.",
        ),
    ],
)
def test_a_bad_field_is_named_with_its_reason_in_chinese_or_english(
    territory, overrides, field, zh, en
):
    payload = case_payload(**overrides)
    for language, text in (("zh-hans", zh), ("en", en)):
        response = post(territory, payload, language)
        assert response.status_code == 400
        assert field in response.data
        assert text in str(response.data[field])
    assert_nothing_stored()


def test_missing_fields_are_each_named(territory):
    response = post(territory, {"channel": "patrol"}, "en")
    assert response.status_code == 400
    assert set(response.data) >= {"uuid", "longitude", "latitude", "category", "description"}
    assert str(response.data["description"][0]) == "This field is required."
    assert_nothing_stored()


def test_swapped_latitude_and_longitude_get_a_message_that_says_so(territory):
    lon, lat = XINGYANG_01
    for language, text in (("en", "longitude and latitude swapped"), ("zh-hans", "经纬度顺序颠倒")):
        response = post(territory, case_payload() | {"longitude": lat, "latitude": lon}, language)
        assert response.status_code == 400
        assert text in response.data["location"][0]
    assert_nothing_stored()


def test_a_point_outside_the_county_is_refused(territory):
    response = post(territory, case_payload(point=(116.2, 29.0)), "en")
    assert response.status_code == 400
    assert "is outside the territory" in response.data["location"][0]
    assert "永修县" in response.data["location"][0]
    assert_nothing_stored()


def test_a_point_outside_the_workers_own_area_is_refused(territory):
    response = post(territory, case_payload(point=WUCHENG_01), "en")
    assert response.status_code == 400
    assert "outside your own area" in response.data["location"][0]
    chinese = post(territory, case_payload(point=WUCHENG_01))
    assert "不在您的辖区内" in chinese.data["location"][0]
    assert_nothing_stored()


def test_a_failure_midway_leaves_no_half_written_case(territory, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Party.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        post(territory, case_payload())
    assert_nothing_stored()


def png(size=(40, 30), exif=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def case_id(territory):
    return post(territory, case_payload()).data["id"]


def upload(territory, case_id, content, name="photo.png", kind="photo", language="en"):
    return api(territory.users["grid_worker"], language).post(
        f"/api/cases/{case_id}/attachments/",
        {"uuid": str(uuid.uuid4()), "kind": kind, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_a_photo_is_stored_without_its_exif(territory, case_id):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (29.0, 1.0, 12.0)}  # GPS latitude
    original = png(exif=exif.tobytes())
    assert b"PhoneMaker" in original

    response = upload(territory, case_id, original, name="IMG_0001.jpg")

    assert response.status_code == 201, response.data
    stored = Attachment.objects.get()
    data = stored.file.read()
    assert b"PhoneMaker" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    assert stored.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("content", "name", "kind", "message"),
    [
        (b"this is not an image", "notes.png", "photo", "This file is not an image"),
        (
            b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
            "x.png",
            "photo",
            "This file is not an image",
        ),
        (b"<html><body>hi</body></html>", "x.pdf", "document", "This file is not an image"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(
    territory, case_id, content, name, kind, message
):
    response = upload(territory, case_id, content, name=name, kind=kind)
    assert response.status_code == 400
    assert message in response.data["file"][0]
    assert Attachment.objects.count() == 0


def test_a_file_over_10_mb_is_refused(territory, case_id, settings):
    big = png() + b"\0" * (10 * 1024 * 1024)
    response = upload(territory, case_id, big)
    assert response.status_code == 400
    assert "larger than 10 MB" in response.data["file"][0]
    chinese = upload(territory, case_id, big, language="zh-hans")
    assert "超过 10 MB" in chinese.data["file"][0]
    assert Attachment.objects.count() == 0


def test_a_pdf_document_is_kept_rebuilt_from_its_pages(territory, case_id):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    response = upload(territory, case_id, out.getvalue(), name="调解协议书.pdf", kind="document")
    assert response.status_code == 201
    with pikepdf.open(io.BytesIO(Attachment.objects.get().file.read())) as stored:
        assert len(stored.pages) == 1
