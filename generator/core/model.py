"""The records that flow through the build. Frozen, typed, and free of I/O.

Nothing after the loader reads raw YAML: every stage sees these values, each carrying the
`SourceRef` it came from so any later check can point at the exact line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class SourceRef:
    """Where a value came from; prints as `sites/x/site.yml:12:3`."""

    path: PurePosixPath
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column or 1))
        return ":".join(parts)

    def sort_key(self) -> tuple[str, int, int]:
        return (str(self.path), self.line or 0, self.column or 0)


@dataclass(frozen=True)
class Translation:
    """One text resolved for one language, remembering whether it fell back."""

    text: str
    lang: str  # the language actually used
    requested: str  # the language the page is for

    @property
    def is_fallback(self) -> bool:
        return self.lang != self.requested


@dataclass(frozen=True)
class LocalizedText:
    """A text an editor writes once per language."""

    texts: Mapping[str, str]
    source: SourceRef

    def resolve(self, lang: str, fallbacks: tuple[str, ...]) -> Translation | None:
        """The text in `lang`, else in the first fallback that has it."""
        for candidate in (lang, *fallbacks):
            if self.texts.get(candidate):
                return Translation(self.texts[candidate], candidate, lang)
        return None


@dataclass(frozen=True)
class Coordinates:
    lat: float
    lon: float
    accuracy_m: float | None
    verified: bool
    note: LocalizedText | None
    source: SourceRef


@dataclass(frozen=True)
class Address:
    street: str | None
    ward: str | None
    province: str | None
    former: str | None
    verified: bool


@dataclass(frozen=True)
class Period:
    start: str | None
    end: str | None
    label: LocalizedText | None


@dataclass(frozen=True)
class Recognition:
    level: str
    date: str | None
    decision: str | None
    verified: bool


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None
    publisher: str | None
    accessed: str | None


@dataclass(frozen=True)
class Media:
    file: PurePosixPath  # relative to the site folder, e.g. media/front.jpg
    alt: LocalizedText
    caption: LocalizedText | None
    credit: str
    licence: str
    source_url: str | None
    keep_location: bool = False  # publish the GPS position saved in the photo
    size: tuple[int, int] | None = None  # upright width, height in pixels (images.check_image)


@dataclass(frozen=True)
class Narrative:
    """One language's page for a site: `sites/<id>/<lang>.md`."""

    lang: str
    title: str
    summary: str
    body: str  # Markdown
    body_line: int  # line in the file where the body starts, for positions
    translated_from: str | None
    text_hash: str  # of the whole file; a translation records its source's in translated_from
    source: SourceRef


@dataclass(frozen=True)
class HeritageSite:
    """One heritage site: the language-neutral facts plus its narratives."""

    id: str
    code: str | None  # the permanent QR code, as recorded in the ledger
    type: str
    tags: tuple[str, ...]
    coordinates: Coordinates | None
    address: Address | None
    period: Period | None
    recognition: tuple[Recognition, ...]
    hours: LocalizedText | None
    admission: LocalizedText | None
    sources: tuple[Source, ...]
    media: tuple[Media, ...]
    narratives: Mapping[str, Narrative]
    source: SourceRef

    def narrative(self, language: Language) -> Narrative | None:
        """The text for `language`, else for the first of its fallbacks that has one."""
        for code in (language.code, *language.fallbacks):
            if code in self.narratives:
                return self.narratives[code]
        return None


@dataclass(frozen=True)
class ContentPage:
    """A hand-written page: `content/<lang>/<path>.md`."""

    lang: str
    path: PurePosixPath  # relative to content/<lang>/, e.g. about.md
    title: str
    menu: float | None  # position in the site menu; None keeps it out of the menu
    body: str
    body_line: int
    source: SourceRef


@dataclass(frozen=True)
class Language:
    code: str  # e.g. vi, en, ru, zh-hans
    name: str  # the native name, e.g. Tiếng Việt
    fallbacks: tuple[str, ...]  # tried in order when a text is missing


@dataclass(frozen=True)
class LedgerEntry:
    """One issued QR code in `sites/issued-codes.yml`: never deleted, never moved."""

    code: str
    site: str
    issued: str
    status: str  # active | retired
    source: SourceRef


@dataclass(frozen=True)
class Tour:
    """A walking tour: `content/tours/<tour-id>.yml`, stops in walking order."""

    id: str
    name: LocalizedText
    description: LocalizedText | None
    stops: tuple[str, ...]  # site ids
    source: SourceRef


@dataclass(frozen=True)
class OutputFile:
    """A file the build writes, relative to the output root."""

    path: PurePosixPath
    content: bytes
    origin: SourceRef | None = None


@dataclass(frozen=True)
class KeptFile:
    """A file the build publishes from where it is kept (an entry of the photo cache) with
    the SHA-256 `digest`: placed without reading it when it is the published file already, as
    a province's photos are megabytes each and an edit leaves them alone."""

    path: PurePosixPath
    source: Path
    digest: str
    origin: SourceRef | None = None

    @property
    def content(self) -> bytes:
        return self.source.read_bytes()


@dataclass(frozen=True)
class Project:
    """Everything loaded from disk, validated."""

    sites: tuple[HeritageSite, ...]
    pages: tuple[ContentPage, ...]
    ledger: tuple[LedgerEntry, ...] = ()
    tours: tuple[Tour, ...] = ()
