"""QR codes that last: the ledger's rules, plaque pages, and every code decoded for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONFIG, LEDGER, REPO, build_project, check, coded_site, tower_site
from generator.build import build, verify_site
from generator.cli import main
from generator.load.codes import assign_codes, is_placeholder_url
from qr import encode, plaque_url
from qr_helpers import decoded_texts, open_png, pad, rasterise_svg
from test_qr_decode import DEGRADATIONS, PPM

URL_2A = "HTTPS://HERITAGE.EXAMPLE.ORG/Q/2A/"


def ledger(*entries: tuple[str, str, str]) -> str:
    return "codes:\n" + "".join(
        f'  - code: "{code}"\n    site: {site}\n    issued: "2026-11-27"\n    status: {status}\n'
        for code, site, status in entries)


def errors(report):
    return [(d.code, d.message) for d in report.sorted() if d.severity.value == "error"]


# --- bad input: one clear error each -------------------------------------------------------

@pytest.mark.parametrize("code, problem", [
    ("2I", "contains 'I': Crockford base32 omits the look-alike letters I, L, O and U"),
    ("2a", "has lower-case letters; codes are upper-case: '2A'"),
    ("2ABCD", "is 5 characters long; the maximum is 4"),
])
def test_bad_code_in_ledger_and_site(make_project, code, problem):
    report = check(make_project({**coded_site(code=code),
                                 "sites/issued-codes.yml": ledger((code, "water-tower",
                                                                   "active"))}))
    assert [d.code for d in report.errors] == ["bad-code", "bad-code"]
    assert all(problem in d.message for d in report.errors)
    assert {str(d.where) for d in report.errors} == {"sites/issued-codes.yml:2:11",
                                                     "sites/water-tower/site.yml"}


def test_codes_colliding_after_upper_casing(make_project):
    report = check(make_project({**coded_site(), "sites/issued-codes.yml": ledger(
        ("2A", "water-tower", "active"), ("2a", "other", "active"))}))
    assert ("code-ledger", "code 2a is issued twice (first on line 2)") in errors(report)


def test_two_sites_with_one_code(make_project):
    report = check(make_project({**coded_site(), **coded_site("school"),
                                 "sites/issued-codes.yml": LEDGER}))
    assert errors(report) == [
        ("code-ledger", "code 2A was issued to site 'water-tower' "
                        "(sites/issued-codes.yml:2:11); it cannot move to another site")]
    assert str(report.errors[0].where.path) == "sites/school/site.yml"


def test_two_unrecorded_sites_with_one_code(make_project):
    report = check(make_project({**coded_site(code="2Z"), **coded_site("school", code="2Z"),
                                 "sites/issued-codes.yml": "codes:\n"}))
    assert errors(report) == [("code-ledger", "code 2Z is not in sites/issued-codes.yml"),
                              ("code-ledger", "code 2Z is also carried by site 'school'")]


def test_code_missing_from_the_ledger(make_project):
    report = check(make_project({**coded_site(), "sites/issued-codes.yml": ledger()}))
    assert errors(report) == [("code-ledger", "code 2A is not in sites/issued-codes.yml")]


def test_code_moved_to_another_site(make_project):
    report = check(make_project({**coded_site("school"), **tower_site(),
                                 "sites/issued-codes.yml": LEDGER}))
    assert errors(report) == [
        ("code-ledger", "site 'water-tower' does not carry its code 2A"),
        ("code-ledger", "code 2A was issued to site 'water-tower' "
                        "(sites/issued-codes.yml:2:11); it cannot move to another site")]


def test_ledger_code_whose_site_is_gone(make_project):
    report = check(make_project({**tower_site("other"), "sites/issued-codes.yml": LEDGER}))
    assert errors(report) == [
        ("code-ledger", "code 2A was issued to site 'water-tower', which no longer exists")]
    assert "retired" in report.errors[0].hint


def test_site_without_code_is_a_warning(make_project):
    report = check(make_project(tower_site()))
    assert [(d.code, d.severity.value) for d in report.problems()] == [("no-code", "warning")]


# --- the ledger against git history ---------------------------------------------------------

def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                        "PATH": "/usr/bin:/bin"})


@pytest.fixture
def committed(make_project):
    """A project in a real git repository whose ledger (2A, 2B) is committed."""
    root = make_project({**coded_site(), **coded_site("school", code="2B"),
                         "sites/issued-codes.yml": ledger(("2A", "water-tower", "active"),
                                                          ("2B", "school", "active"))})
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Issue codes")
    assert errors(check(root)) == []
    return root


def test_deleting_a_committed_entry_is_caught(committed):
    (committed / "sites/issued-codes.yml").write_text(ledger(("2A", "water-tower", "active")))
    (committed / "sites/school/site.yml").write_text(
        (committed / "sites/school/site.yml").read_text().replace('code: "2B"\n', ""))
    [(code, message)] = errors(check(committed))
    assert code == "code-ledger" and message.startswith("the entry for code 2B (committed in ")


def test_rewriting_a_committed_entry_is_caught_even_after_committing_it(committed):
    rewritten = ledger(("2A", "water-tower", "active"), ("2B", "water-tower", "active"))
    (committed / "sites/issued-codes.yml").write_text(rewritten)
    git(committed, "commit", "-qam", "Rewrite history")
    messages = [m for c, m in errors(check(committed)) if "committed in" in m]
    assert len(messages) == 1 and "differs from the one committed in" in messages[0]
    assert "(site school, issued 2026-11-27)" in messages[0]


def test_a_shallow_copy_says_the_history_was_not_checked(committed, tmp_path):
    page = committed / "sites/school/vi.md"
    page.write_text(page.read_text("utf-8") + "\nMột dòng nữa.\n", "utf-8")
    git(committed, "commit", "-qam", "A later edit")
    assert "code-ledger" not in [d.code for d in check(committed).problems()]
    copy = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{committed}", str(copy))
    [warning] = [d for d in check(copy).problems() if d.code == "code-ledger"]
    assert warning.severity.value == "warning" and "part of its history" in warning.message
    assert "fetch-depth: 0" in warning.hint
    ledger_text = (copy / "sites/issued-codes.yml").read_text("utf-8")
    assert main(["--project", str(copy), "new", "fish-temple"]) == 1  # no code issued blind
    assert main(["--project", str(copy), "codes", "assign"]) == 1
    assert (copy / "sites/issued-codes.yml").read_text("utf-8") == ledger_text
    assert not (copy / "sites/fish-temple").exists()
    final = build(copy, final=True)  # files to print: only from the whole history
    assert not final.published and "code-ledger" in [d.code for d in final.report.errors]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another user needs root")
def test_a_checkout_git_refuses_says_the_history_was_not_checked(committed):
    for folder, folders, names in os.walk(committed):  # as a checkout another user owns
        for name in [*folders, *names]:
            os.chown(os.path.join(folder, name), 65534, 65534, follow_symlinks=False)
    os.chown(committed, 65534, 65534)
    [warning] = [d for d in check(committed).problems() if d.code == "code-ledger"]
    assert "another user owns it" in warning.message and "safe.directory" in warning.hint


def test_retiring_is_allowed_but_not_coming_back(committed):
    retired = ledger(("2A", "water-tower", "active"), ("2B", "school", "retired"))
    (committed / "sites/issued-codes.yml").write_text(retired)
    school = committed / "sites/school/site.yml"
    school.write_text(school.read_text().replace('code: "2B"\n', ""))
    assert [c for c, _ in errors(check(committed))] == []
    git(committed, "commit", "-qam", "Retire 2B")
    (committed / "sites/issued-codes.yml").write_text(
        ledger(("2A", "water-tower", "active"), ("2B", "school", "active")))
    assert any("was retired in" in m for _, m in errors(check(committed)))


# --- assigning ----------------------------------------------------------------------------

def test_assign_appends_to_the_ledger_and_keeps_comments(make_project):
    root = make_project({**coded_site(), **tower_site("school", **{
        "site.yml": "# The school's facts\n" + (REPO / "tests/conftest.py").read_text()
        .split('SITE_YML = """\\\n')[1].split('"""')[0]}),
        "sites/issued-codes.yml": "# keep me\n" + LEDGER})
    from generator.build import load_project

    _, project, _ = load_project(root)
    import datetime

    without = [site.id for site in project.sites if site.code is None]
    assert assign_codes(root, without, project.ledger, datetime.date(2026, 12, 1)) == [
        ("school", "2B")]
    text = (root / "sites/issued-codes.yml").read_text()
    assert text.startswith("# keep me\n") and text.endswith(
        '  - code: "2B"\n    site: school\n    issued: "2026-12-01"\n    status: active\n')
    assert (root / "sites/school/site.yml").read_text().startswith(
        'code: "2B"\n# The school\'s facts\n')
    assert errors(check(root)) == []


def test_assign_command_creates_the_ledger(make_project):
    root = make_project(tower_site())
    result = subprocess.run([sys.executable, "-m", "generator", "codes", "assign"], cwd=root,
                            capture_output=True, text=True, env={"PYTHONPATH": str(REPO)})
    assert result.returncode == 0 and result.stdout == "Issued code 2A to water-tower\n"
    assert "Append-only" in (root / "sites/issued-codes.yml").read_text()
    assert check(root).problems() == []


# --- what gets published -------------------------------------------------------------------

@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """A built project: 2A active, 2B retired with its site gone, 2C retired, site kept."""
    from conftest import write_files

    root = tmp_path_factory.mktemp("coded")
    write_files(root, {"mkdocs.yml": CONFIG, **coded_site(), **coded_site("school", code="2D"),
                       "sites/issued-codes.yml": ledger(
                           ("2A", "water-tower", "active"), ("2B", "demolished", "retired"),
                           ("2C", "school", "retired"), ("2D", "school", "active"))})
    result = build(root)
    assert result.published, result.report.to_text()
    return root / "public"


def test_plaque_page_is_small_and_routes(coded):
    for path in ("Q/2A/index.html", "q/2a/index.html"):
        page = (coded / path).read_text("utf-8")
        assert len(page.encode()) <= 2048
        assert '<meta name="robots" content="noindex">' in page
        assert "<title>Tháp nước</title>" in page
        assert ('<link rel="alternate" hreflang="en" '
                'href="https://heritage.example.org/en/sites/water-tower/">') in page
        assert ">Tiếng Việt</a>" in page and ">English</a>" in page and ">Русский</a>" in page
        assert "location.replace" in page and "navigator.languages" in page
        assert '<noscript><meta http-equiv="refresh" content="0;url=../../vi/sites/water-tower/">' in page


def test_retired_codes_keep_a_page_that_links_onwards(coded):
    gone = (coded / "Q/2B/index.html").read_text("utf-8")
    assert "no longer in use" in gone and 'href="../../en/sites/"' in gone
    kept = (coded / "q/2c/index.html").read_text("utf-8")
    assert 'href="../../en/sites/school/"' in kept
    assert not (coded / "qr/2B.png").exists()


def test_published_png_and_svg_decode_to_the_ledger_url(coded):
    png = open_png((coded / "qr/2A.png").read_bytes())
    assert decoded_texts(png) == [URL_2A]
    svg = (coded / "qr/2A.svg").read_text("utf-8")
    assert decoded_texts(pad(rasterise_svg(svg, 6), 12)) == [URL_2A]


@pytest.mark.parametrize("degrade", DEGRADATIONS, ids=lambda f: f.__name__.strip("_"))
def test_published_png_survives_damage(coded, degrade):
    png = open_png((coded / "qr/2A.png").read_bytes())  # 12 px per module, DRAFT band below
    square = png.crop((0, 0, png.width, png.width))
    modules = square.width // 12
    source = square.resize((modules * PPM,) * 2, resample=0)  # the damage assumes PPM
    assert decoded_texts(degrade(source)) == [URL_2A]


def test_placeholder_site_marks_qr_files_draft(coded):
    assert is_placeholder_url("https://heritage.example.org/")
    assert "DRAFT" in (coded / "qr/2A.svg").read_text("utf-8")
    page = (coded / "en/sites/water-tower/index.html").read_text("utf-8")
    assert "heritage.example.org/q/2a" in page and "must not be printed" in page
    assert 'href="../../../qr/2A.svg"' in page


@pytest.mark.parametrize("url, placeholder", [
    ("https://disan.example.vn/", True), ("http://disan.phanthiet.vn/", True),
    ("https://localhost:8000/", True), ("https://127.0.0.1/", True),
    ("https://heritage.test/", True), ("https://disan.phanthiet.vn/", False),
])
def test_placeholder_urls(url, placeholder):
    assert is_placeholder_url(url) is placeholder


def test_final_build_refuses_a_placeholder_url(make_project):
    root = make_project()
    result = build(root, final=True)
    assert not result.published
    assert [d.code for d in result.report.errors] == ["placeholder-url"]
    assert not (root / "public").exists()


def test_final_build_with_a_real_address_has_no_draft_mark(tmp_path):
    from conftest import write_files

    root = tmp_path / "real"
    write_files(root, {"mkdocs.yml": CONFIG.replace("https://heritage.example.org/",
                                                    "https://disan.phanthiet.vn/"),
                       **coded_site(), "sites/issued-codes.yml": LEDGER})
    result = build(root, final=True)
    assert result.published, result.report.to_text()
    svg = (root / "public/qr/2A.svg").read_text("utf-8")
    assert "DRAFT" not in svg
    assert decoded_texts(pad(rasterise_svg(svg, 6), 12)) == ["HTTPS://DISAN.PHANTHIET.VN/Q/2A/"]


def test_build_reports_version_and_warns_when_codes_grow(make_project):
    long_url = "https://di-san-van-hoa-thanh-pho-phan-thiet.example.org/ban-do/"
    root = make_project(config=CONFIG.replace("https://heritage.example.org/", long_url))
    report = check(root)
    [size] = [d for d in report if d.code == "qr-size"]
    assert size.severity.value == "warning"
    assert size.message.startswith(f"code 2A: {plaque_url(long_url, '2A')} is QR version ")
    assert encode(plaque_url(long_url, "2A")).version > 3


def test_build_reports_each_codes_size(make_project):
    [size] = [d for d in check(make_project()) if d.code == "qr-size"]
    assert (size.severity.value, size.message) == (
        "info", f"code 2A: {URL_2A} is QR version 3, 29×29 modules, error correction H")


def test_verify_command_decodes_every_code(make_project):
    root = make_project()
    assert build_project(root).published
    assert verify_site(root, root / "public").problems() == []
    command = [sys.executable, "-m", "generator", "verify"]
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    assert subprocess.run(command, cwd=root, env=env, capture_output=True).returncode == 0
    blank = open_png((root / "public/qr/2A.png").read_bytes()).point(lambda _: 255)
    blank.save(root / "public/qr/2A.png")
    report = verify_site(root, root / "public")
    assert [(d.code, d.message) for d in report.errors] == [
        ("qr-unreadable", f"qr/2A.png decodes to [], not {URL_2A}")]
    assert subprocess.run(command, cwd=root, env=env, capture_output=True).returncode == 1


def test_a_build_cache_that_git_tracks_is_an_error(committed):
    """Cache entries are trusted and their names computable, so a pull request that commits
    one (say, vouching for a script as a text found safe) must fail, not be believed."""
    entry = committed / ".cache" / "entries" / ("0" * 64)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(b"heritage-cache 1\n")
    git(committed, "add", "-f", str(entry.relative_to(committed)))
    git(committed, "commit", "-qm", "Add a cache entry")
    assert errors(check(committed)) == [
        ("config", "the build cache .cache/ is tracked by git (1 file(s)): a build cannot "
                   "trust it")]
    assert not build(committed).published
    git(committed, "rm", "-rq", "--cached", ".cache")
    git(committed, "commit", "-qm", "Untrack the cache")
    assert errors(check(committed)) == []
