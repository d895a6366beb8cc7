"""Photos and signed agreements: kept privately, handed out only to those who see the case.

Uploads are checked before anything large is read or decoded: a body over
the limit is refused before it is read, an image that claims too many pixels
before it is decoded, and a PDF is rebuilt from its pages so that scripts,
actions and whatever was appended to it are not kept.
"""

import importlib
import io
import struct
import uuid
import zlib
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from rest_framework.test import APIClient

from disputes.models import Attachment
from tests.disputes.cases.test_bad_input import png
from tests.disputes.conftest import api, case_payload

pytestmark = pytest.mark.django_db


def upload(user, case_id, content, name="photo.png", kind="photo", language="en"):
    return api(user, language).post(
        f"/api/cases/{case_id}/attachments/",
        {"uuid": str(uuid.uuid4()), "kind": kind, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


@pytest.fixture
def worker(territory):
    return territory.users["grid_worker"]


@pytest.fixture
def case_id(worker):
    return api(worker).post("/api/cases/", case_payload(), format="json").data["id"]


def real_pdf(*, script=False, tail=b"") -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if script:
        action = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        )
        pdf.Root.OpenAction = action
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("run"), action]))
        )
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=action)
    out = io.BytesIO()
    pdf.save(out)
    data = out.getvalue()
    # HTML slipped in after the header: a browser sniffing it would render it.
    return data.replace(b"\n", b"\n" + tail + b"\n", 1) if tail else data


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 48_000))
        + chunk(b"IEND", b"")
    )


class TestServing:
    def test_a_photo_is_shown_to_those_who_see_the_case_with_private_headers(
        self, territory, worker, case_id
    ):
        created = upload(worker, case_id, png())
        assert created.status_code == 201
        url = created.data["url"]
        assert url == f"/api/cases/{case_id}/attachments/{created.data['id']}/"
        for role in ("grid_worker", "village_cadre", "township_leader", "county_office"):
            response = api(territory.users[role]).get(url)
            assert response.status_code == 200, role
            assert response["Content-Type"] == "image/jpeg"
            assert response["Content-Disposition"].startswith("inline")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Cache-Control"] == "private, max-age=3600"
            assert "sandbox" in response["Content-Security-Policy"]
            image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
            assert image.size == (40, 30)

    def test_outside_the_case_s_area_it_is_404_and_anonymous_gets_nothing(
        self, territory, worker, case_id
    ):
        url = upload(worker, case_id, png()).data["url"]
        for role in ("other_grid_worker", "other_village_cadre", "other_township_leader"):
            assert api(territory.users[role]).get(url).status_code == 404, role
        anonymous = APIClient().get(url)
        assert anonymous.status_code == 401
        assert b"PNG" not in anonymous.content and b"JFIF" not in anonymous.content

    def test_an_attachment_asked_for_under_another_case_is_404(self, territory, worker, case_id):
        attachment_id = upload(worker, case_id, png()).data["id"]
        other_case = api(worker).post("/api/cases/", case_payload(), format="json").data["id"]
        assert (
            api(worker).get(f"/api/cases/{other_case}/attachments/{attachment_id}/").status_code
            == 404
        )

    def test_a_pdf_is_a_download_rebuilt_without_scripts_or_appended_html(self, worker, case_id):
        hostile = real_pdf(script=True, tail=b"<html><script>alert(2)</script></html>")
        assert b"JavaScript" in hostile and b"<script>" in hostile
        created = upload(worker, case_id, hostile, name="调解协议书.pdf", kind="document")
        assert created.status_code == 201, created.data
        response = api(worker).get(created.data["url"])
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        stored = b"".join(response.streaming_content)
        assert stored.startswith(b"%PDF-")
        assert b"<script>" not in stored and b"<html>" not in stored
        with pikepdf.open(io.BytesIO(stored)) as pdf:
            assert len(pdf.pages) == 1
            assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root
            assert "/AA" not in pdf.pages[0].obj

    def test_files_are_not_in_the_public_media_folder_and_no_media_url_serves_them(
        self, worker, case_id
    ):
        upload(worker, case_id, png())
        stored = Attachment.objects.get()
        assert Path(stored.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
        assert not (Path(settings.MEDIA_ROOT) / stored.file.name).exists()
        client = api(worker)
        assert client.get(f"/{settings.MEDIA_URL}{stored.file.name}").status_code == 404

    def test_the_migration_moves_files_stored_before_into_the_private_folder(self, worker, case_id):
        upload(worker, case_id, png())
        stored = Attachment.objects.get()
        private = Path(stored.file.path)
        public = Path(settings.MEDIA_ROOT) / stored.file.name
        public.parent.mkdir(parents=True, exist_ok=True)
        private.rename(public)  # as the files lay before the private storage

        migration = importlib.import_module("disputes.migrations.0012_private_attachments")
        from django.apps import apps

        migration.to_private(apps, connection.schema_editor())

        assert private.read_bytes().startswith(b"\xff\xd8") and not public.exists()


class TestUploadLimits:
    def test_an_image_claiming_400_million_pixels_is_refused_before_decoding(self, worker, case_id):
        bomb = png_claiming(20_000, 20_000)
        assert len(bomb) < 50_000
        response = upload(worker, case_id, bomb)
        assert response.status_code == 400
        assert "more than 40 million pixels" in response.data["file"][0]
        chinese = upload(worker, case_id, bomb, language="zh-hans")
        assert "4000 万" in chinese.data["file"][0] or "40" in chinese.data["file"][0]
        assert not Attachment.objects.exists()

    def test_a_9000_by_9000_photo_is_refused(self, worker, case_id):
        out = io.BytesIO()
        Image.new("L", (9000, 9000)).save(out, format="PNG")
        response = upload(worker, case_id, out.getvalue())
        assert response.status_code == 400
        assert "pixels" in response.data["file"][0]

    def test_a_large_jpeg_within_the_ceiling_is_decoded_small_and_stored(self, worker, case_id):
        out = io.BytesIO()
        Image.new("RGB", (6000, 4000), (90, 120, 60)).save(out, format="JPEG")
        response = upload(worker, case_id, out.getvalue(), name="IMG.jpg")
        assert response.status_code == 201
        assert max(Image.open(Attachment.objects.get().file).size) == 2048

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"%PDF-1.4\n<html><body>not a pdf</body></html>", "not a readable PDF"),
            (b"%PDF-", "not a readable PDF"),
        ],
    )
    def test_a_broken_pdf_is_refused(self, worker, case_id, content, message):
        response = upload(worker, case_id, content, name="x.pdf", kind="document")
        assert response.status_code == 400
        assert message in response.data["file"][0]

    def test_a_password_protected_pdf_is_refused(self, worker, case_id):
        pdf = pikepdf.new()
        pdf.add_blank_page()
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="secret"))
        response = upload(worker, case_id, out.getvalue(), name="x.pdf", kind="document")
        assert response.status_code == 400
        assert "password" in response.data["file"][0]

    def test_a_body_over_the_limit_is_refused_before_it_is_read(self, worker, case_id):
        client = api(worker)
        response = client.generic(
            "POST",
            f"/api/cases/{case_id}/attachments/",
            b"x",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        )
        assert response.status_code == 413
        assert "larger than" in response.json()["detail"]

    def test_a_json_body_over_a_megabyte_is_refused(self, worker):
        body = case_payload(description="纠纷" * 600_000)
        response = api(worker).post("/api/cases/", body, format="json")
        assert response.status_code == 413
        assert "too large" in response.data["detail"]


def test_another_user_s_file_key_is_answered_as_a_new_key_would_be(territory, worker, case_id):
    key = str(uuid.uuid4())
    first = api(worker).post(
        f"/api/cases/{case_id}/attachments/",
        {"uuid": key, "file": SimpleUploadedFile("p.png", png())},
        format="multipart",
    )
    assert first.status_code == 201
    cadre = territory.users["village_cadre"]
    Case = Attachment._meta.get_field("case").related_model
    Case.objects.filter(pk=case_id).update(level="village")  # the cadre holds it now
    again = api(cadre).post(
        f"/api/cases/{case_id}/attachments/",
        {"uuid": key, "file": SimpleUploadedFile("q.png", png(size=(10, 10)))},
        format="multipart",
    )
    assert again.status_code == 201 and again.data["id"] != first.data["id"]
    assert Attachment.objects.count() == 2
