"""Every editor mistake: one clear, positioned message with a hint, all in one run."""

from __future__ import annotations

import pytest

from conftest import CONFIG, EN_MD, SITE_YML, VI_MD, check, tower_site
from generator.load.project import site_id_problem


def lines_of(report, code=None):
    """The errors (or every diagnostic with `code`) as printed lines."""
    return [d.line() for d in report.sorted()
            if d.code == code or (code is None and d.severity.value == "error")]


def test_valid_project_has_no_problems(make_project):
    assert check(make_project()).problems() == []


@pytest.mark.parametrize("yml, expected, hint", [
    ('type: tower\nsources:\n  - title: "unclosed\n    url: x\n',
     "sites/water-tower/site.yml:3:12: error[yaml-syntax]: a quote is opened but never closed",
     "close the quote"),
    ("type: tower\nsources:\n\t- title: x\n",
     "sites/water-tower/site.yml:3:1: error[yaml-syntax]: a tab character is used for "
     "indentation", "spaces, not tabs"),
])
def test_broken_yaml_in_site_file(make_project, yml, expected, hint):
    report = check(make_project(tower_site(**{"site.yml": yml})))
    assert lines_of(report, "yaml-syntax") == [expected]
    assert hint in report.errors[0].hint


def test_unquoted_colon_in_title(make_project):
    vi = VI_MD.replace('title: "Tháp nước"', "title: Tháp nước: lịch sử")
    report = check(make_project(tower_site(**{"vi.md": vi})))
    assert lines_of(report) == [
        "sites/water-tower/vi.md:2:17: error[yaml-syntax]: a value contains ': ' which YAML "
        "reads as a new field"]
    assert "double quotes" in report.errors[0].hint


def test_duplicate_key(make_project):
    report = check(make_project(tower_site(**{"site.yml": SITE_YML + "type: temple\n"})))
    assert lines_of(report) == [
        "sites/water-tower/site.yml:12:1: error[duplicate-key]: field 'type' is written "
        "twice (first on line 1)"]


def test_unknown_field_suggests_spelling(make_project):
    yml = SITE_YML.replace("  accuracy_m: 70", "  acuracy_m: 70")
    report = check(make_project(tower_site(**{"site.yml": yml})))
    assert lines_of(report) == [
        "sites/water-tower/site.yml:6:3: error[unknown-field]: unknown field "
        "'coordinates.acuracy_m'"]
    assert report.errors[0].hint == "did you mean 'accuracy_m'?"


def test_missing_required_field(make_project):
    report = check(make_project(tower_site(**{"site.yml": SITE_YML.replace("type: tower\n", "")})))
    assert lines_of(report) == [
        "sites/water-tower/site.yml:1:1: error[missing-field]: required field 'type' is missing"]
    assert report.errors[0].hint.startswith("add a line 'type: tower'")


def test_missing_title_in_front_matter(make_project):
    vi = VI_MD.replace('title: "Tháp nước"\n', "")
    report = check(make_project(tower_site(**{"vi.md": vi})))
    assert lines_of(report) == [
        "sites/water-tower/vi.md:2:1: error[missing-field]: required field 'title' is missing"]


@pytest.mark.parametrize("date", ["2018-02-30", "2018-13", "19/10/2018", "năm 1928"])
def test_invalid_date(make_project, date):
    yml = SITE_YML.replace('accessed: "2026-11-27"', f'accessed: "{date}"')
    report = check(make_project(tower_site(**{"site.yml": yml})))
    assert lines_of(report) == [
        f"sites/water-tower/site.yml:11:15: error[bad-date]: 'sources[1].accessed' is "
        f"'{date}', which is not a real date"]


@pytest.mark.parametrize("lat, lon, expected, hint", [
    ("95.2", "108.09992", "'coordinates.lat' is 95.2, outside -90..90", "not swapped"),
    ("10.92912", "190", "'coordinates.lon' is 190, outside -180..180", "not swapped"),
    ("108.09992", "10.92912", "'coordinates.lat' is 108.09992, outside -90..90", "not swapped"),
    ("21.0285", "105.8542", "the point 21.0285, 105.8542 lies outside the project's region",
     "check the numbers"),
])
def test_bad_coordinates(make_project, lat, lon, expected, hint):
    yml = SITE_YML.replace("10.92912", "LAT").replace("108.09992", "LON")
    yml = yml.replace("LAT", lat).replace("LON", lon)
    report = check(make_project(tower_site(**{"site.yml": yml})))
    assert [d.message for d in report.errors] == [expected]
    assert report.errors[0].code == "bad-coordinates"
    assert report.errors[0].where.line in (4, 5)
    assert hint in report.errors[0].hint


@pytest.mark.parametrize("name, problem", [
    ("../evil", "contains a path separator or '..'"),
    ("Water-Tower", "contains upper-case letters"),
    ("water tower", "contains a space"),
    ("tháp-nước", "contains letters outside plain ASCII (accents, Vietnamese letters)"),
    ("water--tower", "may only use a-z, 0-9 and single '-' between words"),
    ("water-tower", None),
])
def test_site_id_rules(name, problem):
    found = site_id_problem(name)
    assert (found.render() if found else None) == problem


@pytest.mark.parametrize("folder, suggestion", [
    ("Water Tower", "water-tower"),
    ("tháp-nước", "thap-nuoc"),
])
def test_unsafe_site_folder_is_reported_with_a_suggestion(make_project, folder, suggestion):
    report = check(make_project(tower_site(folder)))
    assert [d.code for d in report.errors] == ["bad-site-id"]
    assert report.errors[0].where.path.as_posix() == f"sites/{folder}"
    assert f"'{suggestion}'" in report.errors[0].hint


def test_swapped_coordinates_inside_the_valid_range(make_project):
    config = CONFIG.replace("{south: 10.5, north: 11.4, west: 107.6, east: 108.6}",
                            "{south: 40, north: 50, west: 0, east: 10}")
    yml = SITE_YML.replace("10.92912", "5.0").replace("108.09992", "45.0")
    report = check(make_project(tower_site(**{"site.yml": yml}), config=config))
    assert lines_of(report) == [
        "sites/water-tower/site.yml:4:8: error[bad-coordinates]: the point 5.0, 45.0 lies "
        "outside the project's region"]
    assert "look swapped" in report.errors[0].hint


def test_duplicate_site_id(make_project):
    report = check(make_project({**tower_site("water-tower"), **tower_site("Water-Tower")}))
    assert sorted(d.code for d in report.errors) == ["bad-site-id", "duplicate-site-id"]


def test_missing_image(make_project):
    yml = SITE_YML + (
        "media:\n  - file: media/front.jpg\n    alt: {vi: Tháp, en: Tower}\n"
        "    credit: A. Person\n    licence: CC BY-SA 4.0\n")
    report = check(make_project(tower_site(**{"site.yml": yml})))
    assert lines_of(report) == [
        "sites/water-tower/site.yml:13:11: error[missing-file]: the image 'media/front.jpg' "
        "is not in the site folder"]


def test_file_that_is_not_utf8(make_project):
    latin1 = VI_MD.encode("utf-8").replace("Tháp cao".encode(), "Th\xe1p cao".encode("latin-1"))
    report = check(make_project(tower_site(**{"vi.md": latin1})))
    assert lines_of(report) == [
        "sites/water-tower/vi.md:7:3: error[not-utf8]: byte 0xe1 is not UTF-8 text"]


def test_missing_source_language_page(make_project):
    report = check(make_project(tower_site(**{"vi.md": None})))
    assert lines_of(report) == [
        "sites/water-tower/vi.md: error[missing-file]: site 'water-tower' has no vi.md"]


def test_yaml_values_keep_their_text(make_project):
    from generator.build import load_project

    yml = SITE_YML + ("recognition:\n  - level: national\n    decision: 0123\n"
                      "    verified: no\nhours: {vi: 12:30, en: no}\n")
    root = make_project(tower_site(**{"site.yml": yml}))
    _, project, report = load_project(root)
    assert lines_of(report) == []
    site = project.sites[0]
    assert site.recognition[0].decision == "0123"
    assert site.recognition[0].verified is False
    assert dict(site.hours.texts) == {"vi": "12:30", "en": "no"}


def test_every_mistake_in_one_run(make_project):
    files = {
        **tower_site("a-site", **{"site.yml": SITE_YML.replace("type: tower", "typ: tower")}),
        **tower_site("b-site", **{"vi.md": VI_MD.replace("---\n## ", "## ", 1)[4:]}),
        **tower_site("c-site", **{"site.yml": SITE_YML.replace("10.92912", "95")}),
        **tower_site("d-site", **{"en.md": EN_MD.replace("title:", "titel:")}),
    }
    report = check(make_project(files))
    assert [(str(d.where.path), d.code) for d in report.sorted() if d.severity.value == "error"] == [
        ("sites/a-site/site.yml", "missing-field"),
        ("sites/a-site/site.yml", "unknown-field"),
        ("sites/b-site/vi.md", "missing-field"),
        ("sites/b-site/vi.md", "missing-field"),
        ("sites/c-site/site.yml", "bad-coordinates"),
        ("sites/d-site/en.md", "missing-field"),
        ("sites/d-site/en.md", "unknown-field"),
    ]


def test_international_language_must_be_one_of_the_sites(make_project):
    config = CONFIG.replace("    region:", "    international_language: fr\n    region:")
    report = check(make_project(tower_site(), config=config))
    assert [d.code for d in report.errors] == ["config"]
    assert "'fr'" in report.errors[0].message and "vi, en, ru" in report.errors[0].hint


def test_international_language_is_english_when_the_site_has_it(tmp_path):
    from generator.load.config import load_config
    from generator.core.diagnostics import Diagnostics

    for languages, expected in (("vi, en, ru", "en"), ("vi, ru", "vi")):
        root = tmp_path / languages.replace(", ", "-")
        root.mkdir()
        entries = "".join(f"      - code: {c}\n        name: {c}\n"
                          for c in languages.split(", "))
        config = CONFIG.split("    languages:\n")[0] + "    languages:\n" + entries
        (root / "mkdocs.yml").write_text(config, "utf-8")
        loaded = load_config(root, Diagnostics())
        assert loaded is not None and loaded.unmatched_lang == expected


def test_escape_sequences_in_editor_text_never_reach_the_terminal_raw(make_project):
    """An unknown key holding an escape sequence (which could clear the screen and fake
    "Build published" in a CI log) and a direction override are shown as escapes."""
    yml = SITE_YML + '"\\e[2J\\e[HBuild published\\u202e": yes\n'
    report = check(make_project(tower_site(**{"site.yml": yml})))
    text = report.to_text("en") + report.to_text("vi")
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[2J\\x1b[HBuild published\\u202e" in text


def test_a_province_s_info_lines_are_counted_not_printed_by_the_thousand():
    """One info line per code is news for a town and a flood for a province: the text shows
    a few of each kind and how many more; every error and warning is printed; JSON has all."""
    import json
    from pathlib import PurePosixPath

    from generator.core.diagnostics import INFO_SHOWN, Diagnostics
    from generator.core.model import SourceRef

    report = Diagnostics()
    ledger = PurePosixPath("sites/issued-codes.yml")
    for line in range(1, 41):
        where = SourceRef(ledger, line, 11)
        report.info("qr-size", where, code=f"C{line}", payload=f"HTTPS://X.VN/Q/C{line}/",
                    version=2, size=25, error="Q", limit=5)
        report.warning("no-coordinates", where, site=f"site-{line}")
    text = report.to_text("en").splitlines()
    assert sum("info[qr-size]" in line for line in text) == INFO_SHOWN + 1
    assert text[-1] == (f"info[qr-size]: {40 - INFO_SHOWN} more like these "
                        "(--format json lists every one)")
    assert sum("warning[no-coordinates]" in line for line in text) == 40
    assert f"thêm {40 - INFO_SHOWN} dòng như trên" in report.to_text("vi")
    assert len(json.loads(report.to_json())) == 80
