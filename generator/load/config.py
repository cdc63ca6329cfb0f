"""The project configuration: `mkdocs.yml` is the one source of truth.

MkDocs reads the theme, Markdown extensions and site URL from it; the generator reads the same
file for the site URL and its own block, `extra.heritage` (languages, region).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.core.diagnostics import Diagnostics
from generator.renderer import RENDERERS
from generator.core.model import Language, SourceRef
from generator.load.schema import LANG_CODE, Field, validate
from generator.load.sourcefile import parse_yaml, read_text, ref

CONFIG_FILE = "mkdocs.yml"
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">'
                       "OpenStreetMap</a> contributors")

HERITAGE_FIELDS: dict[str, Field] = {
    "languages": Field("list", "The site's languages; the first is the source language.",
                       required=True, fields={
        "code": Field("text", "Language code, e.g. vi, en, ru, zh-hans.", required=True),
        "name": Field("text", "The language's own name, e.g. Tiếng Việt.", required=True),
        "fallback": Field("tags", "Languages to show, in order, when a text is missing."),
    }),
    "international_language": Field(
        "text", "The language for a visitor whose phone asks for none of the site's languages "
        "(default: en when the site has it, else the first language).", example="en"),
    "region": Field("map", "Where sites may lie; a point outside is reported (catches "
                    "swapped latitude and longitude).", fields={
        "south": Field("number", "Southern edge (latitude).", required=True),
        "north": Field("number", "Northern edge (latitude).", required=True),
        "west": Field("number", "Western edge (longitude).", required=True),
        "east": Field("number", "Eastern edge (longitude).", required=True),
    }),
    "map": Field("map", "The interactive maps' background tiles (the only thing a reader's "
                 "browser fetches from another server).", fields={
        "tiles": Field("text", "Tile URL template with {z}, {x}, {y}.",
                       example='"https://tile.openstreetmap.org/{z}/{x}/{y}.png"'),
        "attribution": Field("text", "The tile provider's credit, shown on every map (HTML).",
                             example='"© OpenStreetMap contributors"'),
    }),
    "print": Field("map", "Plaques and other print files.", fields={
        "languages": Field("tags", "The languages on a plaque, in order.", example="[vi, en]"),
        "footer": Field("text", "The organisation line at the foot of each plaque.",
                        example='"Tình nguyện viên Di sản Phan Thiết"'),
        "require_translations": Field("bool", "true: a plaque language without a translation "
                                      "is an error; false: the fallback text is printed.",
                                      example="false"),
    }),
    "renderer": Field("choice", "What turns the pages into HTML: mkdocs (the default, MkDocs "
                      "with Material for MkDocs) or zensical (Zensical, by Material's makers; "
                      "it runs no MkDocs hooks).", example="mkdocs", choices=RENDERERS),
    "data_licence": Field("text", "The licence of the open data exports and the content.",
                          example='"CC BY-SA 4.0"'),
    "nearby": Field("map", "The 'nearby sites' list on each page.", fields={
        "count": Field("number", "How many sites at most.", minimum=0, maximum=50),
        "max_km": Field("number", "How far at most, in kilometres.", minimum=0),
    }),
    "images": Field("map", "Limits for editors' photos; a photo over a limit is an error.",
                    fields={
        "max_pixels": Field("number", "Most pixels a photo may have (width × height).",
                            example="40000000", minimum=1_000_000, maximum=150_000_000),
        "max_megabytes": Field("number", "Largest photo file, in megabytes.", example="30",
                               minimum=1, maximum=500),
    }),
}


@dataclass(frozen=True)
class Region:
    south: float
    north: float
    west: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


@dataclass(frozen=True)
class ProjectConfig:
    """What the generator needs from `mkdocs.yml`, validated."""

    root: Path
    site_url: str  # always ends with '/'
    languages: tuple[Language, ...]
    region: Region | None
    nearby_count: int
    nearby_max_m: float
    markdown_extensions: tuple[Any, ...]  # as written in mkdocs.yml, for the safety check
    tiles_url: str
    tiles_attribution: str
    print_languages: tuple[str, ...]
    print_footer: str | None
    print_requires_translation: bool
    data_licence: str
    source: SourceRef
    international_lang: str = ""  # "" means default_lang
    hooks: tuple[str, ...] = ()  # MkDocs hook files, relative to mkdocs.yml
    plugins: Any = None  # as mkdocs.yml has them; None: it has no `plugins:` line
    image_max_pixels: int = 40_000_000
    image_max_bytes: int = 30_000_000
    renderer: str = RENDERERS[0]

    @property
    def default_lang(self) -> str:
        return self.languages[0].code

    @property
    def unmatched_lang(self) -> str:
        """The language for a visitor who asks for none of the site's languages."""
        return self.international_lang or self.default_lang

    @property
    def lang_codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even where it uses MkDocs' `!!python/name:` or `!ENV` tags."""


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
_TolerantLoader.add_multi_constructor("!", lambda *_: None)


def load_config(root: Path, report: Diagnostics, renderer: str | None = None
                ) -> ProjectConfig | None:
    """Read and check mkdocs.yml; None (after reporting) when it cannot be used. `renderer`
    (`heritage build --renderer`) stands in for mkdocs.yml's `extra.heritage.renderer`."""
    rel = PurePosixPath(CONFIG_FILE)
    where = SourceRef(rel, 1, 1)
    if not (root / CONFIG_FILE).is_file():
        report.error("config", SourceRef(rel), "config.missing", hint="hint.project-folder")
        return None
    text = read_text(root / CONFIG_FILE, rel, report)
    node = parse_yaml(text, rel, report) if text is not None else None
    if node is None or text is None:
        return None
    raw = yaml.load(text, Loader=_TolerantLoader) or {}
    site_url = str(raw.get("site_url") or "")
    if not site_url.startswith(("http://", "https://")):
        report.error("config", where, "config.site-url", hint="hint.site-url")
        return None
    heritage = _heritage_node(node)
    checked = validate(heritage, HERITAGE_FIELDS, rel, report, languages=())
    languages = _languages(checked.values.get("languages") or [], rel, heritage, report)
    if not checked.ok or not languages:
        return None
    nearby = checked.values.get("nearby") or {}
    tiles = checked.values.get("map") or {}
    printing = checked.values.get("print") or {}
    unknown = [c for c in printing.get("languages", []) if c not in [x.code for x in languages]]
    if unknown:
        report.error("config", where, "config.print-languages", hint="hint.languages",
                     unknown=", ".join(unknown), languages=", ".join(x.code for x in languages))
        return None
    codes = [x.code for x in languages]
    international = checked.values.get("international_language",
                                       "en" if "en" in codes else codes[0])
    if international not in codes:
        report.error("config", where, "config.international-language", hint="hint.languages",
                     unknown=international, languages=", ".join(codes))
        return None
    region = checked.values.get("region")
    photos = checked.values.get("images") or {}
    config = ProjectConfig(
        root=root,
        site_url=site_url.rstrip("/") + "/",
        languages=languages,
        region=Region(**region) if region else None,
        nearby_count=int(nearby.get("count", 5)),
        nearby_max_m=float(nearby.get("max_km", 15)) * 1000,
        markdown_extensions=tuple(raw.get("markdown_extensions") or ()),
        print_languages=tuple(printing.get("languages") or
                              [c.code for c in languages if c.code in ("vi", "en")] or
                              [languages[0].code]),
        print_footer=printing.get("footer"),
        print_requires_translation=bool(printing.get("require_translations", False)),
        tiles_url=str(tiles.get("tiles", DEFAULT_TILES)),
        tiles_attribution=str(tiles.get("attribution", DEFAULT_ATTRIBUTION)),
        data_licence=str(checked.values.get("data_licence", "CC BY-SA 4.0")),
        source=where,
        international_lang=international,
        hooks=tuple(str(h) for h in raw.get("hooks") or () if isinstance(h, str)),
        plugins=raw.get("plugins"),
        image_max_pixels=int(photos.get("max_pixels", 40_000_000)),
        image_max_bytes=int(float(photos.get("max_megabytes", 30)) * 1_000_000),
        renderer=renderer or str(checked.values.get("renderer", RENDERERS[0])),
    )
    if config.renderer != RENDERERS[0] and config.hooks:  # an error, never a silent skip
        report.error("config", where, "config.renderer-hooks", hint="hint.renderer-hooks",
                     renderer=config.renderer, hooks=", ".join(config.hooks))
    return config


def _heritage_node(node: yaml.Node) -> yaml.Node | None:
    found: yaml.Node | None = node
    for path_part in ("extra", "heritage"):
        if not isinstance(found, yaml.MappingNode):
            return None
        found = next((v for k, v in found.value if k.value == path_part), None)
    return found


def _languages(
    entries: list[dict[str, Any]], rel: PurePosixPath, node: yaml.Node | None,
    report: Diagnostics,
) -> tuple[Language, ...]:
    codes = [entry["code"] for entry in entries if "code" in entry]
    where = ref(rel, node)
    problems = [code for code in codes if not LANG_CODE.match(code)]
    if problems or len(set(codes)) != len(codes) or not codes:
        report.error("config", where, "config.languages", hint="hint.language-code",
                     codes=", ".join(codes))
        return ()
    default = codes[0]
    languages = []
    for entry in entries:
        fallbacks = [c for c in entry.get("fallback", []) if c != entry["code"]]
        unknown = [c for c in fallbacks if c not in codes]
        if unknown:
            report.error("config", where, "config.fallback", hint="hint.fallback",
                         lang=entry["code"], unknown=", ".join(unknown))
            return ()
        if default not in fallbacks and entry["code"] != default:
            fallbacks.append(default)
        languages.append(Language(entry["code"], entry["name"], tuple(fallbacks)))
    return tuple(languages)
