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
