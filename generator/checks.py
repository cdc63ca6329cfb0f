"""check: rules across files that loading one file cannot see. Reports; returns nothing."""

from __future__ import annotations

from pathlib import Path

from generator.cache import Cache, cache_key, code_digest

from generator.config import ProjectConfig
from generator.diagnostics import Diagnostics
from generator.images import check_alt, check_names
from generator.messages import phrase
from generator.model import Project
from generator.pagedoc import PageDoc
from generator import safety
from generator.safety import check_markdown


def check_project(config: ProjectConfig, project: Project, report: Diagnostics,
                  cache: Cache | None = None) -> None:
    check_safety(config, project, report, cache)
    check_translations(config, project, report)
    check_media(config, project, report)


def check_media(config: ProjectConfig, project: Project, report: Diagnostics) -> None:
    """Alt text in the source language (others fall back with a warning); no two photos of a
    site publishing the same file."""
    for site in project.sites:
        for photo in site.media:
            check_alt(photo, config.languages, report)
        check_names(site.id, [(p.file, p.size, p.alt.source) for p in site.media if p.size],
                    report)


def check_safety(config: ProjectConfig, project: Project, report: Diagnostics,
                 cache: Cache | None = None) -> None:
    """No editor Markdown may put script on a page.

    A text found clean is remembered by its hash (with the Markdown settings and the rules),
    so a province's thousands of unchanged texts are not rendered again on every build.
    """
    texts = [(n.body, n.body_line, n.source.path)
             for site in project.sites for n in site.narratives.values()]
    texts += [(page.body, page.body_line, page.source.path) for page in project.pages]
    for body, line, path in texts:
        key = cache_key("safe", body, config.markdown_extensions,
                        code_digest(Path(safety.__file__)))
        if cache is not None and cache.get(key) is not None:
            continue
        if not check_markdown(body, line, path, config.markdown_extensions, report) and cache:
            cache.put(key, {})


def check_translations(config: ProjectConfig, project: Project, report: Diagnostics) -> None:
    """A translation made from an older version of the source text is stale."""
    for site in project.sites:
        source = site.narratives.get(config.default_lang)
        if source is None:
            continue
        for lang, narrative in sorted(site.narratives.items()):
            if lang == config.default_lang:
                continue
            if narrative.translated_from is None:
                report.warning("stale-translation", narrative.source,
                               "stale-translation.unknown", hint="hint.add-translated-from",
                               hash=source.text_hash, source=str(source.source.path))
            elif narrative.translated_from != source.text_hash:
                report.warning("stale-translation", narrative.source,
                               hint="hint.update-translation", hash=source.text_hash,
                               source=str(source.source.path))


def check_output_paths(pages: list[PageDoc], report: Diagnostics) -> None:
    """No two sources may write the same page."""
    seen: dict[tuple[str, str], PageDoc] = {}
    for page in pages:
        key = (page.lang, str(page.doc))
        if key in seen:
            first = seen[key]
            origin = page.origin or first.origin
            assert origin is not None  # two generated pages never collide
            tool = phrase("label.the-tool")
            report.error("output-conflict", origin, hint="hint.output-conflict",
                         doc=str(page.doc), first=str(first.origin) if first.origin else tool,
                         second=str(page.origin) if page.origin else tool)
        else:
            seen[key] = page
