"""render: records → the Markdown pages of each language's docs tree. Pure: no I/O but the
cache it may be given, which keeps the site pages of earlier builds.

Every page exists in every language: a missing translation falls back visibly (a notice in the
reader's language, the text marked with its real language). Text from editors' YAML and front
matter is HTML-escaped here; only narrative bodies are Markdown, and those are checked by
`safety` before the build gets this far.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import maps
import qr
from generator.assets import photos
from generator.core import routes
from generator.site import seo
from generator.core.cache import Cache, cache_key, code_digest
from generator.load.config import ProjectConfig
from generator.site.fieldref import GUIDE_LANGUAGES, field_reference
from generator.site.pagedoc import PageDoc, esc, fallback_notice
from generator.core.i18n import STRINGS_DIR, Texts
from generator.core.model import ContentPage, HeritageSite, Language, Project
from generator.site.browse import index_pages, list_inputs
from generator.site.map_pages import map_docs, site_map_section
from generator.site.nearby import Nearby
from generator.site.code_pages import volunteers_section
from generator.site.search import indexed, search_page
from generator.renderer import material

HOME = routes.HOME_DOC
FIELDS_DOC = PurePosixPath("editors", "fields.md")


def render_docs(config: ProjectConfig, project: Project, cache: Cache | None = None
                ) -> list[PageDoc]:
    """Every page of every language, with alternates and metadata filled in (`cache`: see
    `_site_pages`)."""
    pages: list[PageDoc] = []
    nearby = Nearby(project.sites, count=config.nearby_count, max_m=config.nearby_max_m,
                    cache=cache)
    site_pages = _site_pages(config, project.sites, nearby, cache)
    for language in config.languages:
        texts = Texts(language)
        pages += _content_pages(config, project.pages, language, texts)
        pages += _index_pages(config, project.sites, language, texts, cache)
        pages.append(_field_reference(config, language, texts))
        pages += site_pages[language.code]
        pages += map_docs(config, project, language, texts)
        pages.append(search_page(language, texts))
    filled = {id(page) for made in site_pages.values() for page in made}  # see _site_pages
    _with_alternates(config, [page for page in pages if id(page) not in filled])
    return pages


def _site_pages(config: ProjectConfig, sites: Sequence[HeritageSite], nearby: Nearby,
                cache: Cache | None) -> dict[str, list[PageDoc]]:
    """Each language's site pages, in the order of `sites`, their alternates and metadata
    filled in.

    A site page is made from its site's record, the records of the nearby sites it lists,
    the settings and the code. With a cache, a site for which all of these are what they were
    gets the pages an earlier build made: after an edit, a province's other sites cost a
    read, not a render.
    """
    languages = [(language, Texts(language)) for language in config.languages]
    by_lang: dict[str, list[PageDoc]] = {language.code: [] for language in config.languages}
    digests = _record_digests(sites, cache.memory("record-digests")) if cache else {}
    settings = cache_key(repr(config), _render_code()) if cache else ""
    for site in sites:
        key, made = None, None
        if cache is not None:
            key = cache_key("site-pages", settings, digests[site.id],
                            [[other.id, digests[other.id], distance, direction]
                             for other, distance, direction in nearby.of(site)])
            made = _kept_pages(cache.load(key, "pages"), len(languages))
        if made is None:  # kept as they are published: the alternates are its other pages
            made = _with_alternates(config, [_site_page(config, nearby, site, language, texts)
                                             for language, texts in languages])
            if cache is not None and key is not None:
                cache.store(key, "pages", tuple(made))
        for page in made:
            by_lang[page.lang].append(page)
    return by_lang


def _index_pages(config: ProjectConfig, sites: Sequence[HeritageSite], language: Language,
                 texts: Texts, cache: Cache | None) -> list[PageDoc]:
    """One language's site lists; with a cache, the lists an earlier build made when what
    they show of every site (`browse.list_inputs`), the settings and the code are the same."""
    if cache is None:
        return index_pages(sites, language, texts)
    key = cache_key("site-lists", repr(config), _render_code(), language.code,
                    list_inputs(sites, language))
    made = _kept_pages(cache.load(key, "pages"))
    if made is None:
        made = index_pages(sites, language, texts)
        cache.store(key, "pages", tuple(made))
    return made


def _record_digests(sites: Sequence[HeritageSite], memory: dict[Any, Any] | None
                    ) -> dict[str, str]:
    """Each site's `_record_digest`; in the live preview (`memory`), a record kept in memory
    from the last build (the very object) keeps its digest, so an edit hashes one record."""
    last = memory or {}  # read before it is replaced below
    made = {}
    for site in sites:
        record, digest = last.get(site.id, (None, ""))
        made[site.id] = (site, digest if record is site else _record_digest(site))
    if memory is not None:  # what this build made, for the next one
        memory.clear()
        memory.update(made)
    return {site_id: digest for site_id, (_, digest) in made.items()}


def _record_digest(site: HeritageSite) -> str:
    """A record's every field, hashed (its repr: a pickle's bytes depend on how the objects
    in it happen to be shared, which differs between a record parsed and one read back)."""
    return hashlib.sha256(repr(site).encode()).hexdigest()


def _render_code() -> str:
    """The code and interface texts a site page is made with."""
    return code_digest(Path(__file__).parents[1], Path(qr.__file__).parent,
                       Path(maps.__file__).parent, *sorted(STRINGS_DIR.glob("*.yml")))


def _kept_pages(pages: object, count: int | None = None) -> list[PageDoc] | None:
    """The kept pages, or None when the entry holds something else (a foreign entry)."""
    if not isinstance(pages, tuple) or count not in (None, len(pages)) or not all(
            isinstance(page, PageDoc) for page in pages):
        return None
    return list(pages)


def _content_pages(config: ProjectConfig, pages: Sequence[ContentPage], language: Language,
                   texts: Texts) -> list[PageDoc]:
    by_path: dict[PurePosixPath, dict[str, ContentPage]] = {}
    for page in pages:
        by_path.setdefault(page.path, {})[page.lang] = page
    docs = []
    if HOME not in by_path:  # a project without a home page still gets one
        body = f"{esc(texts('sites_intro'))}\n\n[{esc(texts('sites'))}](sites/index.md)\n"
        docs.append(PageDoc(language.code, HOME, texts("site_name"), body, None))
    for path, versions in sorted(by_path.items()):
        chosen = next((versions[c] for c in (language.code, *language.fallbacks)
                       if c in versions), None)
        if chosen is None:
            continue
        body = chosen.body
        if chosen.lang != language.code:
            shown = config.language(chosen.lang)
            body = (fallback_notice(texts, shown) +
                    f'<div lang="{chosen.lang}" markdown="1">\n\n{body}\n\n</div>')
        docs.append(PageDoc(language.code, path, chosen.title, body, chosen.source,
                            chosen.menu))
    return docs


def _field_reference(config: ProjectConfig, language: Language, texts: Texts) -> PageDoc:
    """The editors' field reference in the reader's language where the guide is written in it
    (English, Vietnamese); other languages show the first of their fallbacks that has it
    (else English), with the fallback notice."""
    if language.code in GUIDE_LANGUAGES:
        body = field_reference(language.code)
    else:
        code = next((c for c in language.fallbacks if c in GUIDE_LANGUAGES), "en")
        shown = next((lang for lang in config.languages if lang.code == code),
                     Language("en", "English", ()))
        body = (fallback_notice(texts, shown) +
                f'<div lang="{shown.code}" markdown="1">\n\n'
                f"{field_reference(shown.code)}\n\n</div>")
    return PageDoc(language.code, FIELDS_DOC, texts("field_reference"), body, None)


def _site_page(config: ProjectConfig, nearby: Nearby, site: HeritageSite,
               language: Language, texts: Texts) -> PageDoc:
    narrative = site.narrative(language)
    assert narrative is not None  # load reports a site without its source-language text
    parts = []
    if narrative.lang != language.code:
        parts.append(fallback_notice(texts, config.language(narrative.lang)))
    parts.append(f'<p class="heritage-summary" lang="{narrative.lang}">'
                 f"{esc(narrative.summary)}</p>\n")
    parts.append(facts_box(site, language, texts))
    parts.append(f'<div lang="{narrative.lang}" markdown="1">\n\n{narrative.body.strip()}\n\n'
                 "</div>\n" if narrative.lang != language.code else narrative.body.strip() + "\n")
    parts.append(site_map_section(site, texts))
    parts.append(_nearby_section(nearby, site, language, texts))
    parts.append(_sources_section(site, texts))
    parts.append(_media_section(site, language, texts))
    parts.append(volunteers_section(config, site, language.code, texts))
    page = PageDoc(language.code, routes.site_doc(site.id), narrative.title,
                   "\n".join(p for p in parts if p), narrative.source)
    url = routes.absolute_url(config.site_url, page.url_path)
    page.meta["jsonld"] = seo.site_jsonld(site, name=narrative.title, summary=narrative.summary,
                                          url=url, lang=language.code)
    page.meta["summary"] = narrative.summary
    return page


def _localized(text, language: Language) -> str | None:
    if text is None:
        return None
    found = text.resolve(language.code, language.fallbacks)
    if found is None:
        return None
    if found.is_fallback:
        return f'<span lang="{found.lang}">{esc(found.text)}</span>'
    return esc(found.text)


def facts_box(site: HeritageSite, language: Language, texts: Texts) -> str:
    """The facts as a definition list; every value escaped, unverified ones marked."""
    rows = [(texts("type"), esc(texts(f"type.{site.type}")))]
    if site.period:
        label = _localized(site.period.label, language)
        span = "–".join(d for d in (site.period.start, site.period.end) if d)
        rows.append((texts("period"), label or esc(span)))
    for item in site.recognition:
        value = esc(texts(f"level.{item.level}"))
        extra = [esc(item.date)] if item.date else []
        if item.decision:
            extra.append(esc(texts("decision", number=item.decision)))
        if extra:
            value += f" ({', '.join(extra)})"
        rows.append((texts("recognition"), value + _unverified(item.verified, texts)))
    if site.address:
        rows += _address_rows(site, texts)
    rows.append((texts("coordinates"), _coordinates(site, language, texts)))
    for key, text in (("hours", site.hours), ("admission", site.admission)):
        shown = _localized(text, language)
        if shown:
            rows.append((texts(key), shown))
    items = "\n".join(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return material.summary_box(esc(texts("facts")), f"<dl>\n{items}\n</dl>", "heritage-facts")


def _unverified(verified: bool, texts: Texts) -> str:
    return "" if verified else f' <em class="heritage-unverified">({esc(texts("unverified"))})</em>'


def _address_rows(site: HeritageSite, texts: Texts) -> list[tuple[str, str]]:
    address = site.address
    assert address is not None
    current = ", ".join(p for p in (address.street, address.ward, address.province) if p)
    rows = []
    if current:
        rows.append((texts("address"), esc(current) + _unverified(address.verified, texts)))
    if address.former:
        rows.append((texts("former_address"), esc(address.former)))
    return rows


def _coordinates(site: HeritageSite, language: Language, texts: Texts) -> str:
    point = site.coordinates
    if point is None:
        return esc(texts("unverified_location"))
    value = f"{point.lat:.5f}, {point.lon:.5f}"
    if point.accuracy_m:
        value += f" ({esc(texts('accuracy', metres=f'{point.accuracy_m:g}'))})"
    value += _unverified(point.verified, texts)
    note = _localized(point.note, language)
    return value + (f"<br><small>{note}</small>" if note else "")


def _nearby_section(nearby: Nearby, site: HeritageSite, language: Language,
                    texts: Texts) -> str:
    found = nearby.of(site)
    if not found:
        return ""
    here = routes.site_path(language.code, site.id)
    items = []
    for other, distance, direction in found:
        narrative = other.narrative(language)
        if narrative is None:
            continue
        href = routes.relative_url(here, routes.site_path(language.code, other.id))
        where = (texts("nearby_uncertain", distance=distance) if direction is None else
                 texts("nearby_item", distance=distance, direction=texts(f"dir.{direction}")))
        items.append(f'<li><a href="{esc(href)}">{esc(narrative.title)}</a>: {esc(where)}</li>')
    return (f"## {esc(texts('nearby'))} {{#nearby}}\n\n<ul class=\"heritage-nearby\">\n" +
            "\n".join(items) + f"\n</ul>\n<p><small>{esc(texts('distance_note'))}</small></p>\n")


def _sources_section(site: HeritageSite, texts: Texts) -> str:
    items = []
    for source in site.sources:
        title = esc(source.title)
        if source.url:
            title = f'<a href="{esc(source.url)}" rel="nofollow noopener">{title}</a>'
        extra = [esc(source.publisher)] if source.publisher else []
        if source.accessed:
            extra.append(esc(texts("accessed", date=source.accessed)))
        items.append(f"<li>{title}{': ' + ', '.join(extra) if extra else ''}</li>")
    return (f"## {esc(texts('sources'))} {{#sources}}\n\n<ol class=\"heritage-sources\">\n" +
            "\n".join(items) + "\n</ol>\n")


def _media_section(site: HeritageSite, language: Language, texts: Texts) -> str:
    if not site.media:
        return ""
    here = routes.site_path(language.code, site.id)
    figures = []
    for photo in site.media:
        if photo.size is None:  # only when the loader reported the photo; nothing is built
            continue
        alt = photo.alt.resolve(language.code, language.fallbacks)
        figures.append(photos.picture_html(
            photos.plan_for(site.id, photo.file, photo.size), page_path=here,
            alt=alt.text if alt else "", caption_html=_localized(photo.caption, language) or "",
            credit_html=esc(f"{photo.credit}, {photo.licence}"),
            lang_attr=alt.lang if alt and alt.is_fallback else None))
    credits = "".join(f"<li>{esc(p.file.name)}: {esc(p.credit)}, {esc(p.licence)}</li>"
                      for p in site.media)
    return ('<div class="heritage-photos">\n' + "\n".join(figures) + "\n</div>\n\n" +
            f"## {esc(texts('photo_credits'))} {{#photo-credits}}\n\n<ul>{credits}</ul>\n")


def _with_alternates(config: ProjectConfig, pages: list[PageDoc]) -> list[PageDoc]:
    """Fill in each page's language versions and the metadata templates read."""
    by_doc: dict[PurePosixPath, list[PageDoc]] = {}
    for page in pages:
        by_doc.setdefault(page.doc, []).append(page)
    for page in pages:
        alternates = [seo.Alternate(v.lang, config.language(v.lang).name,
                                    routes.relative_url(page.url_path, v.url_path),
                                    routes.absolute_url(config.site_url, v.url_path))
                      for v in by_doc[page.doc]]
        summary = str(page.meta.pop("summary", "")) or page.title
        url = routes.absolute_url(config.site_url, page.url_path)
        page.meta.update({
            "title": esc(page.title),
            "description": esc(summary),
            "alternates": [{"lang": a.lang, "name": esc(a.name), "href": esc(a.href),
                            "url": esc(a.url)} for a in alternates],
            **({"indexed": True} if indexed(page) else {}),
            "og": [[k, esc(v)] for k, v in seo.opengraph(
                title=page.title, description=summary, url=url, lang=page.lang,
                site_name=Texts(config.language(page.lang))("site_name"),
                alternates=alternates)],
        })
    return pages
