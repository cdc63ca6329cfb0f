"""routes: the links between pages, computed without the file system."""

from __future__ import annotations

import posixpath
import random

from generator.core.routes import relative_url


def test_relative_url_agrees_with_posixpath_for_site_paths():
    rng = random.Random(1)
    parts = ["vi", "en", "sites", "a", "print", "Q", "2E", "browse", ".", ".."]
    checked = 0
    for _ in range(20000):
        here = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4))) + rng.choice("/ ")
        there = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4))) + rng.choice(
            ["/", "", "/x.png"])
        here, there = here.strip(), there.strip()
        if any(posixpath.normpath(p or ".").startswith(("..", "/")) for p in (here, there)):
            continue
        rel = posixpath.relpath(there.rstrip("/") or ".", here.rstrip("/") or ".")
        expected = "./" if rel == "." else rel + ("/" if there.endswith("/") else "")
        assert relative_url(here, there) == expected, (here, there)
        checked += 1
    assert checked > 5000
    assert relative_url("vi/sites/a/", "vi/sites/b/") == "../b/"
    assert relative_url("vi/", "vi/") == "./"
