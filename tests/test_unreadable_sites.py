"""A site folder whose site.yml cannot be used gets its own errors and nothing derived from
them: no "the site no longer exists" with a hint to retire its printed code, no tour error.
YAML that would make any walk over it unbounded (aliases, deep nesting) is refused at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import LEDGER, REPO, SITE_YML, check, coded_site

TOUR = 'name: {vi: "Dạo phố"}\nstops: [water-tower]\n'
BOMB = ("bomb: &a [x, x, x, x, x, x, x, x, x]\n" +
        "".join(f"b{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
                for i in range(8)))


@pytest.mark.parametrize("files, code", [
    ({"sites/water-tower/site.yml": ""}, None),  # emptied by mistake
    ({"sites/water-tower/site.yml": None, "sites/water-tower/site.yaml": SITE_YML}, None),
    ({"sites/water-tower/site.yml": 'code: "2A"\ntype: [tower\n'}, "yaml-syntax"),
    ({"sites/water-tower/site.yml": 'code: "2A"\n' + SITE_YML + "extra: &r [*r]\n"},
     "yaml-syntax"),
    ({"sites/water-tower/site.yml": 'code: "2A"\n' + SITE_YML + "x: " + "[" * 30 +
      "]" * 30 + "\n"}, "yaml-syntax"),
])
def test_an_unusable_site_file_reports_only_itself(make_project, files, code):
    project = {**coded_site(), "sites/issued-codes.yml": LEDGER,
               "content/tours/walk.yml": TOUR, **files}
    report = check(make_project({k: v for k, v in project.items() if v is not None}))
    errors = report.errors
    assert errors, "the broken file must be reported"
    assert all(str(d.where.path).startswith("sites/water-tower/") for d in errors), \
        [d.line() for d in errors]
    assert not any("retire" in (d.hint or "") for d in report)
    if code:
        assert {d.code for d in errors} == {code}


def test_an_alias_bomb_is_refused_without_being_expanded(make_project):
    """Under 1 KB that would stand for 387 million values: one error, at once."""
    root = make_project({**coded_site(**{"site.yml": 'code: "2A"\n' + SITE_YML + BOMB}),
                         "sites/issued-codes.yml": LEDGER})
    result = subprocess.run([sys.executable, "-m", "generator", "--project", str(root),
                             "check"], cwd=REPO, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "error[yaml-syntax]: YAML anchors and aliases" in output
    assert "1 error(s)" in output and "Traceback" not in output


@pytest.mark.parametrize("wrong, right", [
    ("site.yaml", "site.yml"), ("Site.yml", "site.yml"), ("site.yml.txt", "site.yml"),
    ("VI.md", "vi.md"), ("vi.md.txt", "vi.md"), ("en.markdown", "en.md"),
])
def test_a_misnamed_file_gets_the_name_it_needs(make_project, wrong, right):
    site = coded_site()
    folder = "sites/water-tower/"
    site[folder + wrong] = site.pop(folder + right)
    report = check(make_project({**site, "sites/issued-codes.yml": LEDGER}))
    errors = [d for d in report.errors if d.code != "stale-translation"]
    assert [(d.code, str(d.where.path)) for d in errors] == [
        ("missing-file", folder + wrong)], [d.line() for d in report.errors]
    assert errors[0].hint == f"rename {wrong} to {right} (exactly so: lower case, no extra " \
        "extension)"


@pytest.mark.parametrize("line, warning", [
    ("type: “tower”", "'type' is wrapped in curly quotes"),
    ("type: tower\u200b", "'type' holds an invisible character (U+200B)"),
    ("type: tower\nhours: {vi: “6 giờ đến 18 giờ”}", "'hours.vi' is wrapped in curly quotes"),
])
def test_word_processor_habits_are_named(make_project, line, warning):
    yml = 'code: "2A"\n' + SITE_YML.replace("type: tower", line)
    report = check(make_project({**coded_site(**{"site.yml": yml}),
                                 "sites/issued-codes.yml": LEDGER}))
    assert any(warning in d.message for d in report.warnings), [d.line() for d in report]
