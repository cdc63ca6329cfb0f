"""The editors' field reference is generated from the schema and covers every field and code.

In English and Vietnamese: every field has a Vietnamese description (and no description names a
field that is gone), every diagnostic code has an example, and every example that `heritage
check` can show is run on the standard test project: the fix passes, the mistake reports the
code. So the guide cannot drift from the tool.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import check
from generator.core.diagnostics import CODES
from generator.site.fieldref import (
    EXAMPLES, FIELDS_VI, HOW, SECTIONS, Example, anchor, examples, field_paths,
    field_reference, vi_descriptions,
)
from generator.core.messages import LANGUAGES


def all_paths(fields):
    return [path for path, _ in field_paths(fields)]


# --- fields --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_field_and_code_is_documented(lang):
    text = field_reference(lang)
    for _, fields in SECTIONS:
        for path in all_paths(fields):
            assert f"| `{path}` |" in text, path
    for code in CODES:
        assert f"| `{code}` |" in text, code
        assert f"{{#{anchor(code)}}}" in text, code
    assert "{#codes}" in text


def test_every_field_has_a_description():
    for _, fields in SECTIONS:
        for path, field in field_paths(fields):
            assert field.doc.strip(), path


def test_every_field_has_a_vietnamese_description():
    described = vi_descriptions()
    missing = [f"{key}: {path}" for key, fields in SECTIONS for path in all_paths(fields)
               if not described.get(key, {}).get(path, "").strip()]
    assert missing == [], f"add these to {FIELDS_VI.name}"


def test_no_vietnamese_description_for_a_field_that_is_gone():
    known = {key: set(all_paths(fields)) for key, fields in SECTIONS}
    stale = [f"{key}: {path}" for key, paths in vi_descriptions().items()
             for path in paths if path not in known.get(key, set())]
    assert stale == [], f"remove these from {FIELDS_VI.name} (or fix their section)"


def test_vietnamese_page_is_in_vietnamese():
    vi, en = field_reference("vi"), field_reference("en")
    assert "| Trường | Kiểu | Bắt buộc | Ý nghĩa | Ví dụ |" in vi
    assert "Vĩ độ, dạng số thập phân" in vi and "Latitude in decimal degrees" not in vi
    assert "## Mã lỗi {#codes}" in vi and "**Sai**" in vi and "**Đúng**" in vi
    assert "| Field | Kind | Required | What it is | Example |" in en
    assert "Latitude in decimal degrees" in en and "Vĩ độ" not in en
    assert "## Problem codes {#codes}" in en and "**Mistake**" in en
    assert field_reference("ru") == en  # no Russian guide: English


# --- examples ------------------------------------------------------------------------------

def test_every_code_has_an_example():
    assert [code for code in CODES if code not in examples()] == []
    assert [code for code in examples() if code not in CODES] == []


@pytest.mark.parametrize("code", CODES)
def test_example_is_complete(code):
    example = examples()[code]
    assert example.how in HOW, code
    assert example.file.strip()
    for lang in LANGUAGES:
        assert example.explain.get(lang, "").strip(), (code, lang)
        assert example.snippet("mistake", lang).strip() and example.snippet("fix", lang).strip()
        assert example.snippet("mistake", lang) != example.snippet("fix", lang)
    if example.how == "rename":
        assert example.file.endswith("/")
    if example.how == "encoding":
        assert example.encoding
    if example.how == "write":
        assert example.content is not None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_examples_are_on_the_page(lang):
    text = field_reference(lang)
    for code, example in examples().items():
        section = text.split(f"{{#{anchor(code)}}}", 1)[1].split("\n### ", 1)[0]
        assert example.shown("mistake", lang) in section, code
        assert example.shown("fix", lang) in section, code
        assert f"`{example.file}`" in section, code


CHECKABLE = [code for code in CODES if code in examples() and examples()[code].checkable]


def test_most_codes_are_proven_by_check():
    assert len(CHECKABLE) >= len(CODES) - 6


@pytest.mark.parametrize("code", CHECKABLE)
def test_example_reports_its_code(make_project, code):
    """The fixed project passes; the mistake makes `check` report the code."""
    example = examples()[code]
    root = make_project()
    apply_setup(root, example.setup or {})
    fixed = check(root)
    assert fixed.errors == [] and reported(fixed, code) == [], fixed.to_text()
    make_mistake(root, example)
    mistaken = check(root)
    assert reported(mistaken, code), (f"{EXAMPLES.name}: the {code} example is not reported:\n"
                                      + mistaken.to_text())


def reported(report, code):
    return [d for d in report.problems() if d.code == code]


def apply_setup(root: Path, setup) -> None:
    for name, value in setup.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, str):
            target.write_text(value, "utf-8")
        elif "append" in value:
            target.write_text(target.read_text("utf-8") + value["append"], "utf-8")
        elif "copy" in value:
            shutil.copyfile(root / value["copy"], target)
        else:
            write_photo(target, value["photo"])


def write_photo(target: Path, size) -> None:
    width, height = size
    image = Image.new("RGB", (width, height), (180, 140, 90))
    image.save(target, "PNG" if target.suffix.lower() == ".png" else "JPEG")


def make_mistake(root: Path, example: Example) -> None:
    target = root / example.file
    if example.how == "edit":
        text = target.read_text("utf-8")
        fix, mistake = example.snippet("fix", "en"), example.snippet("mistake", "en")
        assert text.count(fix) == 1, f"{example.code}: the fix must occur once in {example.file}"
        target.write_text(text.replace(fix, mistake), "utf-8")
    elif example.how == "rename":
        before = example.snippet("fix", "en").split("\n")
        after = example.snippet("mistake", "en").split("\n")
        assert len(before) == len(after)
        for old in before:
            assert (target / old).exists(), f"{example.code}: {example.file}{old} is not there"
        for old, new in zip(before, after):
            if old != new:
                (target / old.rstrip("/")).rename(target / new.rstrip("/"))
    elif example.how == "encoding":
        target.write_bytes(target.read_text("utf-8").encode(example.encoding))
    elif example.how == "write":
        if isinstance(example.content, str):
            target.write_text(example.content, "utf-8")
        else:
            write_photo(target, example.content["photo"])
    else:
        raise AssertionError(f"{example.code}: {example.how} examples are not checkable")


def test_prose_examples_state_the_tool_s_real_rules():
    """Numbers the prose examples quote are the tool's own."""
    import qr
    from generator.assets.photos import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS

    too_large = examples()["image-too-large"].explain
    assert f"{DEFAULT_MAX_PIXELS // 1_000_000} million" in too_large["en"]
    assert f"{DEFAULT_MAX_PIXELS // 1_000_000} triệu" in too_large["vi"]
    assert all(f"{DEFAULT_MAX_BYTES // 1_000_000} MB" in text for text in too_large.values())
    assert set(qr.ALPHABET) == set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set("ILOU")
    assert all("I, L, O" in text for text in examples()["bad-code"].explain.values())


def test_examples_file_is_plain_yaml():
    data = yaml.safe_load(EXAMPLES.read_text("utf-8"))
    allowed = {"file", "mistake", "fix", "explain", "how", "setup", "content", "encoding"}
    for code, entry in data.items():
        assert set(entry) <= allowed, code


# --- the built site ------------------------------------------------------------------------

def test_reference_is_published_in_every_language(demo_site):
    pages = {lang: (demo_site / lang / "editors/fields/index.html").read_text("utf-8")
             for lang in ("vi", "en", "ru")}
    for html in pages.values():
        assert "coordinates.accuracy_m" in html and 'id="codes"' in html
        assert 'id="code-yaml-syntax"' in html and 'href="#code-missing-alt"' in html
    notice = 'class="admonition'  # the fallback notice
    assert "Vĩ độ, dạng số thập phân" in pages["vi"] and notice not in pages["vi"]
    assert "Latitude in decimal degrees" in pages["en"] and notice not in pages["en"]
    assert "Latitude in decimal degrees" in pages["ru"] and notice in pages["ru"]
