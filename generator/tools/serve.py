"""Live preview: serve public/ on 127.0.0.1 and rebuild when an editor saves a file.

Saves are seen as the kernel reports them (`watch.Watcher`; polling once a second where it
cannot); a failed rebuild keeps serving the last good site, as `build` never publishes a
broken one. A preview
build skips the print files and the output verification (`heritage build` runs both), so an
edit shows sooner.

Every HTML page served gets `preview.js`, which holds a request to `/.heritage/preview.json`
open until a build ends: the page reloads itself when a newer build is published, and a failed
build's problems (file:line:col, message, hint, in the editor's language) cover the bottom of
the page until a build succeeds. The site's offline worker is never installed here: a kept
copy would show an edit one reload late.
"""

from __future__ import annotations

import functools
import http.server
import json
import secrets
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from generator.core import routes
from generator.build import BuildResult, build, project_cache
from generator.core.diagnostics import Diagnostics
from generator.core.messages import shown, tr
from generator.tools.watch import Watcher

STATUS = "/.heritage/preview.json"
SCRIPT = "/.heritage/preview.js"
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
# Pages a reader opens; not the map pages inside their frames, each of which would hold a
# request of its own (browsers allow six per server).
WATCHING_PAGES = frozenset({"index.html", "404.html"})
SHOWN_CHANGES = 3  # files named in the "building again" line
HOLD_SECONDS = 20.0  # how long a status request waits for a build before it is answered


class BuildState:
    """The last build's outcome, numbered, for the pages to ask about."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.run = secrets.token_hex(6)  # a page from an earlier server run reloads too
        self.generation = 0
        self._state: dict[str, object] = {"run": self.run, "generation": 0, "published": True,
                                          "problems": []}
        self._changed = threading.Condition()

    def ended(self, result: BuildResult | None) -> None:
        """A build ended: with its result, or None when it crashed (our bug)."""
        problems: list[dict[str, object]]
        with self._changed:
            self.generation += 1
            if result is None:
                title, problems = tr("cli.serve-internal-error", self.lang), []
            elif result.published:
                title, problems = "", []
            else:
                title = tr("cli.serve-failed", self.lang,
                           summary=result.report.summary(self.lang))
                problems = [d.as_dict(self.lang) for d in result.report.errors]
            self._state = {"run": self.run, "generation": self.generation, "lang": self.lang,
                           "published": bool(result and result.published), "title": title,
                           "problems": problems}
            self._changed.notify_all()

    def after(self, generation: int, timeout: float = HOLD_SECONDS) -> dict[str, object]:
        """The state once a build newer than `generation` has ended (or at the timeout)."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation > generation, timeout)
            return self._state


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Files of public/, HTML pages with the preview script, and the build state."""

    def __init__(self, *args: object, state: BuildState, **kwargs: object) -> None:
        self.state = state  # before the base class, which handles the request at once
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:  # noqa: N802  (the name http.server calls)
        if not self._local():
            return
        url = urlsplit(self.path)
        if url.path == STATUS:
            try:
                after = int(parse_qs(url.query).get("after", ["-1"])[0])
            except ValueError:
                after = -1
            state = self.state.after(after)
            self._send(json.dumps(state, ensure_ascii=False).encode(), "application/json")
        elif url.path == SCRIPT:
            self._send((Path(__file__).parent / "preview.js").read_bytes(), "text/javascript")
        elif url.path == f"/{routes.OFFLINE_WORKER}":
            self._send((Path(__file__).parent / "preview_worker.js").read_bytes(),
                       "text/javascript")
        else:
            file = Path(self.translate_path(url.path))
            page = file / "index.html" if file.is_dir() and url.path.endswith("/") else file
            if page.name in WATCHING_PAGES and page.is_file():
                generation = self.state.generation  # before the bytes: never newer than them
                self._send(self._with_script(page.read_bytes(), generation),
                           "text/html; charset=utf-8")
            else:
                super().do_GET()

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """A missing page watches the builds too: the next one may make it."""
        if code != 404 or self.command != "GET":
            super().send_error(code, message, explain)
            return
        missing = Path(self.translate_path("/404.html"))
        html = missing.read_bytes() if missing.is_file() else \
            b"<!doctype html><meta charset=utf-8><title>404</title><body><h1>404</h1></body>"
        self._send(self._with_script(html, self.state.generation), "text/html; charset=utf-8",
                   status=404)

    def do_HEAD(self) -> None:  # noqa: N802
        if self._local():
            super().do_HEAD()

    def _local(self) -> bool:
        """Answer only requests addressed to this machine by name: a page elsewhere whose
        name was pointed at 127.0.0.1 (DNS rebinding) gets 403, not the preview."""
        host = self.headers.get("Host", "")
        name = host.split("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
        if name.lower() in LOCAL_NAMES:
            return True
        self.send_error(403, "This preview answers only to 127.0.0.1 and localhost")
        return False

    def _with_script(self, html: bytes, generation: int) -> bytes:
        tag = (f'<script src="{SCRIPT}" data-run="{self.state.run}" '
               f'data-generation="{generation}"></script>').encode()
        at = html.rfind(b"</body>")
        return html[:at] + tag + html[at:] if at >= 0 else html + tag

    def _send(self, body: bytes, kind: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: every open page keeps a request waiting; the terminal is for the builds."""


def serve(root: Path, *, port: int, strict: bool, lang: str,
          show: Callable[[Diagnostics], None], say: Callable[..., None]) -> int:
    public = root / "public"
    outcome = BuildState(lang)
    cache = project_cache(root, remember=True)  # an edit reads and unpickles only itself

    def rebuild() -> None:
        try:
            result = build(root, public, strict=strict, preview=True, cache=cache)
        except Exception:  # noqa: BLE001  # our bug: say so, keep serving the last good site
            traceback.print_exc()
            say("cli.serve-internal-error")
            outcome.ended(None)
            return
        show(result.report)
        say("cli.build-published" if result.published else "cli.serve-failed",
            summary=result.report.summary(lang))
        outcome.ended(result)

    watcher = Watcher(root)  # before the first build: a save during it is not missed
    rebuild()
    handler = functools.partial(PreviewHandler, state=outcome, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say("cli.serving", url=f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        while True:
            changed = watcher.wait()
            named = ", ".join(shown(name) for name in changed[:SHOWN_CHANGES])
            say("cli.serve-changed", files=named + (" …" if changed[SHOWN_CHANGES:] else ""))
            rebuild()
    except KeyboardInterrupt:
        watcher.stop()
        server.shutdown()
        server.server_close()
    return 0
