"""Live preview: serve public/ on 127.0.0.1 and rebuild when an editor saves a file.

Polling (once a second) keeps it dependency-free and works on every file system; a failed
rebuild keeps serving the last good site, as `build` never publishes a broken one. A preview
build skips the print files and the output verification (`heritage build` runs both), so an
edit shows sooner.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from generator.build import build
from generator.diagnostics import Diagnostics

WATCHED = ("sites", "content", "mkdocs.yml")


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every watched file: a change in any means rebuild."""
    state = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for file in files:
            if file.is_file():
                stat = file.stat()
                state[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return state


def serve(root: Path, *, port: int, strict: bool, lang: str,
          show: Callable[[Diagnostics], None], say: Callable[..., None]) -> int:
    public = root / "public"

    def rebuild() -> None:
        try:
            result = build(root, public, strict=strict, preview=True)
        except Exception:  # noqa: BLE001  # our bug: say so, keep serving the last good site
            traceback.print_exc()
            say("cli.serve-internal-error")
            return
        show(result.report)
        say("cli.build-published" if result.published else "cli.serve-failed",
            summary=result.report.summary(lang))

    rebuild()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say("cli.serving", url=f"http://127.0.0.1:{port}/")
    state = snapshot(root)
    try:
        while True:
            time.sleep(1)
            current = snapshot(root)
            if current != state:
                state = current
                rebuild()
    except KeyboardInterrupt:
        server.shutdown()
    return 0
