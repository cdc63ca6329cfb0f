"""What a plaque's QR code leads to: `/Q/<CODE>/` routing pages, tombstones, QR assets.

`/Q/<CODE>/` (and its lower-case alias `/q/<code>/`) is a tiny page that sends the reader to
the site's page in their language; a retired code keeps a page that explains and links onwards,
never a 404. Each active code is published as `/qr/<CODE>.svg` and `.png` for volunteers.
"""

from __future__ import annotations

import html
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path, PurePosixPath

import PIL

import qr
from generator.core import routes
from generator.core.cache import Cache, cache_key, code_digest
from generator.load.codes import is_placeholder_url
from generator.load.config import ProjectConfig
from generator.core.i18n import Texts
from generator.core.model import HeritageSite, LedgerEntry, OutputFile, Project
from generator.site.language_pages import Choice, router_html

QR_DIR = "qr"
DRAFT_CAPTION = "DRAFT – site_url is a placeholder"


def plaque_path(code: str) -> str:
    return f"Q/{code}/"


def alias_path(code: str) -> str:
    return f"q/{code.lower()}/"


def asset_paths(code: str) -> tuple[str, str]:
    """The site-relative paths of a code's SVG and PNG."""
    return f"{QR_DIR}/{code}.svg", f"{QR_DIR}/{code}.png"


def render_plaques(config: ProjectConfig, project: Project,
                   cache: Cache | None = None) -> list[OutputFile]:
    """Routing pages, tombstones and QR assets (from the cache when made before) for every
    code in the ledger. In the live preview, a code whose entry, site title and settings are
    what they were gets the files the last build made, from memory."""
    sites = {site.id: site for site in project.sites}
    memory = cache.memory("code-pages") if cache is not None else None
    settings = repr(config) if memory is not None else ""
    last = memory.get(settings, {}) if memory is not None else {}
    made: dict[object, list[OutputFile]] = {}
    files: list[OutputFile] = []
    for entry in project.ledger:
        site = sites.get(entry.site)
        active = entry.status == "active" and site is not None
        key = (entry, site.source if site else None,
               _title(site, config.default_lang) if site else None, active)
        code_files = last.get(key)
        if code_files is None:
            code_files = _code_files(config, entry, site, active, cache)
        made[key] = code_files
        files += code_files
    if memory is not None:  # what this build made, for the next one; other settings' go
        memory.clear()
        memory[settings] = made
    return files


def _code_files(config: ProjectConfig, entry: LedgerEntry, site: HeritageSite | None,
                active: bool, cache: Cache | None) -> list[OutputFile]:
    """One code's routing page (or tombstone) at both addresses, and its QR files."""
    files: list[OutputFile] = []
    if active and site is not None:
        page = _routing_page(config, site, entry.code)
        files += _qr_assets(config, entry.code, site, cache)
    else:
        page = _tombstone(config, site, entry.code)
    for path in (plaque_path(entry.code), alias_path(entry.code)):
        files.append(OutputFile(routes.output_file(path), page.encode(), entry.source))
    return files


def _routing_page(config: ProjectConfig, site: HeritageSite, code: str) -> str:
    here = plaque_path(code)
    choices = [Choice(lang.code, lang.name,
                      routes.relative_url(here, routes.site_path(lang.code, site.id)),
                      routes.absolute_url(config.site_url, routes.site_path(lang.code, site.id)))
               for lang in config.languages]
    return router_html(_title(site, config.default_lang), choices, config.default_lang,
                       self_url=routes.absolute_url(config.site_url, here), noindex=True,
                       unmatched=config.unmatched_lang)


def _title(site: HeritageSite, lang: str) -> str:
    narrative = site.narratives.get(lang) or next(iter(site.narratives.values()), None)
    return narrative.title if narrative else site.id


def _tombstone(config: ProjectConfig, site: HeritageSite | None, code: str) -> str:
    """A page for a retired code: what happened, and where to go, in every language."""
    here = plaque_path(code)
    sections = []
    for lang in config.languages:
        texts = Texts(lang)
        target = routes.site_path(lang.code, site.id) if site else f"{lang.code}/sites/"
        link = texts("tombstone_site") if site else texts("tombstone_sites")
        sections.append(
            f'<section lang="{lang.code}"><h2>{html.escape(texts("tombstone_title"))}</h2>'
            f'<p>{html.escape(texts("tombstone_text"))}</p><p><a href="'
            f'{html.escape(routes.relative_url(here, target))}">{html.escape(link)}</a></p>'
            "</section>")
    title = html.escape(Texts(config.language(config.default_lang))("tombstone_title"))
    return (f'<!doctype html><html lang="{config.default_lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{title} ({html.escape(code)})'
            '</title></head><body style="font-family:sans-serif">'
            + "".join(sections) + "</body></html>\n")


@lru_cache(maxsize=1)
def _qr_code_digest() -> str:
    """What makes a QR file besides its text: our code and the libraries' versions (asking
    for a package's version reads its metadata: once per build, not once per code)."""
    return code_digest(Path(qr.__file__).parent, versions=(version("qrcode"), PIL.__version__))


def _qr_assets(config: ProjectConfig, code: str, site: HeritageSite,
               cache: Cache | None) -> list[OutputFile]:
    payload = qr.plaque_url(config.site_url, code)
    caption = DRAFT_CAPTION if is_placeholder_url(config.site_url) else None
    svg_path, png_path = asset_paths(code)
    title = f"{_title(site, config.default_lang)}: {qr.short_url(config.site_url, code)}"
    key = cache_key("qr", payload, title, caption, _qr_code_digest())
    made = cache.get(key) if cache else None
    if made is None:
        symbol = qr.encode(payload)
        made = {"svg": qr.to_svg(symbol, title=title, caption=caption).encode(),
                "png": qr.to_png(symbol, pixels_per_module=12, caption=caption)}
        if cache:
            cache.put(key, made)
    return [OutputFile(PurePosixPath(svg_path), made["svg"], site.source),
            OutputFile(PurePosixPath(png_path), made["png"], site.source)]


def volunteers_section(config: ProjectConfig, site: HeritageSite, lang: str,
                       texts: Texts) -> str:
    """The "for volunteers" box on a site page: the code, its short URL, the files."""
    if site.code is None or qr.validate_code(site.code):
        return ""
    here = routes.site_path(lang, site.id)
    svg, png = (html.escape(routes.relative_url(here, path)) for path in asset_paths(site.code))
    short = html.escape(qr.short_url(config.site_url, site.code))
    draft = (f"<p><strong>{html.escape(texts('qr_draft'))}</strong></p>"
             if is_placeholder_url(config.site_url) else "")
    return (f'<details class="note heritage-volunteers"><summary>'
            f"{html.escape(texts('volunteers'))}</summary>\n"
            f"<p>{html.escape(texts('qr_code'))}: <strong>{html.escape(site.code)}</strong> · "
            f"<code>{short}</code></p>\n{draft}"
            f'<p><a href="{svg}" download>{html.escape(texts("qr_svg"))}</a> · '
            f'<a href="{png}" download>{html.escape(texts("qr_png"))}</a> · '
            f'<a href="{html.escape(routes.relative_url(here, "print/"))}">'
            f'{html.escape(texts("print_title"))}</a></p>\n</details>\n')
