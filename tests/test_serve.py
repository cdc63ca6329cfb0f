"""`heritage serve` as an editor meets it: a page open in Chromium reloads itself when a saved
edit is built, shows a failed build's problems in the editor's language, and clears them when
the file is fixed. The server is the real command, started here on a free port."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from browser import browser, serve
from conftest import REPO, SITE_YML, VI_MD, build_project

WAIT_MS = 120_000  # a rebuild on a busy machine; the page says when it is done


@contextmanager
def heritage_serve(root: Path, *args: str, port: int = 0,
                   said: list[str] | None = None) -> Iterator[str]:
    """Run `heritage serve` in `root` (on a free port unless given); yields its URL once it
    serves. Its lines are added to `said` as they come."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--project", str(root), *args, "serve",
         "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # Ctrl+C as at a terminal, even when the tests run as a background job (which a
        # shell starts with SIGINT ignored, and so would its children be)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [(lines.put(line), said is not None and said.append(line))
                                     for line in process.stdout], daemon=True).start()
    try:
        while True:
            line = lines.get(timeout=WAIT_MS / 1000)
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                yield found.group(0)
                return
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("heritage serve did not stop on Ctrl+C") from None


def test_the_open_page_reloads_and_shows_a_failed_build(make_project):
    root = make_project()
    page_file = root / "sites" / "water-tower" / "vi.md"
    site_yml = root / "sites" / "water-tower" / "site.yml"
    said: list[str] = []
    with heritage_serve(root, "--lang", "vi", said=said) as url, browser() as chromium:
        page = chromium.new_page()
        page.goto(url + "vi/sites/water-tower/")
        page.wait_for_selector("html[data-heritage-preview=watching]", state="attached")
        assert "Tháp nước" in page.title()

        with page.expect_navigation(timeout=WAIT_MS):
            page_file.write_text(VI_MD.replace('"Tháp nước"', '"Tháp nước cổ"'), "utf-8")
        page.wait_for_selector("html[data-heritage-preview=watching]", state="attached")
        assert "Tháp nước cổ" in page.title()
        # the terminal names the saved file, in the editor's language
        assert "Đã thay đổi: sites/water-tower/vi.md; đang dựng lại\n" in said

        site_yml.write_text(site_yml.read_text("utf-8").replace("type: tower", "type: towr"),
                            "utf-8")
        overlay = page.wait_for_selector("#heritage-preview-problems", timeout=WAIT_MS)
        text = overlay.inner_text()
        assert "Dựng không thành công" in text  # the editor's language
        assert "sites/water-tower/site.yml:2:7" in text
        assert "có phải ý bạn là 'tower'?" in text  # the hint, not only the message
        assert "Tháp nước cổ" in page.title()  # still the last good page

        with page.expect_navigation(timeout=WAIT_MS):
            site_yml.write_text(f'code: "2A"\n{SITE_YML}', "utf-8")
        page.wait_for_selector("html[data-heritage-preview=watching]", state="attached")
        assert page.locator("#heritage-preview-problems").count() == 0


def test_a_project_whose_first_build_fails_shows_why_and_then_the_site(make_project):
    root = make_project()
    site_yml = root / "sites" / "water-tower" / "site.yml"
    good = site_yml.read_text("utf-8")
    site_yml.write_text(good.replace("type: tower", "type: towr"), "utf-8")
    with heritage_serve(root) as url, browser() as chromium:
        page = chromium.new_page()
        page.goto(url + "vi/sites/water-tower/")  # nothing is published yet
        overlay = page.wait_for_selector("#heritage-preview-problems", timeout=WAIT_MS)
        assert "sites/water-tower/site.yml:2:7" in overlay.inner_text()
        with page.expect_navigation(timeout=WAIT_MS):
            site_yml.write_text(good, "utf-8")
        page.wait_for_selector("html[data-heritage-preview=watching]", state="attached")
        assert "Tháp nước" in page.title()


def test_the_preview_answers_only_to_this_machines_names(make_project):
    """A page elsewhere whose name was pointed at 127.0.0.1 (DNS rebinding) gets nothing."""
    root = make_project()
    with heritage_serve(root) as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        for host, status in (("evil.example:%d" % port, 403), ("127.0.0.1:%d" % port, 200),
                             ("localhost:%d" % port, 200), ("evil.example", 403)):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/vi/", headers={"Host": host})
            response = connection.getresponse()
            assert (host, response.status) == (host, status)
            response.read()
            connection.close()
        for after in ("--1", "%C2%B2", "x"):  # never a crash of the request
            with urllib.request.urlopen(f"{url}.heritage/preview.json?after={after}",
                                        timeout=30) as answer:
                assert json.loads(answer.read())["published"] is True


def test_the_preview_script_is_never_published(make_project):
    root = make_project()
    with heritage_serve(root):
        pass
    built = [p for p in (root / "public").rglob("*") if p.is_file()]
    assert built and not any(b"preview.js" in p.read_bytes() for p in built
                             if p.suffix in (".html", ".js"))


def test_the_preview_shows_what_was_just_built_not_a_kept_copy(make_project):
    """The published site's offline worker must not serve the preview: a worker left on this
    address by the site (served here before) is removed, with what it kept."""
    root = make_project()
    assert build_project(root).published
    port = free_port()
    with browser() as chromium:
        context = chromium.new_context()
        page = context.new_page()
        with serve(root / "public", port) as url:
            page.goto(url + "vi/sites/water-tower/")
            page.locator("html[data-heritage-offline=kept]").wait_for(state="attached")
        assert page.evaluate(KEPT_FILES) > 0
        with heritage_serve(root, port=port) as url:
            page.goto(url + "vi/sites/water-tower/")
            page.wait_for_selector("html[data-heritage-preview=watching]", state="attached")
            page.evaluate(WATCH_WORKER_GONE)
            page.wait_for_function("window.heritageWorkerGone === true", timeout=WAIT_MS)
        context.close()


KEPT_FILES = """async () => (await caches.keys()).filter(n => n.startsWith("heritage-")).length"""
# Sets window.heritageWorkerGone once this address has no worker and no kept files (Playwright's
# wait_for_function does not wait for a promise).
WATCH_WORKER_GONE = f"""() => {{ (async function poll() {{
  const workers = (await navigator.serviceWorker.getRegistrations()).length;
  if (workers === 0 && await ({KEPT_FILES})() === 0) window.heritageWorkerGone = true;
  else setTimeout(poll, 50);
}})(); }}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
