"""Read and check a sheet of people (XLSX, or CSV in UTF-8 or GB18030) before anything is written.

Columns (the header row names them, in any order): 姓名, 手机号, 角色, and
区域代码 (a township's 9 or a village's 12 digits) or 网格代码 (a grid worker's
grids, several separated by spaces or commas), and optionally 调解组织 (team
names), and 部门 (a department staff member's department, by its name; a
township's station named like others, e.g. 司法所, is told apart by the
township's code in 区域代码). Every problem is collected with its row number (the spreadsheet's own,
the header being row 1); the caller writes only when there is none.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from config.sms.backends import MOBILE_RE
from disputes.people.policies import ROLES_GIVEN, TOWNSHIP_ROLES, VILLAGE_ROLES
from disputes.teams.models import Team
from grid.models import Grid
from villages.models import County, Department, Staff, Township, Village
from villages.services.report import ImportFailed, Problem

NAME, MOBILE, ROLE, AREA, GRID, TEAM = "姓名", "手机号", "角色", "区域代码", "网格代码", "调解组织"
DEPARTMENT = "部门"
REQUIRED = (NAME, MOBILE, ROLE)
SPLIT_RE = re.compile(r"[\s,，;；、]+")
MAX_ROWS = 20000
# The role names people write in a sheet, besides the codes themselves.
ROLE_NAMES = {
    "乡镇领导": Staff.Role.TOWNSHIP_LEADER,
    "镇领导": Staff.Role.TOWNSHIP_LEADER,
    "村(社区)干部": Staff.Role.VILLAGE_CADRE,
    "村（社区）干部": Staff.Role.VILLAGE_CADRE,
    "村干部": Staff.Role.VILLAGE_CADRE,
    "社区干部": Staff.Role.VILLAGE_CADRE,
    "网格员": Staff.Role.GRID_WORKER,
    "调解员": Staff.Role.MEDIATOR,
    "县级(信访局/矛调中心)": Staff.Role.COUNTY_OFFICE,
    "县级": Staff.Role.COUNTY_OFFICE,
    "市级": Staff.Role.CITY_OFFICE,
    "省级": Staff.Role.PROVINCE_OFFICE,
    "部门工作人员": Staff.Role.DEPARTMENT_STAFF,
    "部门人员": Staff.Role.DEPARTMENT_STAFF,
    "部门干部": Staff.Role.DEPARTMENT_STAFF,
}


@dataclass
class PersonRow:
    row: int
    full_name: str
    mobile: str
    role: str
    township: Township | None = None
    village: Village | None = None
    grids: list[Grid] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    department: Department | None = None
    staff: Staff | None = None  # the person already there, matched by mobile number


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def sheet_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of every row, the header first; XLSX by its zip signature."""
    if data[:4] == b"PK\x03\x04":
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file it cannot read
            raise ImportFailed(
                [Problem(_("file"), _("not a readable XLSX workbook (%(e)s)") % {"e": error})]
            ) from error
        sheet = book.worksheets[0]
        rows = [
            (number, [_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            if number <= MAX_ROWS + 1
        ]
        book.close()
        return rows
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed([Problem(_("file"), _("neither XLSX nor UTF-8 or GB18030 text"))])
    reader = csv.reader(io.StringIO(text))
    try:
        return [(reader.line_num, [_text(v) for v in values]) for values in reader]
    except csv.Error as error:
        raise ImportFailed(
            [
                Problem(
                    _("row %(row)d") % {"row": reader.line_num},
                    _("not readable as CSV (%(e)s)") % {"e": error},
                )
            ]
        ) from error


def _columns(header: list[str]) -> dict[str, int]:
    columns = {}
    for index, name in enumerate(header):
        columns.setdefault(name.replace(" ", ""), index)
    missing = [name for name in REQUIRED if name not in columns]
    if AREA not in columns and GRID not in columns and DEPARTMENT not in columns:
        missing.append(f"{AREA}/{GRID}")
    if missing:
        raise ImportFailed(
            [
                Problem(
                    _("row %(row)d") % {"row": 1},
                    _("missing columns: %(names)s (the header row needs %(all)s)")
                    % {
                        "names": "、".join(missing),
                        "all": "、".join(
                            [*REQUIRED, f"{AREA}/{GRID}", f"{TEAM}?", f"{DEPARTMENT}?"]
                        ),
                    },
                )
            ]
        )
    return columns


class _County:
    """The county's units, grids, teams and staff by the keys a sheet uses, loaded once."""

    def __init__(self, county: County):
        self.townships = {t.code: t for t in Township.objects.filter(county=county)}
        self.villages = {v.code: v for v in Village.objects.filter(county=county)}
        self.grids = {g.code: g for g in Grid.objects.filter(county=county)}
        self.teams: dict[str, list[Team]] = {}
        for team in Team.objects.filter(county=county, active=True):
            self.teams.setdefault(team.name, []).append(team)
        self.departments: dict[str, list[Department]] = {}
        for department in Department.objects.filter(county=county).select_related("township"):
            self.departments.setdefault(department.name, []).append(department)
        self.county = county
        self._elsewhere: dict[str, bool] = {}

    def department_elsewhere(self, name: str) -> bool:
        """Whether another county has a department of that name (asked once per name)."""
        if name not in self._elsewhere:
            self._elsewhere[name] = (
                Department.objects.filter(name=name).exclude(county=self.county).exists()
            )
        return self._elsewhere[name]


def _role(text: str) -> str | None:
    if text in Staff.Role.values:
        return text
    return ROLE_NAMES.get(text.replace(" ", ""))


def _row_check(units: _County, cells: dict[str, str], where: str, problems: list) -> PersonRow:
    def problem(message):
        problems.append(Problem(where, message))

    person = PersonRow(0, cells[NAME], cells[MOBILE].replace(" ", "").replace("-", ""), "")
    if not person.full_name:
        problem(_("the name (姓名) is empty"))
    if not MOBILE_RE.match(person.mobile):
        problem(
            _("“%(value)s” is not a mobile number (11 digits starting with 1)")
            % {"value": person.mobile}
        )
    role = _role(cells[ROLE])
    if role is None:
        problem(
            _("unknown role “%(value)s”; use 乡镇领导, 村(社区)干部, 网格员 or 调解员")
            % {"value": cells[ROLE]}
        )
        return person
    if role not in ROLES_GIVEN:
        problem(_("a county office cannot give the role “%(value)s”") % {"value": cells[ROLE]})
        return person
    person.role = role
    area = cells.get(AREA, "")
    if len(area) == 9 and area.isdigit():
        person.township = units.townships.get(area)
        if person.township is None:
            problem(
                _("no township %(code)s in %(county)s")
                % {"code": area, "county": units.county.name}
            )
    elif len(area) == 12 and area.isdigit():
        person.village = units.villages.get(area)
        if person.village is None:
            problem(
                _("no village %(code)s in %(county)s") % {"code": area, "county": units.county.name}
            )
    elif area:
        problem(
            _("“%(value)s” is not a township (9 digits) or village (12 digits) code")
            % {"value": area}
        )
    for code in (c for c in SPLIT_RE.split(cells.get(GRID, "")) if c):
        grid = units.grids.get(code)
        if grid is None:
            problem(
                _("no grid %(code)s in %(county)s") % {"code": code, "county": units.county.name}
            )
        elif person.village is not None and grid.village_id != person.village.pk:
            problem(
                _("grid %(code)s is not in village %(village)s")
                % {"code": code, "village": person.village.name}
            )
        else:
            person.village = person.village or grid.village
            person.grids.append(grid)
    if person.grids and role != Staff.Role.GRID_WORKER:
        problem(_("only a grid worker has grids (网格代码)"))
    if role in VILLAGE_ROLES and person.village is None and not area:
        problem(_("a village cadre or grid worker needs a village code or grid code"))
    elif role in VILLAGE_ROLES and person.township is not None:
        problem(_("a village cadre or grid worker needs a village (12 digits), not a township"))
    if role == Staff.Role.DEPARTMENT_STAFF and person.village is not None:
        problem(_("department staff need no village; the department is their unit"))
    if role in TOWNSHIP_ROLES:
        if person.village is not None and not person.grids:
            problem(_("a township leader or mediator needs a township (9 digits), not a village"))
        elif person.township is None and not area:
            problem(_("a township leader or mediator needs a township code"))
    if person.village is not None:
        person.township = person.village.township
    for name in (n for n in SPLIT_RE.split(cells.get(TEAM, "")) if n):
        teams = units.teams.get(name, [])
        if len(teams) > 1 and person.township is not None:
            teams = [t for t in teams if t.township_id == person.township.pk] or teams
        if not teams:
            problem(
                _("no team named “%(name)s” in %(county)s")
                % {"name": name, "county": units.county.name}
            )
        elif len(teams) > 1:
            problem(
                _("several teams are named “%(name)s”; the row's area does not tell which")
                % {"name": name}
            )
        else:
            person.teams.append(teams[0])
    _department_check(units, person, cells.get(DEPARTMENT, "").strip(), problem)
    return person


def _department_check(units: _County, person: PersonRow, name: str, problem) -> None:
    """The row's department (部门), by name; a station's township from the row's 区域代码."""
    if person.role != Staff.Role.DEPARTMENT_STAFF:
        if name:
            problem(_("only department staff have a department (部门)"))
        return
    if not name:
        problem(_("department staff need a department (部门)"))
        return
    found = units.departments.get(name, [])
    if len(found) > 1 and person.township is not None:
        found = [d for d in found if d.township_id == person.township.pk]
    elif len(found) > 1:
        found = [d for d in found if d.township_id is None] or found
    if not found:
        if units.department_elsewhere(name):
            problem(
                _("the department “%(name)s” is not one of %(county)s's")
                % {"name": name, "county": units.county.name}
            )
        else:
            problem(
                _("no department named “%(name)s” in %(county)s")
                % {"name": name, "county": units.county.name}
            )
    elif len(found) > 1:
        problem(
            _(
                "several townships have a station named “%(name)s”; "
                "give the township's code in 区域代码"
            )
            % {"name": name}
        )
    elif not found[0].active:
        problem(_("the department “%(name)s” is inactive") % {"name": name})
    elif person.township is not None and found[0].township_id != person.township.pk:
        problem(
            _("the department “%(name)s” is not a station of %(township)s")
            % {"name": name, "township": person.township.name}
        )
    else:
        person.department = found[0]


def people_sheet_check(*, county: County, data: bytes) -> list[PersonRow]:
    """The sheet's people, each matched to whom they already are; ImportFailed with every problem."""
    rows = [(n, cells) for n, cells in sheet_rows(data) if any(cells)]
    if not rows:
        raise ImportFailed([Problem(_("file"), _("the file is empty"))])
    if len(rows) > MAX_ROWS + 1:
        raise ImportFailed([Problem(_("file"), _("more than %(n)d rows") % {"n": MAX_ROWS})])
    columns = _columns(rows[0][1])
    units = _County(county)
    problems: list[Problem] = []
    people: list[PersonRow] = []
    first_row: dict[str, int] = {}
    for number, values in rows[1:]:
        where = _("row %(row)d") % {"row": number}
        cells = {
            name: values[index] if index < len(values) else "" for name, index in columns.items()
        }
        person = _row_check(units, cells, where, problems)
        person.row = number
        if person.mobile in first_row and MOBILE_RE.match(person.mobile):
            problems.append(
                Problem(
                    where,
                    _("mobile %(mobile)s appears twice (first on row %(first)d)")
                    % {"mobile": person.mobile, "first": first_row[person.mobile]},
                )
            )
        first_row.setdefault(person.mobile, number)
        people.append(person)
    _match_existing(county, people, problems)
    if problems:
        raise ImportFailed(problems)
    return people


def _match_existing(county: County, people: list[PersonRow], problems: list):
    mobiles = [p.mobile for p in people if MOBILE_RE.match(p.mobile)]
    staff_by_mobile = {
        s.mobile: s
        for s in Staff.objects.filter(mobile__in=mobiles).select_related("user", "county")
    }
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=mobiles).select_related("staff")
    }
    for person in people:
        where = _("row %(row)d") % {"row": person.row}
        staff = staff_by_mobile.get(person.mobile)
        if staff is None:
            user = users.get(person.mobile)
            if user is not None:
                staff = getattr(user, "staff", None)
                if staff is None or staff.mobile:
                    problems.append(
                        Problem(
                            where,
                            _("the user name %(name)s belongs to another account")
                            % {"name": person.mobile},
                        )
                    )
                    continue
        if staff is None:
            continue
        if staff.county_id != county.pk:
            problems.append(
                Problem(
                    where,
                    _("mobile %(mobile)s belongs to a person of another county")
                    % {"mobile": person.mobile},
                )
            )
        elif staff.role not in ROLES_GIVEN or staff.user.is_superuser:
            problems.append(
                Problem(
                    where,
                    _("mobile %(mobile)s belongs to a person a county office does not manage")
                    % {"mobile": person.mobile},
                )
            )
        else:
            person.staff = staff
