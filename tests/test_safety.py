"""Editor Markdown cannot put script on a page: each vector is an error at its line."""

from __future__ import annotations

import pytest

from conftest import VI_MD, check, tower_site

VECTORS = [
    ("<script>alert(1)</script>", "<script> is not allowed on a page"),
    ('<p onclick="alert(1)">hi</p>', "the event attribute 'onclick' is not allowed"),
    ("A paragraph.\n{: onmouseover=\"alert(1)\" }", "the event attribute 'onmouseover' is not allowed"),
    ("[click](javascript:alert(1))", "a 'javascript:' link is not allowed"),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "a 'javascript:' link is not allowed"),
    ('<a href=" JAVASCRIPT:alert(1)">x</a>', "a 'javascript:' link is not allowed"),
    ('<img src="x" onerror="alert(1)">', "the event attribute 'onerror' is not allowed"),
    ('<iframe src="https://example.org"></iframe>', "<iframe> is not allowed on a page"),
    ('<object data="x.swf"></object>', "<object> is not allowed on a page"),
    ('<form action="https://example.org"><input name="q"></form>',
     "<form> is not allowed on a page"),
    ("<svg><script>alert(1)</script></svg>", "<svg> is not allowed on a page"),
    ('<div markdown="1" onclick="alert(1)">x</div>', "the event attribute 'onclick' is not allowed"),
    ('<a href="#" data-heritage-lang="constructor">English</a>',
     "the attribute 'data-heritage-lang' is not allowed"),
    ('<div data-md-component="search">x</div>', "the attribute 'data-md-component' is not allowed"),
]


@pytest.mark.parametrize("snippet, message", VECTORS)
def test_script_vector_in_site_page_is_an_error_at_its_line(make_project, snippet, message):
    vi = VI_MD + "\nMore text.\n\n" + snippet + "\n"
    report = check(make_project(tower_site(**{"vi.md": vi})))
    unsafe = [d for d in report.errors if d.code == "unsafe-html"]
    assert message in [d.message for d in unsafe]
    assert all(str(d.where.path) == "sites/water-tower/vi.md" for d in unsafe)
    assert unsafe[0].where.line == 11 + snippet.count("\n")  # the offending line of vi.md


def test_vector_in_a_content_page(make_project):
    files = {**tower_site(), "content/en/about.md":
             "---\ntitle: About\n---\nFine text.\n\n<script>steal()</script>\n"}
    report = check(make_project(files))
    assert [d.line() for d in report.errors] == [
        "content/en/about.md:6:1: error[unsafe-html]: <script> is not allowed on a page"]


@pytest.mark.parametrize("snippet", [
    "[a link](https://example.org/page)",
    "[mail](mailto:someone@example.org)",
    "[local](../other/)",
    "Text with <em>emphasis</em> and <br> a break.",
    "A word {: .lead }",
])
def test_ordinary_markdown_is_allowed(make_project, snippet):
    report = check(make_project(tower_site(**{"vi.md": VI_MD + "\n" + snippet + "\n"})))
    assert [d for d in report.errors if d.code == "unsafe-html"] == []


def test_many_new_texts_are_checked_on_every_core_with_exact_positions(tmp_path):
    """A fresh clone of a province has thousands of texts never checked: they are rendered in
    worker processes, and a script among them is still reported at its own file and line."""
    from generator.build import load_project
    from province import write_province

    root = write_province(tmp_path / "province", 60)  # 300 texts in five languages
    target = root / "sites" / "site-0042" / "ko.md"
    lines = target.read_text("utf-8").split("\n")
    lines.insert(len(lines) - 1, "<img src=x onerror=alert(1)>")
    target.write_text("\n".join(lines), "utf-8")
    _, _, report = load_project(root)
    unsafe = [d for d in report.errors if d.code == "unsafe-html"]
    assert [(str(d.where.path), d.where.line) for d in unsafe] == [
        ("sites/site-0042/ko.md", len(lines) - 1)]


def test_texts_found_safe_are_not_rendered_again_and_an_edit_is(tmp_path, monkeypatch):
    from generator.check import rules as checks
    from generator.build import load_project
    from province import write_province

    root = write_province(tmp_path / "province", 8)
    assert not load_project(root)[2].errors
    rendered = []
    original = checks._check_text
    monkeypatch.setattr(checks, "_check_text", lambda item: rendered.append(item[2])
                        or original(item))
    assert not load_project(root)[2].errors
    assert rendered == []
    target = root / "sites" / "site-0003" / "en.md"
    target.write_text(target.read_text("utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
    errors = load_project(root)[2].errors
    assert [str(path) for path in rendered] == ["sites/site-0003/en.md"]
    assert [d.code for d in errors] == ["unsafe-html"]
