"""Print files in a built site: plaques, sheets, maps, the /print/ page, the cache."""

from __future__ import annotations

import subprocess

import pytest

from conftest import CONFIG, EN_MD, LEDGER, SITE_YML, build_project, coded_site, write_files
from generator.build import load_project
from generator.core.diagnostics import Diagnostics
from generator.core.cache import Cache
from generator.assets.print_files import PrintStats, plan_print, render_print
from qr_helpers import decoded_texts, open_png

URL_2A = "HTTPS://HERITAGE.EXAMPLE.ORG/Q/2A/"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    root = tmp_path_factory.mktemp("printed")
    write_files(root, {"mkdocs.yml": CONFIG, **coded_site(), "sites/issued-codes.yml": LEDGER})
    result = build_project(root)
    assert result.published, result.report.to_text()
    return root / "public"


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def rasterise(path, dpi=150):
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(path)],
                         capture_output=True, check=True).stdout
    return open_png(png)


@pytest.mark.parametrize("paper", ["A4", "A5", "A6", "square200"])
def test_every_plaque_decodes_to_the_ledger_url(printed, paper):
    pdf = printed / f"print/2A-water-tower-{paper}.pdf"
    assert decoded_texts(rasterise(pdf)) == [URL_2A]
    text = pdftotext(pdf)
    assert "Tháp nước" in text and "Water Tower" in text
    assert "Quét để xem lịch sử, bản đồ" in text and "Scan for history and map" in text
    assert "heritage.example.org/q/2a" in text


def test_sticker_sheet_and_maps(printed):
    assert decoded_texts(rasterise(printed / "print/stickers.pdf")) == [URL_2A]
    for paper in ("A4", "A3"):
        assert "Tháp nước / Water Tower" in pdftotext(printed / f"print/map-overview-{paper}.pdf")


def test_print_page_lists_previews_downloads_and_the_guide(printed):
    page = (printed / "print/index.html").read_text("utf-8")
    for paper in ("A4", "A5", "A6", "square200"):
        assert f'href="2A-water-tower-{paper}.pdf" download' in page
    assert 'href="2A/"' in page and "<img" not in page  # light: previews on each code's page
    own = (printed / "print/2A/index.html").read_text("utf-8")
    assert '<img src="../2A-preview.png"' in own and (printed / "print/2A-preview.png").is_file()
    assert 'href="../2A-water-tower-A5.pdf" download' in own and "must not be printed" in own
    assert 'href="stickers.pdf"' in page and 'href="map-overview-A4.pdf"' in page
    assert "never choose \"fit to page\"" in page.lower() or "Never choose" in page
    assert "Không chọn" in page and "UV" in page
    assert "must not be printed" in page  # a placeholder site_url: draft


def test_cache_renders_only_what_changed(make_project, tmp_path):
    root = make_project({**coded_site(), **coded_site("school", code="2B"),
                         "sites/issued-codes.yml": LEDGER + LEDGER.split("codes:\n")[1]
                         .replace("2A", "2B").replace("water-tower", "school")})
    folder = tmp_path / "cache"

    def render():
        config, project, report = load_project(root)
        assert report.errors == []
        stats = PrintStats()
        cache = Cache(folder)
        files = render_print(plan_print(config, project, report), cache, report, stats)
        cache.flush()  # entries are written by a thread of their own
        assert report.errors == []
        return stats.rendered, {str(f.path): f.content for f in files}

    first, files = render()
    assert len(first) == 4 * 2 + 1 + 2  # plaques, the sheet, the overview map in A4 and A3
    again, same = render()
    assert again == [] and same == files
    en = root / "sites/school/en.md"
    en.write_text(en.read_text("utf-8").replace("Water Tower", "Old School"), "utf-8")
    changed, _ = render()
    assert sorted(changed) == sorted([f"print/2B-school-{p}.pdf" for p in
                                      ("A4", "A5", "A6", "square200")]
                                     + ["print/map-overview-A4.pdf", "print/map-overview-A3.pdf"])


def test_a_name_too_long_for_the_plaque_fails_naming_site_and_field(make_project):
    long_en = EN_MD.replace('title: "Water Tower"', 'title: "' + "Water Tower " * 18 + '"')
    root = make_project({**coded_site(**{"en.md": long_en}), "sites/issued-codes.yml": LEDGER})
    result = build_project(root)
    assert not result.published
    errors = [d for d in result.report.errors if d.code == "print"]
    assert errors and all(str(d.where.path) == "sites/water-tower/site.yml" for d in errors)
    assert "print/2A-water-tower-A5.pdf cannot be printed: name 'Water Tower Water" in \
        " ".join(d.message for d in errors)


def test_a_character_no_font_has_is_named(make_project):
    root = make_project({**coded_site(**{"en.md": EN_MD.replace("Water Tower", "\U0001F3EF Tower")}),
                         "sites/issued-codes.yml": LEDGER})
    result = build_project(root)
    assert not result.published
    assert any("U+1F3EF" in d.message for d in result.report.errors if d.code == "print")


def test_han_and_hangul_print_from_the_cjk_fallback_font(make_project, tmp_path):
    """A Chinese or Korean name never blocks a build: Noto Sans CJK (Debian fonts-noto-cjk,
    installed by `make test`) draws what Noto Sans lacks, embedded as a subset, and only in
    the files that need it."""
    title = "Water Tower (水塔) 급수탑"
    root = make_project({**coded_site(**{"en.md": EN_MD.replace("Water Tower", title)}),
                         "sites/issued-codes.yml": LEDGER})
    result = build_project(root)
    assert result.published, result.report.to_text()
    plaque = root / "public/print/2A-water-tower-A4.pdf"
    fonts = subprocess.run(["pdffonts", str(plaque)], capture_output=True, text=True,
                           check=True).stdout
    assert "NotoSansCJKTC" in fonts and all(
        line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts.splitlines()[2:])
    assert title in " ".join(pdftotext(plaque).split())
    assert decoded_texts(rasterise(plaque)) == [URL_2A]
    assert title in " ".join(pdftotext(root / "public/print/map-overview-A4.pdf").split())
    plain = root / "public/print/stickers.pdf"  # the sticker names are Vietnamese: no CJK font
    assert "CJK" not in subprocess.run(["pdffonts", str(plain)], capture_output=True,
                                       text=True, check=True).stdout


def test_missing_plaque_translation_falls_back_with_a_warning(make_project):
    config = CONFIG.replace("    region:", "    print: {languages: [vi, ru]}\n    region:")
    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER}, config=config)
    config_, project, report = load_project(root)
    jobs = plan_print(config_, project, report)
    assert [(d.severity.value, d.message) for d in report if d.code == "print"] == [
        ("warning", "site 'water-tower' has no ru text: its plaque repeats another language's "
                    "name in the ru lines")]
    assert jobs[0].args["texts"][1][0] == "Water Tower"  # ru falls back to English


def test_missing_plaque_translation_can_be_an_error(make_project):
    config = CONFIG.replace("    region:", "    print: {languages: [vi, ru], "
                            "require_translations: true}\n    region:")
    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER}, config=config)
    report = Diagnostics()
    config_, project, report = load_project(root)
    plan_print(config_, project, report)
    assert [(d.code, d.message) for d in report.errors] == [
        ("print", "site 'water-tower' has no ru text for its plaque")]


def test_a_damaged_cache_entry_is_made_again_never_a_crash(make_project, tmp_path):
    """A truncated entry (a full disk, a killed copy) once made every later build crash."""
    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER})
    folder = tmp_path / "cache"
    config, project, report = load_project(root)
    jobs = plan_print(config, project, report)
    written = Cache(folder)
    first = render_print(jobs, written, report)
    written.flush()  # entries are written by a thread of their own
    entries = sorted(folder.iterdir())
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    entries[1].write_bytes(b"")  # emptied
    cache, stats = Cache(folder), PrintStats()
    again = render_print(jobs, cache, report, stats)
    assert report.errors == []
    assert len(cache.corrupt) == 2 and len(stats.rendered) == 2
    assert [f.content for f in again] == [f.content for f in first]
    cache.flush()
    assert not [f for f in folder.iterdir() if f.name.startswith(".tmp-")]


def test_the_live_preview_skips_print_files_and_keeps_their_cache(make_project):
    from generator.build import CACHE_DIR, build

    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER})
    stages: list[str] = []
    assert build(root, progress=lambda stage, **_: stages.append(stage)).published
    assert stages[stages.index("mkdocs"):stages.index("print") + 1] == [
        "mkdocs", "assets", "print"]  # the CLI says so: cold, print is most of a build
    entries = root / CACHE_DIR / "entries"
    cached = sorted(p.name for p in entries.iterdir())
    stages.clear()
    assert build(root, preview=True, progress=lambda stage, **_: stages.append(stage)).published
    assert "print" not in stages and "verify" not in stages
    assert (root / "public/en/sites/water-tower/index.html").is_file()
    assert not (root / "public/print").exists()
    assert sorted(p.name for p in entries.iterdir()) == cached
    assert build(root).published and (root / "public/print/2A-water-tower-A4.pdf").is_file()


def test_a_plaque_prints_years_not_raw_dates(make_project):
    yml = 'code: "2A"\n' + SITE_YML + 'period:\n  start: "1911-02-21"\n  end: "1912"\n'
    root = make_project({**coded_site(**{"site.yml": yml}), "sites/issued-codes.yml": LEDGER})
    assert build_project(root).published
    text = " ".join(pdftotext(root / "public/print/2A-water-tower-A5.pdf").split())
    assert "1911–1912" in text and "1911-02-21" not in text
