import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from villages.models import County, Township, Village
from villages.services.division_import import divisions_import_csv
from villages.services.report import ImportFailed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def territory_snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("code", "name"))
        for model in (County, Township, Village)
    }


def test_yongxiu_file_imports_county_townships_and_villages(yongxiu_divisions):
    report = divisions_import_csv(path=yongxiu_divisions)

    assert (report.created, report.updated) == (259, 0)
    county = County.objects.get()
    assert (county.code, county.name) == ("360425", "永修县")
    assert county.townships.count() == 20
    assert Village.objects.filter(county=county).count() == 238
    xingyang = Village.objects.get(code="360425100201")
    assert (xingyang.name, xingyang.township.name, xingyang.kind) == (
        "兴杨村委会",
        "涂埠镇",
        "village",
    )
    assert Village.objects.get(code="360425100001").kind == "community"
    assert Village.objects.get(code="360425001500").kind == "other"


def test_importing_the_same_file_again_changes_nothing(yongxiu_divisions):
    divisions_import_csv(path=yongxiu_divisions)
    report = divisions_import_csv(path=yongxiu_divisions)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 259)


def test_a_corrected_name_updates_the_division(yongxiu_divisions, tmp_path):
    divisions_import_csv(path=yongxiu_divisions)
    text = yongxiu_divisions.read_text(encoding="utf-8").replace("兴杨村委会", "兴杨村")
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(text, encoding="utf-8")

    report = divisions_import_csv(path=corrected)

    assert (report.updated, report.unchanged) == (1, 258)
    assert Village.objects.get(code="360425100201").name == "兴杨村"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_excel_encodings_are_read(yongxiu_divisions, tmp_path, encoding):
    exported = tmp_path / f"divisions-{encoding}.csv"
    exported.write_bytes(yongxiu_divisions.read_text(encoding="utf-8").encode(encoding))

    divisions_import_csv(path=exported)

    assert Township.objects.get(code="360425101").name == "吴城镇"
    assert Village.objects.count() == 238


def lines_of(path):
    return path.read_text(encoding="utf-8").splitlines()


def write(tmp_path, lines):
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_line(lines, number, new):
    """The file's lines with line `number` (1-based, as the messages count) replaced."""
    return [new if i == number else line for i, line in enumerate(lines, start=1)]


# Line 48 of the file is 360425100201,兴杨村委会,village,360425100.
BAD_FILES = {
    "unknown parent": (
        lambda lines: with_line(lines, 48, "360425100201,兴杨村委会,village,360425999"),
        "line 48: parent 360425999 of 360425100201 is not a known township",
    ),
    "duplicate code": (
        lambda lines: [*lines, "360425100201,兴杨村,village,360425100"],
        "line 261: code 360425100201 appears twice (first on line 48)",
    ),
    "code not under its parent": (
        lambda lines: with_line(lines, 48, "360425100201,兴杨村委会,village,360425101"),
        "line 48: code 360425100201 is not under its parent 360425101",
    ),
    "wrong header": (
        lambda lines: ["代码,名称,级别,上级代码", *lines[1:]],
        "line 1: the header must be “code,name,level,parent_code”, found “代码,名称,级别,上级代码”",
    ),
    "empty name": (
        lambda lines: with_line(lines, 48, "360425100201,,village,360425100"),
        "line 48: the name of 360425100201 is empty",
    ),
    "unknown level": (
        lambda lines: with_line(lines, 48, "360425100201,兴杨村委会,hamlet,360425100"),
        "line 48: unknown level “hamlet”; use county, township or village",
    ),
    "code of the wrong length": (
        lambda lines: with_line(lines, 48, "3604251002,兴杨村委会,village,360425100"),
        "line 48: A code at this level has 12 digits; “3604251002” does not.",
    ),
    "missing column": (
        lambda lines: with_line(lines, 48, "360425100201,兴杨村委会,village"),
        "line 48: expected 4 columns, found 3",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_names_the_line_and_imports_nothing(yongxiu_divisions, tmp_path, case):
    divisions_import_csv(path=yongxiu_divisions)
    # The bad file also renames a village; that must not land either.
    mutate, message = BAD_FILES[case]
    lines = [line.replace("南岗社区居民委员会", "南岗社区") for line in lines_of(yongxiu_divisions)]
    before = territory_snapshot()

    with pytest.raises(ImportFailed) as failed:
        divisions_import_csv(path=write(tmp_path, mutate(lines)))

    assert message in [str(p) for p in failed.value.problems]
    assert territory_snapshot() == before


def test_bad_file_on_an_empty_database_writes_nothing(yongxiu_divisions, tmp_path):
    mutate, _message = BAD_FILES["unknown parent"]
    with pytest.raises(ImportFailed):
        divisions_import_csv(path=write(tmp_path, mutate(lines_of(yongxiu_divisions))))
    assert County.objects.count() == Township.objects.count() == Village.objects.count() == 0


def test_every_problem_is_listed_not_only_the_first(yongxiu_divisions, tmp_path):
    lines = with_line(lines_of(yongxiu_divisions), 48, "360425100201,,village,360425999")
    lines = with_line(lines, 49, "360425100202,南洲村委会,village,360425101")
    with pytest.raises(ImportFailed) as failed:
        divisions_import_csv(path=write(tmp_path, lines))
    assert [p.where for p in failed.value.problems] == ["line 48", "line 48", "line 49"]


def test_a_file_that_is_not_text_is_refused(tmp_path):
    path = tmp_path / "divisions.xlsx"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00\x81\x30\xff")
    with pytest.raises(ImportFailed, match="neither UTF-8 nor GBK"):
        divisions_import_csv(path=path)


def test_command_reports_in_chinese_by_default_and_fails(yongxiu_divisions, tmp_path, capsys):
    mutate, _message = BAD_FILES["unknown parent"]
    bad = write(tmp_path, mutate(lines_of(yongxiu_divisions)))
    with translation.override("zh-hans"), pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_divisions", str(bad))
    assert "第 48 行" in capsys.readouterr().err
    assert County.objects.count() == 0


def test_command_imports_and_reports_counts(yongxiu_divisions, capsys):
    call_command("import_divisions", str(yongxiu_divisions), language="en")
    assert "259 created, 0 updated, 0 unchanged." in capsys.readouterr().out
