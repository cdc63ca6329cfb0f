"""offline: the service worker and the web app manifest, written at the site's root.

A tourist opens a plaque's page on a hill or a boat and walks out of signal: every page they
opened stays readable, with its styles and pictures, and a page they did not open says so and
lists those they can (offline_worker.js). The worker sits at the root so that it serves
every language, the plaque addresses and the maps.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from generator.core import routes
from generator.load.config import ProjectConfig
from generator.core.i18n import Texts
from generator.core.model import OutputFile

WORKER_SOURCE = Path(__file__).with_name("offline_worker.js")


def offline_files(config: ProjectConfig) -> list[OutputFile]:
    texts = {language.code: {key: Texts(language)(f"offline_{key}")
                             for key in ("title", "text", "saved", "none")}
             for language in config.languages}
    first = config.unmatched_lang  # a phone in a language the site lacks
    worker = WORKER_SOURCE.read_text("utf-8").replace(
        '"__TEXTS__"', json.dumps(texts, sort_keys=True)).replace(
        '"__DEFAULT__"', json.dumps(first))
    name = Texts(config.language(config.default_lang))("site_name")
    manifest = {"name": name, "short_name": name, "lang": config.default_lang,
                "start_url": "./", "scope": "./", "display": "standalone",
                "background_color": "#ffffff", "theme_color": "#4051b5"}
    return [OutputFile(PurePosixPath(routes.OFFLINE_WORKER), worker.encode()),
            OutputFile(PurePosixPath(routes.MANIFEST),
                       (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode())]
