"""Editor Markdown cannot put script on a page: each vector is an error at its line."""

from __future__ import annotations

import random

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import VI_MD, check, tower_site
from generator.check.safety import (
    PROSE_EXTENSIONS, is_prose, render_markdown, unsafe_constructs,
)

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
    """A fresh clone of a province has thousands of texts never checked: those that are not
    prose are rendered in worker processes, and a script among them is still reported at its
    own file and line."""
    from generator.build import load_project
    from province import write_province

    root = write_province(tmp_path / "province", 60)  # 300 texts in five languages
    for text in root.glob("sites/*/*.md"):
        text.write_text(text.read_text("utf-8") + "\nSee the [home page](../index.md).\n", "utf-8")
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


# Markdown syntax and words that look like trouble, none of them a character markup is made of.
PROSE_TOKENS = [
    "Tháp nước", "Phan Thiết", "漢字", "😀", "javascript:alert(1)", "onerror=alert(1)",
    "https://x.example/a?b=c", "www.example.org", "data:text/html,x", "a@b.example", "TOC",
    "# ", "## ", "\n!!! note\n    ", '\n!!! danger "Ghi chú"\n    ', "*", "**", "_", "`", "```",
    "    ", "\n- ", "\n1. ", "\n> ", "|", "\n| a | b |\n|---|:-:|\n| c | d |\n", "---", ":",
    "\n: ", "\n", "\n\n", '"', "'", "(", ")", "=", "/", "\\", "!", "#", "~", "^", "%", "$",
    "\t", "+", "--", "...", "}", "]", ">", "\u00a0", "*HTML", "HTML",
]
ALL_PROSE = (*sorted(PROSE_EXTENSIONS - {"toc"}), {"toc": {"permalink": True}})


def test_prose_is_found_safe_without_rendering_because_it_renders_to_fixed_markup():
    """The premise of is_prose, tried on a thousand random texts of Markdown syntax with every
    extension it trusts: what they render to has no construct that could run script, and
    only markup and attributes the extensions make themselves (links only to headings)."""
    rng = random.Random(2026)
    for _ in range(1000):
        text = "".join(rng.choice(PROSE_TOKENS) + rng.choice(("", " ")) for _ in range(40))
        assert is_prose(text, ALL_PROSE)
        fragment = render_markdown(text, ALL_PROSE)
        assert unsafe_constructs(fragment) == [], text
        for node in LexborHTMLParser(fragment).root.traverse():
            for name, value in node.attributes.items():
                assert name in ("id", "class", "title", "href", "style", "align"), text
                assert name != "href" or (value or "").startswith("#"), text


@pytest.mark.parametrize("text", [
    "See <b>this</b>.", "Tom &amp; Jerry", "[a link](https://example.org)", "A paragraph.\n{: .x}",
    "A place\x02holder", "![photo](x.jpg)", "[TOC]"])
def test_a_text_with_a_character_markup_is_made_of_is_rendered(text):
    assert not is_prose(text, ALL_PROSE)
    assert is_prose("Plain words.", ALL_PROSE)


def test_with_an_extension_it_does_not_know_every_text_is_rendered():
    """Another extension may make markup from other characters (magiclink: bare URLs)."""
    assert is_prose("Plain words, https://example.org", ("toc", "markdown.extensions.tables"))
    assert not is_prose("Plain words, https://example.org", ("toc", "pymdownx.magiclink"))
