"""The list of sites, in pages a phone can load, filtered by type, heritage status, ward or
commune and period, with plain links only: it works without JavaScript and at any number of
sites. Page 1 of the whole list is `/<lang>/sites/`; every other list is a page under
`/<lang>/browse/` (see routes), so no list path can ever meet a site's own address.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

from generator.core import routes
from generator.core.i18n import Texts
from generator.core.model import HeritageSite, Language, Narrative
from generator.site.pagedoc import PageDoc, esc
from generator.renderer import material

PAGE_SIZE = 48
FACETS = ("type", "recognition", "ward", "period")
_RANK = ("special-national", "national", "provincial", "none")
_Entry = tuple[Narrative, HeritageSite]


def index_pages(sites: Sequence[HeritageSite], language: Language,
                texts: Texts) -> list[PageDoc]:
    """Every list page of one language: the whole list, then each facet value's list."""
    named = sorted(((n, site) for site in sites if (n := site.narrative(language)) is not None),
                   key=lambda pair: (pair[0].title.casefold(), pair[1].id))
    groups = facet_groups(named, texts)
    filters = _filters(groups, language.code, texts)
    pages = _listing(named, language.code, "all", None, texts("sites"), filters, texts)
    for facet in FACETS:
        for value, (label, entries) in groups[facet].items():
            title = f"{texts('sites')}: {label}"
            pages += _listing(entries, language.code, facet, value, title, filters, texts)
    return pages


def list_inputs(sites: Sequence[HeritageSite], language: Language) -> list[list[object]]:
    """Everything of the sites that one language's lists show: a site's other fields (its
    text, photos, position) never change a list, so an edit to them keeps the lists as they
    were (see `site.pages`)."""
    inputs: list[list[object]] = []
    for site in sites:
        if (n := site.narrative(language)) is not None:
            inputs.append([site.id, n.lang, n.title, n.summary, site.type,
                           [r.level for r in site.recognition],
                           site.address.ward if site.address else None,
                           site.period.start if site.period else None])
    return inputs


def facet_groups(named: list[_Entry], texts: Texts
                 ) -> dict[str, dict[str, tuple[str, list[_Entry]]]]:
    """facet -> value slug -> (label, entries), values in a fixed order."""
    groups: dict[str, dict[str, tuple[str, list[_Entry]]]] = {facet: {} for facet in FACETS}
    for entry in named:
        for facet, (value, label) in _values(entry[1], texts).items():
            groups[facet].setdefault(value, (label, []))[1].append(entry)
    def ordered(facet: str, values: dict[str, tuple[str, list[_Entry]]]
                ) -> dict[str, tuple[str, list[_Entry]]]:
        return dict(sorted(values.items(), key=lambda item: _order(facet, item[0], item[1][0])))

    return {facet: ordered(facet, values) for facet, values in groups.items()}


def _order(facet: str, value: str, label: str) -> tuple[int, str]:
    """Heritage status by rank, periods by century, the rest by name."""
    if facet == "recognition":
        return _RANK.index(value), ""
    if facet == "period":
        return int(value), ""
    return 0, label.casefold()


def _values(site: HeritageSite, texts: Texts) -> dict[str, tuple[str, str]]:
    """The site's value (slug, label) for each facet it has."""
    values = {"type": (site.type, texts(f"type.{site.type}"))}
    levels = [r.level for r in site.recognition if r.level in _RANK] or ["none"]
    best = min(levels, key=_RANK.index)
    values["recognition"] = (best, texts(f"level.{best}"))
    if site.address and site.address.ward and site.address.ward.strip():
        values["ward"] = (slugify(site.address.ward), site.address.ward.strip())
    start = site.period.start if site.period else None
    if start and (year := re.match(r"-?\d{1,4}", start.strip())):
        century = int(year[0]) // 100 * 100
        values["period"] = (str(century), f"{century}–{century + 99}")
    return values


def slugify(text: str) -> str:
    """ASCII kebab-case for a URL: "Phường Phú Thủy" -> "phuong-phu-thuy" (đ -> d); a name
    with no Latin letters gets a short fingerprint instead ("w-3f2a9c1b")."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug or "w-" + hashlib.sha256(text.encode()).hexdigest()[:8]


def _filters(groups: dict[str, dict[str, tuple[str, list[_Entry]]]], lang: str,
             texts: Texts) -> dict[str, list[tuple[str, str, int]]]:
    """facet -> [(label, path of its first page, count)]: the same filter links on every page."""
    return {facet: [(label, routes.browse_path(lang, facet, value, 1), len(entries))
                    for value, (label, entries) in values.items()]
            for facet, values in groups.items() if values}


def _listing(entries: list[_Entry], lang: str, facet: str, value: str | None, title: str,
             filters: dict[str, list[tuple[str, str, int]]], texts: Texts) -> list[PageDoc]:
    """One list split into pages of PAGE_SIZE, each with the filters and page links."""
    count = max(1, -(-len(entries) // PAGE_SIZE))
    pages = []
    for number in range(1, count + 1):
        doc = routes.browse_doc(facet, value, number)
        here = routes.doc_url_path(lang, doc)
        chunk = entries[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        body = (f"{esc(texts('sites_intro'))}\n\n" + _filter_html(filters, here, facet, value,
                                                                     lang, texts)
                + _cards(chunk, here, lang)
                + _pager(lang, facet, value, number, count, here, texts))
        heading = title if count == 1 else f"{title} ({texts('page_of', n=number, total=count)})"
        pages.append(PageDoc(lang, doc, heading, body, None))
    return pages


def _filter_html(filters: dict[str, list[tuple[str, str, int]]], here: str, facet: str,
                 value: str | None, lang: str, texts: Texts) -> str:
    everything = routes.browse_path(lang, "all", None, 1)
    parts = [f'<nav class="heritage-filters" aria-label="{esc(texts("filter_sites"))}">',
             f'<p><a href="{esc(routes.relative_url(here, everything))}">'
             f"{esc(texts('all_sites'))}</a></p>"]
    for name, links in filters.items():
        current = routes.browse_path(lang, facet, value, 1) if facet == name else None
        items = "".join(
            f'<li><a href="{esc(routes.relative_url(here, path))}"'
            + (' aria-current="page"' if path == current else "")
            + f">{esc(label)}</a> ({count})</li>" for label, path, count in links)
        opened = " open" if facet == name else ""
        parts.append(f"<details{opened}><summary>{esc(texts(name))}</summary>"
                     f"<ul>{items}</ul></details>")
    parts.append("</nav>\n\n")
    return "".join(parts)


def _cards(entries: list[_Entry], here: str, lang: str) -> str:
    cards = []
    for narrative, site in entries:
        href = routes.relative_url(here, routes.site_path(lang, site.id))
        cards.append(f'<li lang="{narrative.lang}"><p><a href="{esc(href)}"><strong>'
                     f"{esc(narrative.title)}</strong></a></p><p>{esc(narrative.summary)}</p>"
                     "</li>")
    return material.cards(cards, "heritage-sites")


def _pager(lang: str, facet: str, value: str | None, number: int, count: int, here: str,
           texts: Texts) -> str:
    if count == 1:
        return ""

    def link(n: int, label: str, rel: str = "") -> str:
        href = routes.relative_url(here, routes.browse_path(lang, facet, value, n))
        current = ' aria-current="page"' if n == number else ""
        return f'<a href="{esc(href)}"{rel}{current}>{esc(label)}</a>'

    items = []
    if number > 1:
        items.append(link(number - 1, texts("previous_page"), ' rel="prev"'))
    items += [link(n, str(n)) for n in range(1, count + 1)]
    if number < count:
        items.append(link(number + 1, texts("next_page"), ' rel="next"'))
    return (f'\n<nav class="heritage-pager" aria-label="{esc(texts("pages"))}"><p>'
            + " · ".join(items) + "</p></nav>\n")
