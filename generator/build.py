"""The pipeline: load → check → render → write → verify → publish.

Nothing reaches `public/` unless every stage passed: the site is built beside it, verified,
then swapped in. A failed or killed build leaves the previous `public/` as it was.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.assets import photos

from generator.core import routes
from generator.output.assembly import Assembly
from generator.core.cache import Cache
from generator.check.rules import check_cache_untracked, check_output_paths, check_project
from generator.load.codes import (
    check_codes, check_ledger_history, is_placeholder_url, load_ledger, report_sizes,
)
from generator.load.config import ProjectConfig, load_config
from generator.core.diagnostics import Diagnostics
from generator.core.i18n import Texts
from generator.load.project import load_pages, load_sites
from generator.renderer import RENDERER_NAMES, Renderer, door
from generator.renderer.mkdocs import LanguageBuild
from generator.site.map_pages import map_files
from generator.core.model import KeptFile, OutputFile, Project, SourceRef
from generator.site.offline import offline_files
from generator.site.code_pages import plaque_path, render_plaques
from generator.assets.print_files import plan_print, print_page, started_print
from generator.output.publish import (
    MARKER, build_lock, check_output_folder, gzip_bytes, keep_spare, normalise_times, recover,
    scratch_dir, swap_into,
)
from generator.site.pagedoc import PageDoc
from generator.site.pages import render_docs
from generator.site.language_pages import Choice, NotFound, not_found_html, router_html
from generator.site.search import BUNDLE as SEARCH_BUNDLE, index_site, place_index
from generator.site.seo import Alternate, sitemap_files
from generator.load.tours import load_tours
from generator.output.verify import Listing, check_links, check_qr_assets, list_output
from generator.output.verify_scripts import check_output_scripts

WORK_DIR = ".build"
CACHE_DIR = ".cache"  # kept between builds (git-ignored): photos, print and QR files, links
RECORD = "published.json"  # in WORK_DIR: what public/ holds, by digest (see assembly)
Progress = Callable[..., None]


@dataclass
class BuildResult:
    report: Diagnostics
    published: bool


def project_cache(root: Path, *, remember: bool = False) -> Cache:
    """The one content-addressed cache of a project (photos keep their own, see images);
    `remember` for one that serves build after build in this process (see Cache)."""
    return Cache(root / CACHE_DIR / "entries", root / CACHE_DIR / "files.json",
                 remember=remember)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python looks for reference cycles every 700 new objects, walking a heap that holds a
    province's records and pages: hundreds of walks a build, which makes few cycles. Every
    50,000 objects costs a build a fifth less time (bench/scale.py) and little memory."""
    old = gc.get_threshold()
    gc.set_threshold(50_000, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def load_project(root: Path, cache: Cache | None = None, *, final: bool = False,
                 renderer: str | None = None
                 ) -> tuple[ProjectConfig | None, Project | None, Diagnostics]:
    """load + check: everything that can be known without rendering (`cache` remembers the
    texts already found safe; `heritage check` reads and adds to the build's; `renderer`
    overrides mkdocs.yml's). A cache it makes itself is written out before it returns."""
    own = cache is None
    cache = project_cache(root) if cache is None else cache
    with fewer_collections():
        try:
            return _load_project(root, cache, final, renderer)
        finally:
            if own:
                cache.flush()


def _load_project(root: Path, cache: Cache, final: bool, renderer: str | None
                  ) -> tuple[ProjectConfig | None, Project | None, Diagnostics]:
    report = Diagnostics()
    config = load_config(root, report, renderer)
    if config is None:
        return None, None, report
    sites, unreadable = load_sites(config, report, cache)
    project = Project(sites=sites, pages=load_pages(config, report),
                      ledger=load_ledger(root, report),
                      tours=load_tours(config, sites, report, unreadable))
    check_cache_untracked(root, CACHE_DIR, report)
    check_project(config, project, report, cache)
    check_codes(project.ledger, project.sites, report, unreadable)
    check_ledger_history(root, project.ledger, report, final=final)
    report_sizes(config, project.ledger, report)
    cache.files.save()
    return config, project, report


def build(root: Path, public: Path | None = None, *, strict: bool = False,
          final: bool = False, preview: bool = False, renderer: str | None = None,
          cache: Cache | None = None,
          progress: Progress = lambda stage, **_: None) -> BuildResult:
    """Build the site into `public` (default `<root>/public`), or report why not.

    `final` is for builds whose QR files get printed: a placeholder site_url is an error.
    `progress` hears each stage's name as it starts (the CLI prints it). `preview` (the live
    preview) skips the print files and the output verification, which `build` always runs.
    `renderer` overrides mkdocs.yml's `extra.heritage.renderer`. `cache` is the project's
    (`project_cache(root)`) when the caller keeps one from build to build.
    """
    public = (public or root / "public").absolute()
    check_output_folder(root, public)
    with build_lock(root), fewer_collections():
        recover(public)
        cache = project_cache(root) if cache is None else cache
        try:
            return _build(root, public, strict, final, preview, renderer, cache, progress)
        finally:
            cache.flush()  # before the lock is released: the next build reads these entries


def _build(root: Path, public: Path, strict: bool, final: bool, preview: bool,
           renderer: str | None, cache: Cache, progress: Progress) -> BuildResult:
    progress("load")
    cache.begin()
    config, project, report = load_project(root, cache, final=final, renderer=renderer)
    if config is not None and final and is_placeholder_url(config.site_url):
        report.error("placeholder-url", config.source, hint="hint.placeholder-url",
                     url=config.site_url)
    if config is None or project is None or report.failed(strict=strict):
        return BuildResult(report, published=False)
    pages = render_docs(config, project, cache)
    progress("render", pages=len(pages), languages=len(config.languages))
    check_output_paths(pages, report)
    if report.failed(strict=strict):
        return BuildResult(report, published=False)
    work = root / WORK_DIR
    out = scratch_dir(public)
    try:
        return _render_and_publish(config, project, pages, cache, work, out, public, report,
                                   strict, preview, progress)
    except BaseException:  # our own bug or an interrupt: leave no half-built folder behind
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        raise


def _render_and_publish(config: ProjectConfig, project: Project, pages: list[PageDoc],
                        cache: Cache, work: Path, out: Path, public: Path, report: Diagnostics,
                        strict: bool, preview: bool, progress: Progress) -> BuildResult:
    """The renderer builds the pages, then Pagefind indexes them, while this process makes
    every other file and checks the new site.

    Both are child processes, and with more languages than cores one core idles while the
    last language builds, so QR files, maps and photos are made in the meantime, and the
    print files, most of a first build's work, in a process pool begun before all of them.
    They are kept in memory and written into the new site after the renderer's pages,
    which it keeps between builds in its own folder, are put there: all but the print
    files while the pool is still at work, which would otherwise leave a core idle.
    """
    progress("mkdocs", renderer=RENDERER_NAMES[config.renderer])
    site = Assembly(out, public, work / RECORD)
    rendered = Diagnostics()
    renderer = door(config.renderer)
    builds = renderer.write_configs(config, pages, work, cache.memory("docs-tree"))
    origins = {PurePosixPath(p.lang) / p.doc: p.origin for p in pages if p.origin}
    with ThreadPoolExecutor(max_workers=2) as children:
        rendering = children.submit(renderer.run_builds, builds, origins, config.root,
                                    rendered)
        indexing = children.submit(_index_when_rendered, renderer, rendering, builds, rendered,
                                   work / "search", preview)
        made = Diagnostics()
        jobs = [] if preview else plan_print(config, project, made)
        with started_print(jobs, cache, made) as printed:
            files = site_files(config, project, pages, made, cache)
            rendering.result()
            report.extend(rendered)
            placed = not (report.failed(strict=strict) or made.failed(strict=strict))
            if placed:  # while the print files are still being made
                progress("assets")
                renderer.place_rendered(builds, site)
                _place(site, files)
            if not preview:
                progress("print")
                print_out = [*printed(), *print_page(config, project, jobs)]
        report.extend(made)
        if placed and not report.failed(strict=strict):
            if not preview:
                _place(site, print_out)
            site.remove_unplaced(but=frozenset({SEARCH_BUNDLE}))
            if not preview:
                progress("verify")
                listing = Listing.of(out, site.digests)
                origins_html = html_origins(pages)
                check_links(out, config.site_url, origins_html, report, cache, listing)
                check_output_scripts(out, origins_html, report, cache, listing)
                check_qr_assets(config, project.ledger, out, report, cache)
        progress("search")
        indexing.result()
    if report.failed(strict=strict):
        keep_spare(out, public)
        return BuildResult(report, published=False)
    place_index(site, config.lang_codes, work / "search")
    if not preview:  # a preview asks for no print files: their entries must stay
        cache.prune()
    fixed_time = "SOURCE_DATE_EPOCH" in os.environ
    if fixed_time:
        normalise_times(out, int(os.environ["SOURCE_DATE_EPOCH"]))
    progress("publish")
    swap_into(out, public)
    site.save_record(times_changed=fixed_time)
    return BuildResult(report, published=True)


def _place(site: Assembly, files: Sequence[OutputFile | KeptFile]) -> None:
    for file in files:
        if isinstance(file, KeptFile):
            site.write_kept(file.path.as_posix(), file.source, file.digest)
        else:
            site.write(file.path.as_posix(), file.content)


def _index_when_rendered(renderer: Renderer, rendering: Future[None],
                         builds: list[LanguageBuild],
                         rendered: Diagnostics, work: Path, preview: bool) -> None:
    """Pagefind over the renderer's pages as soon as they are there and clean."""
    rendering.result()
    if not rendered.errors:
        index_site({b.lang: (b.site_dir, None if preview else renderer.rendered_stamp(b))
                    for b in builds}, work)


def verify_site(root: Path, public: Path) -> Diagnostics:
    """Re-check a built site: every link and anchor, every QR code decoded."""
    config, project, report = load_project(root)
    if config is None or project is None:
        return report
    checked = Diagnostics()
    listing = list_output(public)
    check_links(public, config.site_url, {}, checked, listing=listing)
    check_output_scripts(public, {}, checked, listing=listing)
    check_qr_assets(config, project.ledger, public, checked)
    for entry in project.ledger:
        if entry.status == "active" and not (public / plaque_path(entry.code) /
                                             "index.html").is_file():
            checked.error("code-ledger", entry.source, "code-ledger.unpublished",
                          hint="hint.build-again", path=plaque_path(entry.code))
    return checked


def html_origins(pages: list[PageDoc]) -> dict[str, SourceRef]:
    return {str(routes.output_file(p.url_path)): p.origin for p in pages if p.origin}


def site_files(config: ProjectConfig, project: Project, pages: list[PageDoc],
               report: Diagnostics, cache: Cache | None = None
               ) -> list[OutputFile | KeptFile]:
    """The files that belong to the whole site rather than one language, and the map pages:
    everything but the renderer's pages and the print files."""
    files: list[OutputFile | KeptFile] = [
        OutputFile(PurePosixPath(MARKER), b"Built by heritage build: replaced by the next build.\n"),
        OutputFile(PurePosixPath("index.html"), _root_router(config).encode()),
        OutputFile(PurePosixPath("404.html"), _not_found(config).encode()),
        OutputFile(PurePosixPath("robots.txt"),
                   f"User-agent: *\nAllow: /\nSitemap: "
                   f"{routes.absolute_url(config.site_url, 'sitemap.xml')}\n".encode()),
    ]
    files += _sitemaps(_alternates(config, pages), config.site_url,
                       cache.memory("sitemaps") if cache is not None else None)
    files += offline_files(config)
    files += render_plaques(config, project, cache)
    files += map_files(config, project, cache)
    files += _photos(config, project, report, cache)
    return files


def _photos(config: ProjectConfig, project: Project, report: Diagnostics,
            kept: Cache | None) -> list[OutputFile | KeptFile]:
    """Every photo in its widths and formats, plus a cleaned copy at its original address
    (`kept`'s file digests tell which photos are the ones encoded before)."""
    jobs = [photos.PhotoJob(config.root / "sites" / site.id, site.id, photo.file,
                            photo.alt.source, photo.keep_location)
            for site in project.sites for photo in site.media]
    cache = photos.ImageCache(config.root / CACHE_DIR / "images",
                              kept.files if kept is not None else None,
                              kept.memory("photos") if kept is not None else None)
    results = photos.load_all(jobs, report, cache=cache, max_pixels=config.image_max_pixels,
                              max_bytes=config.image_max_bytes)
    if not report.errors:
        cache.prune()
    if kept is not None:
        kept.files.save()  # with the digests of the photos' kept files, read after loading
    return [file for result in results if result for file in result[1]]


def _sitemaps(alternates: list[list[Alternate]], site_url: str,
              memory: dict[Any, Any] | None) -> list[OutputFile | KeptFile]:
    """The sitemap files, plain and gzipped; in the live preview (`memory`), the last
    build's again when no page came, went or moved (an edit to a text changes none)."""
    key = (site_url, tuple(tuple(versions) for versions in alternates))
    if memory is not None and key in memory:
        return memory[key]
    files: list[OutputFile | KeptFile] = []
    for name, text in sitemap_files(alternates, site_url).items():
        files += [OutputFile(PurePosixPath(name), text.encode()),
                  OutputFile(PurePosixPath(name + ".gz"), gzip_bytes(text.encode()))]
    if memory is not None:
        memory.clear()  # only the current sitemaps are worth keeping
        memory[key] = files
    return files


def _alternates(config: ProjectConfig, pages: list[PageDoc]) -> list[list[Alternate]]:
    by_doc: dict[PurePosixPath, list[Alternate]] = {}
    for page in pages:
        url = routes.absolute_url(config.site_url, page.url_path)
        by_doc.setdefault(page.doc, []).append(
            Alternate(page.lang, config.language(page.lang).name, url, url))
    return [by_doc[doc] for doc in sorted(by_doc)]


def _not_found(config: ProjectConfig) -> str:
    sections = []
    for language in config.languages:
        texts = Texts(language)
        before, _, after = texts("not_found_code", code="\0").partition("\0")
        sections.append(NotFound(
            language.code, texts("not_found"), texts("not_found_text"), (before, after),
            ((routes.server_path(config.site_url, routes.sites_index_path(language.code)),
              texts("sites")),
             (routes.server_path(config.site_url, routes.lang_home_path(language.code)),
              texts("home")))))
    return not_found_html(sections, config.default_lang, config.unmatched_lang)


def _root_router(config: ProjectConfig) -> str:
    choices = [Choice(lang.code, lang.name, routes.lang_home_path(lang.code),
                      routes.absolute_url(config.site_url, routes.lang_home_path(lang.code)))
               for lang in config.languages]
    title = " · ".join(dict.fromkeys(Texts(lang)("site_name") for lang in config.languages))
    return router_html(title, choices, config.default_lang, self_url=config.site_url,
                       noindex=False, unmatched=config.unmatched_lang)
