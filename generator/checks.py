"""check: rules across files that loading one file cannot see. Reports; returns nothing."""

from __future__ import annotations

from generator.config import ProjectConfig
from generator.diagnostics import Diagnostics
from generator.model import Project
from generator.pagedoc import PageDoc
from generator.safety import check_markdown


def check_project(config: ProjectConfig, project: Project, report: Diagnostics) -> None:
    check_safety(config, project, report)
    check_translations(config, project, report)


def check_safety(config: ProjectConfig, project: Project, report: Diagnostics) -> None:
    """No editor Markdown may put script on a page."""
    for site in project.sites:
        for narrative in site.narratives.values():
            check_markdown(narrative.body, narrative.body_line, narrative.source.path,
                           config.markdown_extensions, report)
    for page in project.pages:
        check_markdown(page.body, page.body_line, page.source.path,
                       config.markdown_extensions, report)


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
                report.warning("stale-translation", "this translation does not say which "
                               "version of the source it was made from", narrative.source,
                               f"add 'translated_from: \"{source.text_hash}\"' to the front "
                               f"matter once it matches {source.source.path}")
            elif narrative.translated_from != source.text_hash:
                report.warning("stale-translation", f"{source.source.path} has changed since "
                               "this translation was made", narrative.source,
                               "update the translation, then set translated_from: "
                               f"\"{source.text_hash}\"")


def check_output_paths(pages: list[PageDoc], report: Diagnostics) -> None:
    """No two sources may write the same page."""
    seen: dict[tuple[str, str], PageDoc] = {}
    for page in pages:
        key = (page.lang, str(page.doc))
        if key in seen:
            first = seen[key]
            sources = " and ".join(str(p.origin or "the tool") for p in (first, page))
            report.error("output-conflict", f"two sources write {page.doc}: {sources}",
                         page.origin or first.origin,
                         "rename or remove the hand-written page; site pages and the site "
                         "list are made by the tool")
        else:
            seen[key] = page
