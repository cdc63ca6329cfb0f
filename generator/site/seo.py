"""What search engines and link previews read: JSON-LD, OpenGraph, hreflang, the sitemap."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from generator.core.model import HeritageSite

OG_LOCALES = {"vi": "vi_VN", "en": "en_GB", "ru": "ru_RU", "zh": "zh_CN", "ko": "ko_KR",
              "fr": "fr_FR", "de": "de_DE", "ja": "ja_JP"}


@dataclass(frozen=True)
class Alternate:
    """One language version of a page."""

    lang: str
    name: str  # the language's own name
    href: str  # relative to the page that links it
    url: str  # absolute


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' survive literally."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def site_jsonld(site: HeritageSite, *, name: str, summary: str, url: str, lang: str) -> str:
    """schema.org description of a site page (a landmark that tourists visit)."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": ["LandmarksOrHistoricalBuildings", "TouristAttraction"],
        "name": name,
        "description": summary,
        "url": url,
        "inLanguage": lang,
    }
    if site.coordinates:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": site.coordinates.lat,
                       "longitude": site.coordinates.lon}
    if site.address:
        address = {"@type": "PostalAddress", "streetAddress": site.address.street,
                   "addressLocality": site.address.ward, "addressRegion": site.address.province}
        data["address"] = {k: v for k, v in address.items() if v}
    citations = [s.url for s in site.sources if s.url]
    if citations:
        data["citation"] = citations
    return script_json(data)


def opengraph(*, title: str, description: str, url: str, lang: str, site_name: str,
              alternates: Sequence[Alternate]) -> list[list[str]]:
    """OpenGraph properties as [property, content] pairs, in a fixed order."""
    pairs = [["og:type", "website"], ["og:site_name", site_name], ["og:title", title],
             ["og:description", description], ["og:url", url],
             ["og:locale", OG_LOCALES.get(lang, lang)]]
    pairs += [["og:locale:alternate", OG_LOCALES.get(a.lang, a.lang)]
              for a in alternates if a.lang != lang]
    return pairs


SITEMAP_MOST_URLS = 50_000  # the sitemap protocol's limit for one file


def sitemap_xml(pages: Sequence[Sequence[Alternate]]) -> str:
    """One <url> per page and language, each listing all its language versions (hreflang)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for versions in pages:
        for version in versions:
            out.append(f"  <url><loc>{escape(version.url)}</loc>")
            out += [f'    <xhtml:link rel="alternate" hreflang={quoteattr(alt.lang)} '
                    f"href={quoteattr(alt.url)}/>" for alt in versions]
            out.append("  </url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def sitemap_files(pages: Sequence[Sequence[Alternate]], site_url: str, *,
                  most: int = SITEMAP_MOST_URLS) -> dict[str, str]:
    """`sitemap.xml`, or past `most` URLs a sitemap index of that name and the numbered parts
    (`sitemap-1.xml`, ...), each within the limit. A page's language versions stay together
    in one part, so every <url> can list its alternates."""
    parts: list[list[Sequence[Alternate]]] = [[]]
    count = 0
    for versions in pages:
        if count + len(versions) > most and parts[-1]:
            parts.append([])
            count = 0
        parts[-1].append(versions)
        count += len(versions)
    if len(parts) == 1:
        return {"sitemap.xml": sitemap_xml(parts[0])}
    files = {f"sitemap-{n}.xml": sitemap_xml(part) for n, part in enumerate(parts, 1)}
    index = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    index += [f"  <sitemap><loc>{escape(site_url.rstrip('/') + '/' + name)}</loc></sitemap>"
              for name in files]
    index.append("</sitemapindex>")
    return {"sitemap.xml": "\n".join(index) + "\n", **files}
