"""The editors' toolkit: one CLI, messages in Vietnamese and English, status, the journey."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import subprocess

from types import SimpleNamespace

import pytest

from conftest import REPO
from generator.cli import main
from generator.core.messages import LANGUAGES, catalogue


def heritage(root, *args, lang="en"):
    """`heritage ARGS --lang LANG` as run in `root`, in this process (the command line is
    `generator.cli.main`; a subprocess would only add Python's start and imports)."""
    return run_main(root, [*args, "--lang", lang])


def run_main(root, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as done:  # argparse: --help, or a usage error
            code = done.code if isinstance(done.code, int) else 2
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


# --- the catalogue ------------------------------------------------------------------------

def keys_used_in_code():
    """Every catalogue key the code names: message and hint keys, phrases, CLI texts."""
    used = set()
    for file in sorted((REPO / "generator").rglob("*.py")):
        tree = ast.parse(file.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                strings = [a for a in node.args if isinstance(a, ast.Constant)
                           and isinstance(a.value, str)]
                if name in {"error", "warning", "info"} and strings:
                    # error(code, where, key): without a key, the code names the message
                    keys = [a.value for a in node.args[2:] if isinstance(a, ast.Constant)]
                    used |= set(keys) if len(node.args) > 2 else {strings[0].value}
                if name in {"phrase", "tr", "say", "text"} and strings:
                    used |= {s.value for s in strings if re.match(r"^[a-z][a-z.-]*$", s.value)}
                for keyword in node.keywords:
                    if keyword.arg in {"hint", "key"} and isinstance(keyword.value, ast.Constant):
                        used.add(keyword.value.value)
    return {key for key in used if key and re.match(r"^[a-z][a-z0-9.-]*$", key)}


def test_every_message_the_code_uses_is_in_the_catalogue():
    missing = sorted(keys_used_in_code() - set(catalogue()))
    assert missing == []
    assert len(keys_used_in_code()) > 100  # the scan finds the messages, it is not vacuous


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_exists_in_every_language(lang):
    assert [key for key, texts in catalogue().items() if not texts.get(lang)] == []


def test_translations_use_the_same_placeholders():
    for key, texts in catalogue().items():
        names = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert names["vi"] == names["en"], key


def test_every_diagnostic_code_is_described():
    from generator.core.diagnostics import CODES

    assert [code for code in CODES if f"code.{code}" not in catalogue()] == []


# --- the CLI ------------------------------------------------------------------------------

def test_messages_in_vietnamese(make_project):
    from conftest import SITE_YML, coded_site, LEDGER

    root = make_project({**coded_site(**{"site.yml": 'code: "2A"\n' + SITE_YML.replace(
        "accuracy_m", "acuracy_m")}), "sites/issued-codes.yml": LEDGER})
    result = heritage(root, "check", lang="vi")
    assert result.returncode == 1
    assert ("sites/water-tower/site.yml:7:3: error[unknown-field]: không có trường "
            "'coordinates.acuracy_m'\n  gợi ý: có phải ý bạn là 'accuracy_m'?") in result.stderr
    assert "Kiểm tra không đạt: 1 lỗi, 0 cảnh báo" in result.stderr
    english = heritage(root, "check")
    assert "unknown field 'coordinates.acuracy_m'" in english.stderr
    assert "  hint: did you mean 'accuracy_m'?" in english.stderr


def test_json_format_for_other_tools(make_project):
    root = make_project()
    (root / "sites/water-tower/site.yml").write_text(
        (root / "sites/water-tower/site.yml").read_text().replace("type: tower", "type: towr"))
    result = heritage(root, "check", "--format", "json")
    problems = json.loads(result.stdout)
    [problem] = [p for p in problems if p["severity"] == "error"]
    assert problem == {"severity": "error", "code": "bad-value", "path": "sites/water-tower/site.yml",
                       "line": 2, "column": 7, "message": "'type' is 'towr', not one of the "
                       "allowed values", "hint": problem["hint"]}
    assert problem["hint"].startswith("did you mean 'tower'?")
    assert result.returncode == 1 and result.stderr == ""


@pytest.mark.parametrize("args, code", [
    (["check"], 0), (["frobnicate"], 2), (["new", "Bad Id"], 2), (["check", "--lang", "fr"], 2),
])
def test_exit_codes(make_project, args, code):
    root = make_project()
    result = run_main(root, args)
    assert result.returncode == code, result.stderr


@pytest.mark.parametrize("command", ["new", "check", "status", "build", "serve", "verify"])
def test_every_command_has_help_in_both_languages(command, tmp_path):
    for lang, word in (("en", "Example: heritage"), ("vi", "Ví dụ: heritage")):
        result = heritage(tmp_path, command, "--help", lang=lang)
        assert result.returncode == 0 and word in result.stdout


# --- the editor's journey -------------------------------------------------------------------

def git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_editor_journey_from_new_site_to_published_page(make_project):
    root = make_project({})
    created = heritage(root, "new", "thap-nuoc")
    assert created.returncode == 0 and "2A" in created.stdout
    # a fresh site fails the check and says what to fill in, in one run
    first = heritage(root, "check")
    assert first.returncode == 1
    assert "sites/thap-nuoc/vi.md:2:8: error[missing-field]: 'title' is empty" in first.stderr
    assert "sites/thap-nuoc/vi.md:3:10: error[missing-field]: 'summary' is empty" in first.stderr
    assert "error[missing-field]: 'sources' needs at least one entry" in first.stderr
    # the editor fills in the template (uncommenting lines, with a typo first)
    site_yml = root / "sites/thap-nuoc/site.yml"
    text = site_yml.read_text("utf-8").replace("type: other", "type: towr").replace(
        "#   - title:", "  - title:").replace("#     url: \"https://\"",
                                               "    url: \"https://example.org/a\"").replace(
        "#     accessed:", "    accessed:")
    site_yml.write_text(text, "utf-8")
    vi = root / "sites/thap-nuoc/vi.md"
    vi.write_text(vi.read_text("utf-8").replace('title: ""', 'title: "Tháp nước"').replace(
        'summary: ""', 'summary: "Tháp nước cao 32 m."') + "Tháp xây năm 1934.\n", "utf-8")
    second = heritage(root, "check")
    assert second.returncode == 1 and "did you mean 'tower'?" in second.stderr
    site_yml.write_text(text.replace("type: towr", "type: tower"), "utf-8")
    assert heritage(root, "check").returncode == 0
    status = heritage(root, "status")
    assert re.search(r"thap-nuoc\s+source\s+missing\s+missing", status.stdout)
    built = heritage(root, "build")
    assert built.returncode == 0, built.stderr
    assert "Checking every link and decoding every QR code" in built.stderr  # progress
    for lang in ("vi", "en", "ru"):
        page = (root / f"public/{lang}/sites/thap-nuoc/index.html").read_text("utf-8")
        assert "Tháp xây năm 1934." in page and "../../../qr/2A.svg" in page
    assert (root / "public/Q/2A/index.html").is_file()


def test_changed_source_turns_the_translation_stale(make_project):
    root = make_project()
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "First version")
    assert re.search(r"water-tower\s+source\s+ok\s+missing", heritage(root, "status").stdout)
    vi = root / "sites/water-tower/vi.md"
    vi.write_text(vi.read_text("utf-8").replace("Tháp cao 32 m.", "Tháp cao 32 m, xây 1934.")
                  .replace('summary: "Tháp nước xây 1928–1934."', 'summary: "Tháp nước."'),
                  "utf-8")
    status = heritage(root, "status")
    assert re.search(r"water-tower\s+source\s+STALE\s+missing", status.stdout)
    assert ("water-tower (en): the source changed since the translation: summary, "
            "## Lịch sử") in status.stdout
    assert heritage(root, "status", "--strict").returncode == 1
    check = heritage(root, "check")
    assert check.returncode == 0 and "warning[stale-translation]" in check.stderr
    assert heritage(root, "check", "--strict").returncode == 1
    build = heritage(root, "build", "--strict")
    assert build.returncode == 1 and not (root / "public").exists()
