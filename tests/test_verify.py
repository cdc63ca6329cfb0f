"""verify.check_links on a built folder: every link holds, and a build checks only what changed.

The pages are written by hand here so each case is exact; builds of real projects run the same
check (test_site_build, test_scale).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.output import pages, verify
from generator.core.cache import Cache
from generator.core.diagnostics import Diagnostics

SITE = "https://disan.example.vn/"


def page(body: str, ids: tuple[str, ...] = ()) -> str:
    anchors = "".join(f'<h2 id="{name}">{name}</h2>' for name in ids)
    return f"<!doctype html><html><body>{anchors}{body}</body></html>\n"


def write(out: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")


@pytest.fixture()
def site(tmp_path):
    """A few hundred pages that link to each other, an anchor and an asset, all of them good."""
    out = tmp_path / "public"
    files = {"assets/site.css": "body{}",
             "vi/index.html": page('<a href="sites/s0/#history">s0</a>', ("top",))}
    for n in range(300):
        files[f"vi/sites/s{n}/index.html"] = page(
            f'<link rel="stylesheet" href="../../../assets/site.css">'
            f'<a href="../s{(n + 1) % 300}/">next</a> <a href="../../#top">home</a>'
            f'<a href="{SITE}vi/sites/s{n}/">here</a>', ("history",))
    write(out, files)
    return out


class Counted:
    """check_links with a cache, counting the pages it had to parse."""

    def __init__(self, out: Path, monkeypatch):
        self.out = out
        self.cache = Cache(out.parent / "cache")
        self.parsed: list[str] = []
        original = pages.read_page
        monkeypatch.setattr(pages, "read_page", lambda text: self.parsed.append(text)
                            or original(text))

    def __call__(self) -> list[str]:
        self.parsed.clear()
        report = Diagnostics()
        verify.check_links(self.out, SITE, {}, report, self.cache)
        return [problem.message for problem in report.errors]


def test_a_second_check_of_the_same_output_parses_nothing(site, monkeypatch):
    check = Counted(site, monkeypatch)
    assert check() == []
    assert len(check.parsed) == 301
    assert check() == []
    assert check.parsed == []


def test_a_changed_page_is_checked_again(site, monkeypatch):
    check = Counted(site, monkeypatch)
    assert check() == []
    write(site, {"vi/sites/s7/index.html": page('<a href="../s999/">gone</a>', ("history",))})
    assert check() == ["'../s999/' points at a page or file that is not built "
                       "(in vi/sites/s7/index.html)"]
    assert len(check.parsed) == 1


def test_a_lost_anchor_is_found_on_the_unchanged_pages_that_point_at_it(site, monkeypatch):
    check = Counted(site, monkeypatch)
    assert check() == []
    write(site, {"vi/index.html": page('<a href="sites/s0/#history">s0</a>', ("start",))})
    errors = check()
    assert len(errors) == 300  # every site page links to ../../#top
    assert all(error.startswith("'../../#top' points at a missing anchor #top (in vi/sites/s")
               for error in errors)
    assert len(check.parsed) == 301  # the home page and the pages that point at its anchor


def test_a_removed_file_makes_every_page_checked_again(site, monkeypatch):
    check = Counted(site, monkeypatch)
    assert check() == []
    (site / "assets/site.css").unlink()
    errors = check()
    assert len(errors) == 300
    assert all(error.startswith("'../../../assets/site.css' points at a page or file that is "
                                "not built") for error in errors)


def test_a_failed_check_is_not_remembered(site, monkeypatch):
    check = Counted(site, monkeypatch)
    write(site, {"vi/sites/s3/index.html": page('<a href="../nowhere/">x</a>')})
    assert len(check()) == 1
    assert len(check()) == 1
    assert len(check.parsed) == 301


def test_a_new_page_is_checked_and_adding_it_breaks_no_other(site, monkeypatch):
    check = Counted(site, monkeypatch)
    assert check() == []
    write(site, {"vi/sites/new/index.html": page('<a href="../../missing/">x</a>')})
    assert check() == ["'../../missing/' points at a page or file that is not built "
                       "(in vi/sites/new/index.html)"]
    assert len(check.parsed) == 1


def test_many_pages_are_scanned_on_every_core_with_the_same_findings(site, monkeypatch):
    write(site, {"vi/sites/s5/index.html": page('<a href="../s6/#nowhere">x</a>')})
    monkeypatch.setattr(pages, "SCAN_IN_PARALLEL_FROM", 10)
    report = Diagnostics()
    verify.check_links(site, SITE, {}, report)
    assert [problem.message for problem in report.errors] == [
        "'../s6/#nowhere' points at a missing anchor #nowhere (in vi/sites/s5/index.html)"]
