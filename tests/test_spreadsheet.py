"""The spreadsheet round trip: export every site's facts to CSV, import the edited CSV back."""

from __future__ import annotations

import csv
import difflib
import io
import shutil
from pathlib import Path, PurePosixPath

import pytest
import yaml

from conftest import EN_MD, REPO, SITE_YML, VI_MD, check, tree_digest
from generator.load.config import load_config
from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef
from generator.tools.spreadsheet import Change, export_csv, import_csv, site_columns

# --- a small project -------------------------------------------------------------------------

CSV_NAME = "sites.csv"

TOWER_YML = """\
# Phan Thiết water tower: facts checked on site, November 2026
code: "2A"
type: tower  # a landmark, not a temple
tags: [architecture, french-colonial]
coordinates:
  lat: 10.92912
  lon: 108.09992
  accuracy_m: 70
  verified: no

# The address as the ward office writes it
address:
  street: "0123"
  ward: 'Phường Phan Thiết'
  former: 'Ward "Đức Nghĩa", old town'
period:
  start: "1928"
  end: 1934
hours:
  vi: "7:00–17:00"
  en: "7:00–17:00"   # checked by phone
# Sources: add new ones at the end
sources:
  - title: "A source, with a comma"
    url: "https://example.org/source"
    accessed: "2026-11-27"
#  - title: "A source still to check"

# end of file
"""

TEMPLE_YML = 'code: "2B"\n' + SITE_YML.replace("type: tower", "type: temple")

TWO_CODES = """\
codes:
  - code: "2A"
    site: water-tower
    issued: "2026-11-27"
    status: active
  - code: "2B"
    site: a-temple
    issued: "2026-11-27"
    status: active
"""

COLUMNS = [
    "id", "code", "type", "tags",
    "coordinates.lat", "coordinates.lon", "coordinates.accuracy_m", "coordinates.verified",
    "coordinates.note.vi", "coordinates.note.en", "coordinates.note.ru",
    "address.street", "address.ward", "address.province", "address.former", "address.verified",
    "period.start", "period.end", "period.label.vi", "period.label.en", "period.label.ru",
    "hours.vi", "hours.en", "hours.ru", "admission.vi", "admission.en", "admission.ru",
]
TEMPLE_ROW, TOWER_ROW = 2, 3  # CSV rows: 1 is the header, sites follow sorted by id


def site_files(site_id: str, yml: str) -> dict[str, str | bytes]:
    return {f"sites/{site_id}/site.yml": yml, f"sites/{site_id}/vi.md": VI_MD,
            f"sites/{site_id}/en.md": EN_MD}


@pytest.fixture
def project(make_project):
    """Two valid sites: a commented water tower and a plain temple."""
    return make_project({**site_files("water-tower", TOWER_YML),
                         **site_files("a-temple", TEMPLE_YML),
                         "sites/issued-codes.yml": TWO_CODES})


def config_of(root: Path):
    report = Diagnostics()
    config = load_config(root, report)
    assert config is not None, report.to_text()
    return config


def export(root: Path) -> str:
    return export_csv(config_of(root), root)


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def as_dicts(text: str) -> dict[str, dict[str, str]]:
    header, *rows = rows_of(text)
    return {row[0]: dict(zip(header, row)) for row in rows}


def edit(text: str, changes: dict[tuple[str, str], str], *, delimiter: str = ",",
         header: dict[str, str] | None = None) -> str:
    """The exported CSV with some cells (site, column) changed, as a spreadsheet saves it."""
    head, *rows = rows_of(text)
    for (site, column), value in changes.items():
        row = next(row for row in rows if row[0] == site)
        row[head.index(column)] = value
    head = [(header or {}).get(name, name) for name in head]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows([head, *rows])
    return "\ufeff" + out.getvalue()


def run_import(root: Path, text: str) -> tuple[list[Change], Diagnostics]:
    report = Diagnostics()
    changes = import_csv(config_of(root), root, text, CSV_NAME, report)
    return changes, report


def at(row: int, column: str) -> SourceRef:
    return SourceRef(PurePosixPath(CSV_NAME), row, COLUMNS.index(column) + 1)


def tower(root: Path) -> str:
    return (root / "sites/water-tower/site.yml").read_text("utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line.startswith(("- ", "+ "))]


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


# --- export ----------------------------------------------------------------------------------

def test_columns_follow_the_schema(project):
    assert ["id", *(column.name for column in site_columns(config_of(project)))] == COLUMNS


def test_export_has_one_row_per_site_with_values_as_written(project):
    text = export(project)
    assert text.startswith("\ufeffid,code,type,tags,coordinates.lat,")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    header, *rows = rows_of(text)
    assert header == COLUMNS
    assert [row[0] for row in rows] == ["a-temple", "water-tower"]
    assert all(len(row) == len(COLUMNS) for row in rows)
    row = as_dicts(text)["water-tower"]
    assert row["code"] == "2A" and row["type"] == "tower"
    assert row["tags"] == "architecture, french-colonial"
    assert row["coordinates.lat"] == "10.92912"
    assert row["coordinates.verified"] == "no"  # text as written, not False
    assert row["address.street"] == "0123"  # not 123, not 83
    assert row["address.ward"] == "Phường Phan Thiết"
    assert row["period.end"] == "1934"
    assert row["hours.en"] == "7:00–17:00"
    assert row["hours.ru"] == row["admission.vi"] == row["coordinates.note.vi"] == ""
    # RFC 4180: cells with a comma or a quote are quoted, quotes doubled
    assert ',"Ward ""Đức Nghĩa"", old town",' in text
    assert ',"architecture, french-colonial",' in text
    assert "A source" not in text  # lists of entries stay in site.yml


def test_export_leaves_out_a_site_it_cannot_read(project):
    (project / "sites/a-temple/site.yml").write_text('type: "temple\n', "utf-8")
    report = Diagnostics()
    text = export_csv(config_of(project), project, report)
    assert [row[0] for row in rows_of(text)[1:]] == ["water-tower"]
    assert [(d.code, str(d.where.path)) for d in report.errors] == [
        ("yaml-syntax", "sites/a-temple/site.yml")]


# --- round trips -----------------------------------------------------------------------------

def test_round_trip_without_edits_changes_nothing(project):
    before = tree_digest(project)
    changes, report = run_import(project, export(project))
    assert changes == [] and report.items == []
    assert tree_digest(project) == before


def test_what_a_spreadsheet_reformats_is_not_a_change(project):
    """Excel writes FALSE for false, drops trailing zeros, may save with ';' and CRLF."""
    text = edit(export(project), {
        ("a-temple", "coordinates.verified"): "FALSE",
        ("a-temple", "coordinates.lat"): "10.929120",
        ("a-temple", "coordinates.accuracy_m"): "70.0",
        ("water-tower", "tags"): "architecture,french-colonial",
        ("water-tower", "hours.en"): " 7:00–17:00 ",
    }, delimiter=";")
    before = tree_digest(project)
    assert run_import(project, text) == ([], Diagnostics())
    assert tree_digest(project) == before


def test_one_edited_cell_changes_one_line(project):
    before = tower(project)
    changes, report = run_import(project, edit(export(project), {
        ("water-tower", "hours.en"): "8:00–17:00"}))
    assert report.items == []
    assert changes == [Change("water-tower", "hours.en", "7:00–17:00", "8:00–17:00")]
    assert changed_lines(before, tower(project)) == [
        '-   en: "7:00–17:00"   # checked by phone',
        '+   en: "8:00–17:00"   # checked by phone']


def test_new_language_and_emptied_cell(project):
    changes, report = run_import(project, edit(export(project), {
        ("water-tower", "hours.ru"): "Ежедневно 7:00–17:00",
        ("water-tower", "address.ward"): "",
        ("water-tower", "admission.en"): "Free",
        ("a-temple", "coordinates.note.vi"): "Đo bằng GPS điện thoại",
    }))
    assert report.items == []
    assert changes == [
        Change("a-temple", "coordinates.note.vi", None, "Đo bằng GPS điện thoại"),
        Change("water-tower", "address.ward", "Phường Phan Thiết", None),
        Change("water-tower", "hours.ru", None, "Ежедневно 7:00–17:00"),
        Change("water-tower", "admission.en", None, "Free"),
    ]
    assert tower(project) == TOWER_YML.replace(
        "  ward: 'Phường Phan Thiết'\n", "").replace(
        '  en: "7:00–17:00"   # checked by phone\n',
        '  en: "7:00–17:00"   # checked by phone\n  ru: "Ежедневно 7:00–17:00"\n').replace(
        "\n# end of file\n", 'admission:\n  en: "Free"\n\n# end of file\n')
    assert (project / "sites/a-temple/site.yml").read_text("utf-8") == TEMPLE_YML.replace(
        "  verified: false\n", '  verified: false\n  note:\n    vi: "Đo bằng GPS điện thoại"\n')
    assert check(project).problems() == []


@pytest.mark.parametrize("column, value, line, loaded", [
    ("period.end", "1935", 'end: "1935"', "1935"),  # a date: a plain 1935 would be a number
    ("hours.ru", "12:30", 'ru: "12:30"', "12:30"),  # YAML 1.1: 750 (base 60)
    ("address.province", "no", 'province: "no"', "no"),  # YAML 1.1: false
    ("address.province", "0123", 'province: "0123"', "0123"),  # YAML 1.1: 83
    ("address.province", 'Free: "all" #1', 'province: "Free: \\"all\\" #1"', 'Free: "all" #1'),
    ("address.province", "Line 1\nLine 2", 'province: "Line 1\\nLine 2"', "Line 1\nLine 2"),
    ("coordinates.accuracy_m", "80", "accuracy_m: 80", 80),
    ("coordinates.verified", "true", "verified: true", True),
    ("type", "temple", "type: temple # a landmark, not a temple", "temple"),  # same column
    ("tags", "architecture, no, 1928", 'tags: [architecture, "no", "1928"]',
     ["architecture", "no", "1928"]),
])
def test_new_values_are_quoted_where_plain_would_change_meaning(project, column, value, line,
                                                                 loaded):
    changes, report = run_import(project, edit(export(project), {("water-tower", column): value}))
    assert report.items == [] and len(changes) == 1
    assert [entry for entry in changed_lines(TOWER_YML, tower(project))
            if entry.startswith("+")] == ["+ " + " " * (column.count(".") * 2) + line]
    data = yaml.safe_load(tower(project))  # a YAML 1.1 reader sees the value as meant
    for key in column.split("."):
        data = data[key]
    assert data == loaded
    exported = ", ".join(loaded) if isinstance(loaded, list) else value
    assert as_dicts(export(project))["water-tower"][column] == exported


def test_removing_values_keeps_every_comment_line(project):
    changes, report = run_import(project, edit(export(project), {
        ("water-tower", "address.street"): "", ("water-tower", "address.ward"): "",
        ("water-tower", "address.former"): "", ("water-tower", "hours.en"): "",
    }))
    assert report.items == [] and len(changes) == 4
    text = tower(project)
    assert "address" not in yaml.safe_load(text)
    assert comment_lines(text) == [line for line in comment_lines(TOWER_YML)
                                   if line != "# checked by phone"]
    assert changed_lines(TOWER_YML, text) == [
        "- address:", '-   street: "0123"', "-   ward: 'Phường Phan Thiết'",
        "-   former: 'Ward \"Đức Nghĩa\", old town'", '-   en: "7:00–17:00"   # checked by phone']


def test_emptying_a_whole_block_removes_it(project):
    text = edit(export(project), {("a-temple", f"coordinates.{name}"): ""
                                  for name in ("lat", "lon", "accuracy_m", "verified")})
    changes, report = run_import(project, text)
    assert report.items == [] and len(changes) == 4
    assert (project / "sites/a-temple/site.yml").read_text("utf-8") == TEMPLE_YML.replace(
        "coordinates:\n  lat: 10.92912\n  lon: 108.09992\n  accuracy_m: 70\n"
        "  verified: false\n", "")
    assert [d.code for d in check(project).problems()] == ["no-coordinates"]


ODD_YML = """\
type:   tower
tags:
- architecture
- landmark
coordinates:
    lat: 10.92912
    lon:  108.09992   # two spaces
    verified: false
period: {start: "1928",
  end: "1934"}
hours:
    vi: |
      Mở cửa hằng ngày
      # không phải chú thích
    en: Open
      daily
sources:
- title: "A source"
  url: "https://example.org/source"
"""


def test_lines_ruamel_would_write_differently_stay_as_they_are(make_project):
    """Odd spacing, 4-space and unindented lists, a flow mapping and a plain text over two
    lines, a block text with a '#' line: only the changed lines change."""
    root = make_project(site_files("odd", ODD_YML))
    assert as_dicts(export(root))["odd"]["hours.en"] == "Open daily"
    changes, report = run_import(root, edit(export(root), {
        ("odd", "coordinates.lat"): "10.93", ("odd", "hours.en"): "Open daily, 7:00–17:00",
        ("odd", "hours.ru"): "Ежедневно"}))
    assert report.items == [] and len(changes) == 3
    assert (root / "sites/odd/site.yml").read_text("utf-8") == ODD_YML.replace(
        "lat: 10.92912", "lat: 10.93").replace(
        "    en: Open\n      daily\n",
        '    en: Open daily, 7:00–17:00\n    ru: "Ежедневно"\n')


def test_site_file_with_crlf_and_bom_keeps_them(project):
    file = project / "sites/water-tower/site.yml"
    file.write_bytes(b"\xef\xbb\xbf" + TOWER_YML.replace("\n", "\r\n").encode("utf-8"))
    changes, report = run_import(project, edit(export(project), {
        ("water-tower", "period.start"): "1929"}))
    assert report.items == [] and len(changes) == 1
    assert file.read_bytes() == b"\xef\xbb\xbf" + TOWER_YML.replace(
        'start: "1928"', 'start: "1929"').replace("\n", "\r\n").encode("utf-8")


def test_imported_project_passes_check(project):
    assert check(project).problems() == []
    changes, report = run_import(project, edit(export(project), {
        ("water-tower", "coordinates.lat"): "10.93",
        ("water-tower", "coordinates.note.en"): "Checked with a phone GPS",
        ("water-tower", "tags"): "architecture, landmark",
        ("water-tower", "period.label.en"): "Built 1928–1934",
        ("water-tower", "hours.ru"): "7:00–17:00",
        ("water-tower", "address.verified"): "true",
        ("a-temple", "type"): "pagoda",
        ("a-temple", "admission.vi"): "Miễn phí",
        ("a-temple", "address.street"): "12 Trưng Trắc",
    }))
    assert report.items == [] and len(changes) == 9
    assert check(project).problems() == []
    assert run_import(project, export(project)) == ([], Diagnostics())  # and it is stable


# --- mistakes: each one error at its row and column, nothing written ----------------------------

def assert_nothing_written(root: Path, before: dict[str, str], changes: list[Change]) -> None:
    assert changes == []
    assert tree_digest(root) == before


@pytest.mark.parametrize("column, value, code, message, hint", [
    ("period.start", "1934-13", "bad-date", "'period.start' is '1934-13', which is not a "
     "real date", 'write YYYY, YYYY-MM or YYYY-MM-DD in quotes, e.g. "1934" or "2018-10-19"'),
    ("coordinates.lat", "95", "bad-coordinates", "'coordinates.lat' is 95, outside -90..90",
     "latitude (-90..90) comes first, then longitude (-180..180): check that the two are "
     "not swapped"),
    ("coordinates.verified", "maybe", "bad-value", "'coordinates.verified' should be true or "
     "false, not 'maybe'", "write true or false"),
    ("coordinates.lon", "108,1", "wrong-type", "'coordinates.lon' should be a number, not "
     "'108,1'", "use a decimal point, not a comma, e.g. 108.09992"),
    ("type", "towr", "bad-value", "'type' is 'towr', not one of the allowed values",
     "did you mean 'tower'? allowed: tower, temple, communal-house, pagoda, school, museum, "
     "ruins, revolutionary-base, monument, landscape, other"),
    ("tags", "architecture, French", "bad-value", "tag 'French' should be lower-case words "
     "joined by '-'", None),
    ("type", "", "missing-field", "required field 'type' is missing", "fill in type"),
    ("coordinates.lat", "", "missing-field", "required field 'coordinates.lat' is missing",
     "fill in coordinates.lat, or empty every coordinates.* cell of this row to leave "
     "coordinates out"),
    ("code", "2C", "code-ledger", "'code' is the site's permanent QR code: a spreadsheet "
     "cannot change it", 'put back "2A"; `heritage codes assign` issues codes and records '
     "them in sites/issued-codes.yml"),
])
def test_bad_cell_is_one_error_at_its_row_and_column(project, column, value, code, message,
                                                     hint):
    before = tree_digest(project)
    changes, report = run_import(project, edit(export(project), {
        ("water-tower", column): value, ("water-tower", "hours.en"): "a good edit"}))
    assert [(d.code, d.where, d.message) for d in report.items] == [
        (code, at(TOWER_ROW, column), message)]
    if hint:
        assert report.items[0].hint == hint
    assert_nothing_written(project, before, changes)


def test_new_block_needs_its_required_values(make_project):
    yml = TEMPLE_YML.replace("coordinates:\n  lat: 10.92912\n  lon: 108.09992\n"
                             "  accuracy_m: 70\n  verified: false\n", "")
    root = make_project({**site_files("a-temple", yml), **site_files("water-tower", TOWER_YML),
                         "sites/issued-codes.yml": TWO_CODES})
    before = tree_digest(root)
    changes, report = run_import(root, edit(export(root), {
        ("a-temple", "coordinates.accuracy_m"): "50", ("a-temple", "coordinates.lat"): "10.9"}))
    assert [(d.code, d.where, d.message) for d in report.sorted()] == [
        ("missing-field", at(TEMPLE_ROW, "coordinates.lon"),
         "required field 'coordinates.lon' is missing"),
        ("missing-field", at(TEMPLE_ROW, "coordinates.verified"),
         "required field 'coordinates.verified' is missing"),
    ]
    assert_nothing_written(root, before, changes)


def test_unknown_column_suggests_the_right_name(project):
    before = tree_digest(project)
    text = edit(export(project), {("water-tower", "hours.en"): "a good edit"},
                header={"coordinates.accuracy_m": "coordinates.acuracy_m"})
    changes, report = run_import(project, text)
    assert [(d.code, d.where, d.message, d.hint) for d in report.items] == [
        ("unknown-field", at(1, "coordinates.accuracy_m"),
         "unknown field 'coordinates.acuracy_m'", "did you mean 'coordinates.accuracy_m'?")]
    assert_nothing_written(project, before, changes)


@pytest.mark.parametrize("name, code, message, hint", [
    ("hours.de", "unknown-language", "'hours' has text for unknown language 'de'",
     "languages: vi, en, ru"),
    ("sources[1].title", "unknown-field", "unknown field 'sources[1].title'",
     "lists of entries (recognition, sources, media) are not in the spreadsheet: edit them "
     "in sites/<id>/site.yml"),
    ("notes", "unknown-field", "unknown field 'notes'", "keep the first row as it was "
     "exported; to start again, export a fresh spreadsheet with `heritage export-csv`"),
])
def test_other_unknown_columns(project, name, code, message, hint):
    before = tree_digest(project)
    changes, report = run_import(project, edit(export(project), {},
                                               header={"admission.ru": name}))
    assert [(d.code, d.where, d.message, d.hint) for d in report.items] == [
        (code, at(1, "admission.ru"), message, hint)]
    assert_nothing_written(project, before, changes)


def test_unknown_site_id(project):
    before = tree_digest(project)
    text = edit(export(project), {("water-tower", "hours.en"): "a good edit",
                                  ("water-tower", "id"): "water-towr"})
    changes, report = run_import(project, text)
    assert [(d.code, d.where, d.message) for d in report.items] == [
        ("bad-csv", at(TOWER_ROW, "id"), "there is no site 'water-towr' in sites/")]
    assert report.items[0].hint.startswith("did you mean 'water-tower'?")
    assert_nothing_written(project, before, changes)


def test_every_mistake_in_one_run(project):
    before = tree_digest(project)
    text = edit(export(project), {
        ("a-temple", "period.start"): "năm 1928", ("a-temple", "coordinates.lat"): "95",
        ("water-tower", "coordinates.verified"): "maybe", ("water-tower", "hours.en"): "ok",
    }, header={"admission.vi": "admision.vi"})
    changes, report = run_import(project, text)
    assert [(d.code, d.where) for d in report.sorted()] == [
        ("unknown-field", at(1, "admission.vi")),
        ("bad-coordinates", at(TEMPLE_ROW, "coordinates.lat")),
        ("bad-date", at(TEMPLE_ROW, "period.start")),
        ("bad-value", at(TOWER_ROW, "coordinates.verified")),
    ]
    assert_nothing_written(project, before, changes)


@pytest.mark.parametrize("mangle, code, where, message", [
    (lambda text: text + '"water-tower,"2A\r\n', "bad-csv", (4, 1),
     "the spreadsheet cannot be read from row 4: ',' expected after '\"'"),
    (lambda text: text + '"water-tower,2A\r\n', "bad-csv", (4, 1),
     "the spreadsheet cannot be read from row 4: unexpected end of data"),
    (lambda text: text.replace("a-temple,2B,", "a-temple,2B,,", 1), "bad-csv",
     (2, len(COLUMNS) + 1), f"row 2 has {len(COLUMNS) + 1} cells but the first row names "
     f"{len(COLUMNS)} columns"),
    (lambda text: text.replace("id,code,", "site,code,", 1), "bad-csv", (1, 1),
     "the first row has no 'id' column, so no row can be matched to a site"),
    (lambda text: text + text.split("\r\n")[1] + "\r\n", "duplicate-key", (4, 1),
     "site 'a-temple' has two rows (first in row 2)"),
    (lambda text: text.replace(",admission.ru", ",hours.vi", 1), "duplicate-key",
     (1, len(COLUMNS)), f"column 'hours.vi' appears twice (first in column "
     f"{COLUMNS.index('hours.vi') + 1})"),
    (lambda text: "", "bad-csv", (1, 1),
     "the spreadsheet is empty: the first row must name the columns"),
])
def test_broken_spreadsheet(project, mangle, code, where, message):
    before = tree_digest(project)
    changes, report = run_import(project, mangle(export(project)))
    assert [(d.code, (d.where.line, d.where.column), d.message) for d in report.items] == [
        (code, where, message)]
    assert_nothing_written(project, before, changes)


def test_site_yml_the_spreadsheet_cannot_hold(project):
    file = project / "sites/water-tower/site.yml"
    file.write_text(TOWER_YML.replace('hours:\n  vi: "7:00–17:00"\n  en: "7:00–17:00"   '
                                      "# checked by phone\n", 'hours: "7:00–17:00"\n'), "utf-8")
    before = tree_digest(project)
    assert as_dicts(export(project))["water-tower"]["hours.vi"] == ""
    changes, report = run_import(project, edit(export(project), {
        ("water-tower", "hours.en"): "8:00–17:00"}))
    assert [(d.code, d.where, d.message) for d in report.items] == [
        ("wrong-type", at(TOWER_ROW, "hours.en"), "'hours' in sites/water-tower/site.yml is not "
         "written as the spreadsheet expects, so 'hours.en' cannot be changed here")]
    assert_nothing_written(project, before, changes)


COMMENTS_ONLY_YML = """\
# Water tower: facts still to gather
#   type: tower

# end of file
"""


def test_site_yml_with_only_comments_takes_an_edit(project):
    """ruamel loads a file of comments as None: the edit goes in, the comments stay."""
    file = project / "sites/water-tower/site.yml"
    file.write_text(COMMENTS_ONLY_YML, "utf-8")
    text = edit(export(project), {("water-tower", "hours.en"): "8:00–17:00"})
    changes, report = run_import(project, text)
    assert report.items == [] and len(changes) == 1
    assert file.read_text("utf-8") == COMMENTS_ONLY_YML + 'hours:\n  en: "8:00–17:00"\n'


def test_empty_site_yml_takes_an_edit(project):
    """A zero-byte file has no line positions to lay ruamel's output over."""
    file = project / "sites/water-tower/site.yml"
    file.write_bytes(b"")
    text = edit(export(project), {("water-tower", "hours.en"): "8:00–17:00"})
    changes, report = run_import(project, text)
    assert report.items == [] and len(changes) == 1
    assert file.read_text("utf-8") == 'hours:\n  en: "8:00–17:00"\n'


def test_broken_site_yml_blocks_the_import(project):
    text = edit(export(project), {("water-tower", "hours.en"): "8:00–17:00"})
    (project / "sites/a-temple/site.yml").write_text("type: temple\n\tcode: x\n", "utf-8")
    before = tree_digest(project)
    changes, report = run_import(project, text)
    assert [(d.code, str(d.where.path)) for d in report.errors] == [
        ("yaml-syntax", "sites/a-temple/site.yml")]
    assert_nothing_written(project, before, changes)


def test_messages_in_vietnamese(project):
    _, report = run_import(project, edit(export(project), {("water-tower", "id"): "thap-nuoc"}))
    assert report.lines("vi") == [
        "sites.csv:3:1: error[bad-csv]: không có di tích 'thap-nuoc' trong sites/"]


# --- the real demo project -------------------------------------------------------------------

@pytest.fixture
def demo(tmp_path):
    root = tmp_path / "demo"
    for name in ("sites", "content"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def test_demo_round_trip(demo):
    text = export(demo)
    ids = sorted(p.parent.name for p in (demo / "sites").glob("*/site.yml"))
    assert [row[0] for row in rows_of(text)[1:]] == ids
    before = tree_digest(demo)
    assert run_import(demo, text) == ([], Diagnostics())
    assert tree_digest(demo) == before
    problems = check(demo).problems()

    school = demo / "sites/duc-thanh-school/site.yml"
    original = school.read_text("utf-8")
    changes, report = run_import(demo, edit(text, {
        ("duc-thanh-school", "hours.en"): "Tuesday to Sunday, 7:00–11:00 and 13:30–16:30"}))
    assert report.items == [] and [c.field for c in changes] == ["hours.en"]
    old = next(line for line in original.splitlines() if line.startswith('  en: "According'))
    assert changed_lines(original, school.read_text("utf-8")) == [
        "- " + old, '+   en: "Tuesday to Sunday, 7:00–11:00 and 13:30–16:30"']
    assert check(demo).problems() == problems


# --- the command line (once the proposed `heritage export-csv` / `import-csv` are added) -------

def cli_main():
    from generator import cli
    return cli.main


def test_command_line_round_trip(project, capsys):
    main = cli_main()
    sheet = project / "sites.csv"
    assert main(["--project", str(project), "export-csv", str(sheet), "--lang", "en"]) == 0
    assert "2 site(s) written to" in capsys.readouterr().err
    assert sheet.read_bytes() == export(project).encode("utf-8")
    sheet.write_bytes(edit(export(project), {("water-tower", "hours.ru"): "7:00–17:00",
                                             ("water-tower", "address.ward"): ""}).encode())
    assert main(["--project", str(project), "import-csv", str(sheet), "--lang", "en"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["water-tower: address.ward: Phường Phan Thiết → (empty)",
                                    "water-tower: hours.ru: (empty) → 7:00–17:00"]
    assert "2 change(s) written" in out.err
    assert check(project).problems() == []


def test_command_line_reports_and_writes_nothing(project, capsys):
    main = cli_main()
    sheet = project / "sites.csv"
    sheet.write_bytes(edit(export(project), {("water-tower", "period.start"): "1934-13",
                                             ("water-tower", "hours.en"): "ok"}).encode())
    before = tree_digest(project / "sites")
    assert main(["--project", str(project), "import-csv", str(sheet), "--lang", "vi"]) == 1
    err = capsys.readouterr().err
    assert (f"{sheet}:3:{COLUMNS.index('period.start') + 1}: error[bad-date]: 'period.start' "
            "là '1934-13', không phải một ngày có thật") in err
    assert "Không ghi gì" in err
    assert tree_digest(project / "sites") == before
    assert main(["--project", str(project), "import-csv", str(project / "nothing.csv")]) == 2


def test_the_guide_example_is_real(make_project):
    """The field reference's bad-csv example, on the standard test project."""
    from generator.site.fieldref import examples

    example = examples()["bad-csv"]
    root = make_project()
    text = export(root)
    fix, mistake = example.snippet("fix", "en"), example.snippet("mistake", "en")
    assert text.count(fix) == 1
    assert run_import(root, text) == ([], Diagnostics())
    _, report = run_import(root, text.replace(fix, mistake))
    assert [d.code for d in report.items] == ["bad-csv"]


# --- cells a spreadsheet would run -----------------------------------------------------------

FORMULAS = {"hours.vi": '=HYPERLINK("https://example.org/x","Mở cửa")',
            "admission.vi": "+cmd|' /C calc'!A0", "admission.en": "-2+3+cmd|' /C calc'!A0",
            "address.former": "@SUM(1+1)", "address.street": "'quoted by hand"}
FORMULA_YML = '''\
code: "2A"
type: tower
address:
  street: "'quoted by hand"
  former: "@SUM(1+1)"
hours:
  vi: '=HYPERLINK("https://example.org/x","Mở cửa")'
admission:
  vi: "+cmd|' /C calc'!A0"
  en: "-2+3+cmd|' /C calc'!A0"
sources:
  - title: "A source"
    url: "https://example.org/source"
'''


def test_export_never_hands_a_spreadsheet_a_formula_and_import_restores_the_text(make_project):
    root = make_project({**site_files("water-tower", FORMULA_YML),
                         **site_files("a-temple", TEMPLE_YML), "sites/issued-codes.yml": TWO_CODES})
    assert check(root).errors == []
    text = export(root)
    cells = as_dicts(text)["water-tower"]
    for column, value in FORMULAS.items():
        assert cells[column] == "'" + value  # shown as text, never run
    before = tree_digest(root)
    assert run_import(root, text) == ([], Diagnostics())
    assert tree_digest(root) == before
    changes, report = run_import(root, edit(text, {("water-tower", "hours.en"): "8:00"}))
    assert report.items == [] and [c.field for c in changes] == ["hours.en"]
    assert "=HYPERLINK" in tower(root)
