"""Schemathesis over the API's own OpenAPI schema, as an anonymous caller, a grid worker
and the county office: every check, a fixed seed, a bounded number of examples.

The schema is the one drf-spectacular makes (the same as /api/schema/); the
server is the application on pytest-django's live server, over the small
永修县 of tests/disputes/conftest.py with cases in each state, a team, an
assignment, a file, a bulletin and an export. Operations that name an object
in their path get one of these (the case in the state the operation needs), so
they are exercised, not only answered 404. What the run may not flag is in
tests/disputes/schemathesis.toml, each with its reason.

A run fails with schemathesis' report: each failure, its check and a curl line
to reproduce it against a server of your own (`bash scripts/run.sh`).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from knox.models import AuthToken

from disputes.models import Export, JobStatus
from tests.disputes.test_access_matrix import case_in_state, target_in_state
from tests.factories import UserFactory
from villages.models import Staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONFIG = Path(__file__).with_name("schemathesis.toml")
ST = Path(sys.executable).with_name("st")
SEED = 1
# Per operation; examples and the coverage phase's cases come on top.
MAX_EXAMPLES = 20


def schema_file(directory: Path) -> Path:
    """The OpenAPI schema drf-spectacular serves at /api/schema/, as a JSON file."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    path = directory / "schema.json"
    path.write_bytes(OpenApiJsonRenderer().render(schema, renderer_context={}))
    return path


def fixture_objects(territory, user) -> dict[str, int]:
    """Objects for the path parameters: `user` sees each (or is refused as the API says)."""
    with_file = target_in_state(territory, "attachment")  # a reported case with a photo
    proposal = target_in_state(territory, "proposed")  # also makes 涂埠镇's committee
    bulletin = target_in_state(territory, "bulletin")
    export = Export.objects.create(
        user=user, county=territory.county, format="csv", status=JobStatus.QUEUED
    )
    return {
        "reported": with_file.pk,
        "attachment": with_file.attachments.get().pk,
        "accepted": case_in_state(territory, "accepted").pk,
        "resolved": case_in_state(territory, "resolved").pk,
        "followed_up": case_in_state(territory, "followed_up").pk,
        "unsatisfied": case_in_state(territory, "unsatisfied").pk,
        "team": proposal.team_id,
        "assignment": proposal.pk,
        "bulletin": bulletin.pk,
        "export": export.pk,
        "grid": (user.grids.first() or territory.grids["xingyang-01"]).pk,
    }


def run_config(territory, role, directory: Path) -> Path:
    """schemathesis.toml with this user's credentials and the ids of the fixture's objects."""
    lines = []
    user = territory.users.get(role)
    if user is not None:
        lines.append(f'headers = {{ Authorization = "Token {token_for(user)}" }}')
    lines.append(CONFIG.read_text())
    if user is not None:
        ids = fixture_objects(territory, user)
        case_ops = {
            r"^/api/cases/\{id\}/(attachments/.*)?$": ids["reported"],
            r"^/api/cases/\{id\}/(accept|reject|escalate|supervise)/$": ids["reported"],
            r"^/api/cases/\{id\}/(resolve|extend|assign|sessions)/$": ids["accepted"],
            r"^/api/cases/\{id\}/follow-up/$": ids["resolved"],
            r"^/api/cases/\{id\}/close/$": ids["followed_up"],
            r"^/api/cases/\{id\}/reopen/$": ids["unsatisfied"],
            r"^/api/teams/\{id\}/$": ids["team"],
            r"^/api/assignments/\{id\}/": ids["assignment"],
            r"^/api/bulletins/\{id\}/$": ids["bulletin"],
            r"^/api/exports/\{id\}/": ids["export"],
        }
        for regex, object_id in case_ops.items():
            path_ids = f'"path.id" = "{object_id}"'
            if "attachments" in regex:
                path_ids += f', "path.attachment_id" = "{ids["attachment"]}"'
            lines.append(
                f"[[operations]]\ninclude-path-regex = '{regex}'\nparameters = {{ {path_ids} }}\n"
            )
        # Bodies that name a grid or a team name one of the user's area (a random id is 404).
        lines.append(
            "[[operations]]\ninclude-path-regex = '^/api/zero-reports/$'\n"
            f'parameters = {{ "body.grid" = {ids["grid"]}, "query.grid" = {ids["grid"]} }}\n'
        )
        lines.append(
            "[[operations]]\ninclude-path-regex = '^/api/cases/\\{id\\}/assign/$'\n"
            f'parameters = {{ "body.team" = {ids["team"]} }}\n'
        )
        # Logging out revokes the token the run uses (logout-all every token of its
        # user): those two operations run as a colleague of the same role instead.
        lines.append(
            "[[operations]]\ninclude-path-regex = '^/api/auth/logout'\n"
            f'headers = {{ Authorization = "Token {token_for(colleague(territory, user))}" }}\n'
        )
    path = directory / "schemathesis.toml"
    path.write_text("\n".join(lines))
    return path


def token_for(user) -> str:
    return AuthToken.objects.create(user=user)[1]


def colleague(territory, user):
    staff = Staff.objects.get(user=user)
    other = UserFactory(username=f"{user.username}_colleague")
    Staff.objects.create(
        user=other,
        role=staff.role,
        county=staff.county,
        township=staff.township,
        village=staff.village,
    )
    other.grids.set(user.grids.all())
    return other


@pytest.fixture
def api_server(tmp_path):
    """The application under gunicorn, as scripts/run.sh serves it, on this test's database.

    pytest-django's live server opens a database connection for every request,
    which made the runs four times slower; gunicorn's workers keep theirs. The
    test's rows are committed (a transactional test), so the workers see them.
    """
    database = connection.settings_dict
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgis://{database['USER']}@/{database['HOST']}/{database['NAME']}",
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", log=log)
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.parametrize("role", ["anonymous", "grid_worker", "county_office"])
def test_the_api_keeps_to_its_schema(territory, api_server, tmp_path, role):
    config = run_config(territory, role, tmp_path)
    command = [
        str(ST),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        str(schema_file(tmp_path)),
        "--url",
        api_server.url,
        "--checks",
        "all",
        # Not the stateful phase: it chains operations through OpenAPI links, which
        # drf-spectacular does not write; the fixture's ids stand in for them.
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--generation-database",
        "none",
        "--workers",
        "2",
        "--request-timeout",
        "30",
    ]
    started = time.monotonic()
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        # Its working folder is where schemathesis keeps a cache of past failures to
        # replay: a fresh one per run, so that each run is the seed's and nothing else.
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    report = result.stdout + result.stderr
    print(report)  # `pytest -rP` shows it for a run that passed: warnings, counts, time
    assert result.returncode == 0, (
        f"schemathesis as {role} ({time.monotonic() - started:.0f} s):\n{report[-30000:]}"
        f"\n\nthe server's log:\n{api_server.log.read_text()[-5000:]}"
    )
