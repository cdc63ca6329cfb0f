"""check: rules across files that loading one file cannot see. Reports; returns nothing."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

from generator.core.cache import Cache, cache_key, code_digest
from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.assets.photos import check_alt, check_names
from generator.core.messages import phrase
from generator.core.model import Project, SourceRef
from generator.site.pagedoc import PageDoc
from generator.core.repo import git
from generator.check import safety
from generator.check.safety import check_markdown, is_prose
from generator.core.workers import parallel_map


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

    The texts found clean are remembered, by their hashes in one cache entry per Markdown
    settings and rules, so a province's thousands of unchanged texts are neither rendered
    again nor looked up one file each. Prose needs no rendering (`is_prose`: most site texts);
    the other texts not seen before (on a fresh clone) are rendered on every core.
    """
    texts = [(n.body, n.body_line, n.source.path)
             for site in project.sites for n in site.narratives.values()]
    texts += [(page.body, page.body_line, page.source.path) for page in project.pages]
    key = cache_key("safe-texts", config.markdown_extensions,
                    code_digest(Path(safety.__file__)))
    known = cache.hashes(key) if cache is not None else set()
    hashes = [hashlib.sha256(body.encode()).hexdigest() for body, _, _ in texts]
    pending = [(digest, (*text, config.markdown_extensions))
               for digest, text in zip(hashes, texts)
               if digest not in known and not is_prose(text[0], config.markdown_extensions)]
    found = parallel_map(_check_text, [item for _, item in pending], smallest=200)
    unsafe = set()
    for (digest, _), problems in zip(pending, found):
        report.extend(problems)
        if problems.items:
            unsafe.add(digest)
    if cache is not None:
        cache.put_hashes(key, set(hashes) - unsafe, known)


def _check_text(item: tuple[str, int, PurePosixPath, tuple[Any, ...]]) -> Diagnostics:
    body, line, path, extensions = item
    problems = Diagnostics()
    check_markdown(body, line, path, extensions, problems)
    return problems


def check_cache_untracked(root: Path, cache_dir: str, report: Diagnostics) -> None:
    """The build cache must never come from git. Its entries are trusted (texts found safe,
    print and QR files) and their names can be computed from the project's public files, so
    a committed entry could vouch for a script in a pull request's text."""
    try:
        tracked = git(root, "ls-files", "--", cache_dir).split()
    except (OSError, subprocess.CalledProcessError):
        return  # not a git checkout (or git refuses it): the ledger check says so
    if tracked:
        report.error("config", SourceRef(PurePosixPath(cache_dir)), "config.cache-committed",
                     hint="hint.cache-committed", folder=cache_dir, count=len(tracked))


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
    """No two sources may write the same page (`about.md` and `about/index.md` do)."""
    seen: dict[str, PageDoc] = {}
    for page in pages:
        key = page.url_path
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
