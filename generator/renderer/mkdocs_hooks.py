"""The MkDocs event hooks `renderer.mkdocs` adds to every language's generated config.

Jinja compiles the theme's templates in every MkDocs run, about a third of the time a one-page
(`--dirty`) render takes at a province's size. Their compiled code is kept beside the
generated configs under a hash of each template's source, so a theme is compiled once; a
changed template, or another Jinja or Python, compiles again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

COMPILED = "templates"  # beside the generated configs


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    folder = Path(config.config_file_path).parent / COMPILED
    folder.mkdir(exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
