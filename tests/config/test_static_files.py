"""Static files as scripts/run.sh serves them: collected with hashed names, compressed by
WhiteNoise (brotli and gzip) and cached for years, with no web server in front."""

import gzip
import json
import posixpath
import re
import sys
from io import BytesIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.test import Client, override_settings

from disputes.phone_script import JoinError, phone_script
from tests.disputes.conftest import report, territory  # noqa: F401

pytestmark = pytest.mark.django_db

PHONE_FILES = ["disputes/phone.js", "disputes/mobile.css", "leaflet/leaflet.js"]
PHONE_MODULES = Path(__file__).resolve().parents[2] / "disputes" / "static" / "disputes" / "phone"
# What the phone page may weigh over the wire, brotli-compressed (its own HTML aside).
PHONE_BUDGET_BR = 70 * 1024


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as run.sh does it, into a folder of the test's own.

    The admin's, the API pages' and DRF's files are left out to keep the test
    short (brotli takes seconds a megabyte); run.sh collects them all.
    """
    root = tmp_path_factory.mktemp("static")
    production_like = override_settings(
        STATIC_ROOT=root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "config.static_files.StaticFilesStorage"},
        },
        WHITENOISE_AUTOREFRESH=False,
    )
    with production_like:
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["admin", "gis", "rest_framework", "drf_spectacular_sidecar"],
        )
        yield root


def wsgi_get(app, path, accept_encoding):
    """A GET straight through the WSGI application, as gunicorn calls it."""
    environ = {
        "PATH_INFO": path,
        "HTTP_ACCEPT_ENCODING": accept_encoding,
        "wsgi.errors": sys.stderr,
    }
    setup_testing_defaults(environ)
    environ["wsgi.input"] = BytesIO()
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return started["status"], started["headers"], body


# What an ES module imports by relative name: `import … from "./x.js";`, `import "./x.js";`.
MODULE_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"';]*?["'](\.{1,2}/[^"']+)["']\s*;""", re.M)


def imported_modules(root, url):
    """The static URLs of the modules the collected file at `url` imports, at any depth."""
    found, todo = [], [url]
    while todo:
        source = todo.pop()
        code = (root / source.removeprefix("/static/")).read_text()
        for name in MODULE_IMPORT.findall(code):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
            if target not in found:
                found.append(target)
                todo.append(target)
    return found


def phone_page_assets(client, django_user_model, root):
    """The page's scripts and styles, with those it loads later (Leaflet, named in its
    config) and every module its script imports."""
    client.force_login(django_user_model.objects.create_user("static-probe"))
    page = client.get("/m/").content.decode()
    assets = re.findall(r'"(/static/[^"]+\.(?:js|css))"', page)
    modules = [m for url in assets if "/phone/" in url for m in imported_modules(root, url)]
    return list(dict.fromkeys(assets + modules))


def test_the_phone_pages_files_are_served_compressed_with_a_long_cache(
    collected, django_user_model
):
    assets = phone_page_assets(Client(), django_user_model, collected)
    for name in PHONE_FILES:
        stem, ext = name.rsplit(".", 1)
        assert any(re.fullmatch(rf"/static/{stem}\.[0-9a-f]{{12}}\.{ext}", a) for a in assets)

    app = WSGIHandler()
    for url in assets:
        original = (collected / url.removeprefix("/static/")).read_bytes()
        for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            status, headers, body = wsgi_get(app, url, f"{encoding}, deflate")
            assert status == "200 OK", url
            assert headers["Content-Encoding"] == encoding, url
            assert "Accept-Encoding" in headers["Vary"]
            assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
            # a module of a few hundred bytes shrinks less than a library does
            assert len(body) < len(original) * (1 / 2 if len(original) > 4096 else 2 / 3), url
            assert decompress(body) == original


def test_the_phone_page_loads_its_modules_as_one_file(collected, django_user_model):
    """One request instead of one per module: the collected phone.js holds every module
    of phone/ and imports nothing, and the page loads it and no module by itself."""
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    joined = (collected / manifest["disputes/phone.js"]).read_text()
    assert not MODULE_IMPORT.findall(joined)
    for module in PHONE_MODULES.glob("*.js"):
        assert f"const module_{module.stem.replace('-', '_')} = " in joined, module.name
    client = Client()
    client.force_login(django_user_model.objects.create_user("script-probe"))
    page = client.get("/m/").content.decode()
    assert re.findall(r'<script[^>]*src="([^"]+)"', page) == [
        f"/static/{manifest['disputes/phone.js']}"
    ]
    assert "modulepreload" not in page


def test_the_phone_modules_are_joined_in_the_order_the_browser_runs_them(tmp_path):
    (tmp_path / "main.js").write_text(
        'import { b } from "./b.js";\nimport "./a.js";\nexport const main = b;\n'
    )
    (tmp_path / "a.js").write_text('import { b } from "./b.js";\nexport function a() {}\n')
    (tmp_path / "b.js").write_text("export const b = 1;\n")
    joined = phone_script(tmp_path)
    order = re.findall(r"^const module_(\w+) = ", joined, re.M)
    assert order == ["b", "a", "main"]
    assert "const { b } = module_b;" in joined and "return { a };" in joined


@pytest.mark.parametrize(
    "main, problem",
    [
        ('import * as b from "./b.js";\n', "cannot join"),
        ('export { x as y } from "./b.js";\n', "cannot join"),
        ('import { b } from "./b.js";\n', "cycle"),
    ],
)
def test_a_module_the_join_cannot_handle_is_refused(tmp_path, main, problem):
    (tmp_path / "main.js").write_text(main)
    (tmp_path / "b.js").write_text('import "./main.js";\nexport const b = 1;\n')
    with pytest.raises(JoinError, match=problem):
        phone_script(tmp_path)


def test_a_client_that_takes_no_compression_gets_the_plain_file(collected, django_user_model):
    assets = phone_page_assets(Client(), django_user_model, collected)
    status, headers, body = wsgi_get(WSGIHandler(), assets[0], "identity")
    assert status == "200 OK" and "Content-Encoding" not in headers
    assert int(headers["Content-Length"]) == len(body)


def test_the_phone_page_weighs_little_over_the_wire(collected, django_user_model, capsys):
    assets = phone_page_assets(Client(), django_user_model, collected)
    app = WSGIHandler()
    sizes = {
        encoding: sum(len(wsgi_get(app, url, encoding)[2]) for url in assets)
        for encoding in ("identity", "gzip", "br")
    }
    with capsys.disabled():
        print(
            "\nphone page static files: "
            + ", ".join(f"{enc} {size / 1024:.1f} KB" for enc, size in sizes.items())
        )
    assert sizes["br"] <= PHONE_BUDGET_BR
    assert sizes["br"] < sizes["gzip"] < sizes["identity"] / 3


def test_the_service_worker_keeps_its_shell_by_hashed_names(collected):
    """Its shell names the files as the page does, the page's joined script and the
    map's library included, so the page starts with no network from what the worker
    cached when it was installed."""
    response = Client().get("/m/sw.js")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'const STATIC_PREFIX = "/static/";' in body
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    assert all(re.search(r"\.[0-9a-f]{12}\.[a-z]+$", url) for url in shell), shell
    assert all((collected / url.removeprefix("/static/")).is_file() for url in shell)
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    assert f"/static/{manifest['disputes/phone.js']}" in shell
    assert f"/static/{manifest['leaflet/leaflet.js']}" in shell  # the map, with no network


def test_the_phone_page_and_its_case_list_are_gzipped_for_a_browser_that_takes_it(
    territory,  # noqa: F811
    report,  # noqa: F811
):
    """Most of a visit on a slow network once the static files are cached."""
    for description in ("路灯损坏", "两户因排水沟堵塞发生争执", "村道旁垃圾堆放"):
        assert report(description=description).status_code == 201
    client = Client()
    client.force_login(territory.users["grid_worker"])
    for path in ("/m/", "/api/cases/?status=reported&page_size=100"):
        plain = client.get(path)
        packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert plain.status_code == packed.status_code == 200, path
        assert "Content-Encoding" not in plain
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert len(packed.content) < len(plain.content) / 2
        if path.startswith("/api/"):
            assert json.loads(gzip.decompress(packed.content)) == plain.json()
