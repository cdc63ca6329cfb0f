"""load: read `sites/` and `content/` into validated records. The only stage that reads them.

Every problem is reported with its position and loading goes on, so one run lists all of an
editor's mistakes. A site with errors is still returned where possible, so later checks can
report theirs too; the build stops before writing if anything was reported.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import PIL
import yaml

from generator.core.cache import Cache, cache_key, code_digest
from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.assets.photos import check_image
from generator.core.messages import Phrase, phrase
from generator.core.workers import parallel_map
from generator.core.model import (
    Address, ContentPage, Coordinates, HeritageSite, LocalizedText, Media, Narrative, Period,
    Recognition, Source, SourceRef,
)
from generator.load.schema import (
    NARRATIVE_FIELDS, PAGE_FIELDS, SITE_FIELDS, Field, Validated, validate,
)
from generator.load.sourcefile import parse_yaml, read_text, split_front_matter

SITES = "sites"
CONTENT = "content"
SITE_FILE = "site.yml"
TOURS = "tours"  # content/tours/<tour-id>.yml: walking tours, not a language
SITE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SITE_ID = 60


def site_id_problem(name: str) -> Phrase | None:
    """Why `name` cannot be a permanent site id, or None if it can."""
    if "/" in name or "\\" in name or ".." in name:
        return phrase("site-id.path")
    if not name.isascii():
        return phrase("site-id.ascii")
    if " " in name:
        return phrase("site-id.space")
    if name != name.lower():
        return phrase("site-id.upper")
    if len(name) > MAX_SITE_ID:
        return phrase("site-id.long", limit=MAX_SITE_ID)
    if not SITE_ID.match(name):
        return phrase("site-id.chars")
    return None


def load_sites(config: ProjectConfig, report: Diagnostics, cache: Cache | None = None
               ) -> tuple[tuple[HeritageSite, ...], frozenset[str]]:
    """Every site folder under `sites/`, sorted by id (`cache` remembers loaded sites and
    photos found whole), and the ids of folders that exist but could not be read as a site:
    their own errors are reported, and nothing else (ledger, tours) may treat them as gone.
    Sites not remembered (all of them on a fresh clone) are read on every core."""
    folder = config.root / SITES
    if not folder.is_dir():
        return (), frozenset()
    seen: dict[str, str] = {}
    settings = cache_key(repr(config), code_digest(
        Path(__file__).parents[1], versions=(yaml.__version__, PIL.__version__)))
    found: list[tuple[Path, str | None, tuple[HeritageSite | None, Diagnostics] | None]] = []
    for entry in sorted(folder.iterdir()):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if not _check_site_id(entry.name, PurePosixPath(SITES, entry.name), seen, report):
            continue
        key = _site_key(entry, settings, cache) if cache is not None else None
        found.append((entry, key, _kept_site(cache, key)))
    unread = [(entry, key) for entry, key, kept in found if kept is None]
    if len(unread) >= PARALLEL_SITES and cache is not None:
        batches = [unread[start:start + BATCH] for start in range(0, len(unread), BATCH)]
        loaded = []
        for reads, used in parallel_map(partial(_load_sites_alone, config, cache.folder),
                                        batches):
            loaded += reads
            cache.keep(used)
    else:
        loaded = [_load_site_kept(entry, key, config, cache) for entry, key in unread]
    fresh = iter(loaded)
    sites = []
    unreadable = set()
    for entry, _, kept in found:
        site, problems = kept or next(fresh)
        report.extend(problems)
        if site is not None:
            sites.append(site)
        else:
            unreadable.add(entry.name)
    return tuple(sites), frozenset(unreadable)


PARALLEL_SITES = 100  # fewer sites to read load faster here than in started workers
BATCH = 25  # sites a worker reads before it waits for their cache entries to be written


def _check_site_id(name: str, rel: PurePosixPath, seen: dict[str, str],
                   report: Diagnostics) -> bool:
    problem = site_id_problem(name)
    if problem:
        suggestion = _suggest_id(name)
        report.error("bad-site-id", SourceRef(rel), hint="hint.rename-folder", name=name,
                     problem=problem, suggestion=suggestion)
    key = _suggest_id(name)
    if key in seen:
        report.error("duplicate-site-id", SourceRef(rel), hint="hint.own-id", first=seen[key],
                     name=name)
        return False
    seen[key] = name
    return problem is None


def _suggest_id(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SITE_ID] or "site"


def _meant(name: str) -> str:
    """The name a file was probably meant to have: what word processors and file managers
    do to names (capitals, a second extension, the long form of an extension) undone."""
    name = name.lower()
    for extra in (".txt", ".docx", ".doc", ".rtf"):
        name = name.removesuffix(extra)
    for long, short in ((".yaml", ".yml"), (".markdown", ".md")):
        if name.endswith(long):
            name = name[: -len(long)] + short
    return name


def _misnamed(folder: Path, wanted: str) -> str | None:
    """A file in `folder` that was meant to be `wanted` but is named otherwise."""
    return next((file.name for file in sorted(folder.iterdir())
                 if file.name != wanted and _meant(file.name) == wanted and file.is_file()),
                None)


def _reported(report: Diagnostics, path: PurePosixPath) -> bool:
    return any(d.where.path == path for d in report.errors)


def _kept_site(cache: Cache | None, key: str | None
               ) -> tuple[HeritageSite | None, Diagnostics] | None:
    """A site folder whose every file has the bytes it had, read by the same code under the
    same settings, gives the same record and the same problems: they are taken from the
    cache instead of parsing YAML and Markdown again (a province has thousands of files that
    an edit leaves alone). None when the cache does not have them."""
    kept = cache.load(key, "site") if cache is not None and key is not None else None
    if isinstance(kept, tuple) and len(kept) == 2:
        return kept[0], Diagnostics(list(kept[1]))
    return None


def _load_site_kept(folder: Path, key: str | None, config: ProjectConfig, cache: Cache | None
                    ) -> tuple[HeritageSite | None, Diagnostics]:
    """`_load_site`, its record and problems stored under `key` for the next run."""
    local = Diagnostics()
    site = _load_site(folder, PurePosixPath(SITES, folder.name), config, local, cache)
    if cache is not None and key is not None:
        cache.store(key, "site", (site, tuple(local.items)))
    return site, local


def _load_sites_alone(config: ProjectConfig, cache_folder: Path,
                      batch: list[tuple[Path, str | None]]
                      ) -> tuple[list[tuple[HeritageSite | None, Diagnostics]], frozenset[str]]:
    """`_load_site_kept` over a batch in a worker process, with a cache of its own on the
    same folder: its entries are written before it returns, and their keys returned, for
    the build's cache to keep."""
    cache = Cache(cache_folder)
    reads = [_load_site_kept(folder, key, config, cache) for folder, key in batch]
    cache.flush()
    return reads, cache.used()


def _site_key(folder: Path, settings: str, cache: Cache) -> str | None:
    """The key of a site's loaded record: every file's name and bytes (photos too: their
    checks are part of it; the cache's file digests read only what changed) and `settings`
    (the project's settings and the code); None if a file cannot be read or a folder is a
    link (its files would go unseen)."""
    files = hashlib.sha256()
    top = len(str(folder)) + 1
    try:
        for parent, folders, names in os.walk(folder):
            if any(os.path.islink(os.path.join(parent, name)) for name in folders):
                return None
            folders.sort()
            for name in sorted(names):
                path = os.path.join(parent, name)
                files.update(f"{path[top:]}\0".encode())
                files.update(cache.files.sha256(path))
    except OSError:
        return None
    return cache_key("site", folder.name, files.hexdigest(), settings)


def _load_site(folder: Path, rel: PurePosixPath, config: ProjectConfig,
               report: Diagnostics, cache: Cache | None = None) -> HeritageSite | None:
    yml_rel = rel / SITE_FILE
    if not (folder / SITE_FILE).is_file():
        found = _misnamed(folder, SITE_FILE)
        if found:
            report.error("missing-file", SourceRef(rel / found), "missing-file.misnamed",
                         hint="hint.rename-file", found=found, wanted=SITE_FILE)
        else:
            report.error("missing-file", SourceRef(yml_rel), "missing-file.site",
                         hint="hint.copy-site", site=folder.name, file=SITE_FILE)
        return None
    text = read_text(folder / SITE_FILE, yml_rel, report)
    node = parse_yaml(text, yml_rel, report) if text is not None else None
    if text is not None and node is None and not _reported(report, yml_rel):
        report.error("missing-field", SourceRef(yml_rel, 1, 1), "missing-field.empty-site",
                     hint="hint.empty-site", path=yml_rel)
    narratives = _load_narratives(folder, rel, config, report)
    if node is None:
        return None
    checked = validate(node, SITE_FIELDS, yml_rel, report, languages=config.lang_codes)
    values = checked.values
    return HeritageSite(
        id=folder.name,
        code=values.get("code"),
        type=str(values.get("type", "other")),
        tags=tuple(values.get("tags", ())),
        coordinates=_coordinates(checked, yml_rel, config, report),
        address=Address(**_fill(values.get("address"), SITE_FIELDS["address"], False))
        if "address" in values else None,
        period=_period(values.get("period"), checked, yml_rel),
        recognition=tuple(Recognition(**_fill(r, SITE_FIELDS["recognition"], False))
                          for r in values.get("recognition", [])),
        hours=_text(values.get("hours"), checked, "hours", yml_rel),
        admission=_text(values.get("admission"), checked, "admission", yml_rel),
        sources=tuple(Source(**_fill(s, SITE_FIELDS["sources"], None))
                      for s in values.get("sources", [])),
        media=_media(values.get("media", []), folder, checked, yml_rel, config, report, cache),
        narratives=narratives,
        source=SourceRef(yml_rel),
    )


def _fill(values: Any, spec: Field, bool_default: bool | None) -> dict[str, Any]:
    """A record's fields with absent optional ones set to None (or False for flags)."""
    values = values or {}
    return {name: values.get(name, bool_default if fld.kind == "bool" else None)
            for name, fld in spec.fields.items()}


def _text(texts: Any, checked: Validated, key: str, rel: PurePosixPath
          ) -> LocalizedText | None:
    if not texts:
        return None
    return LocalizedText(dict(texts), checked.refs.get(key, SourceRef(rel)))


def _period(values: Any, checked: Validated, rel: PurePosixPath) -> Period | None:
    if not values:
        return None
    return Period(values.get("start"), values.get("end"),
                  _text(values.get("label"), checked, "period.label", rel))


def _coordinates(checked: Validated, rel: PurePosixPath, config: ProjectConfig,
                 report: Diagnostics) -> Coordinates | None:
    values = checked.values.get("coordinates")
    if not values or "lat" not in values or "lon" not in values:
        if "coordinates" not in checked.refs:
            report.warning("no-coordinates", SourceRef(rel, 1, 1), hint="hint.gps")
        return None
    lat, lon = values["lat"], values["lon"]
    where = checked.refs["coordinates.lat"]
    region = config.region
    if region and not region.contains(lat, lon):
        swapped = region.contains(lon, lat)
        report.error("bad-coordinates", where, "bad-coordinates.region",
                     hint="hint.swapped" if swapped else "hint.check-map", lat=lat, lon=lon)
    return Coordinates(lat, lon, values.get("accuracy_m"), bool(values.get("verified")),
                       _text(values.get("note"), checked, "coordinates.note", rel), where)


def _media(entries: list[dict[str, Any]], folder: Path, checked: Validated,
           rel: PurePosixPath, config: ProjectConfig, report: Diagnostics,
           cache: Cache | None = None) -> tuple[Media, ...]:
    media = []
    for index, entry in enumerate(entries):
        key = f"media[{index + 1}].file"
        if "file" not in entry or "alt" not in entry:
            continue
        file = PurePosixPath(entry["file"])
        where = checked.refs.get(key, SourceRef(rel))
        if file.is_absolute() or ".." in file.parts or not (folder / file).is_file():
            report.error("missing-file", where, "missing-file.image", hint="hint.media-folder",
                         file=str(file), folder=str(rel.parent))
            continue
        size = check_image(folder / file, rel.parent / file, where, report,
                           max_pixels=config.image_max_pixels,
                           max_bytes=config.image_max_bytes, cache=cache)
        if size is None:
            continue
        media.append(Media(file, LocalizedText(entry["alt"], where),
                           LocalizedText(entry["caption"], where) if entry.get("caption")
                           else None, entry.get("credit", ""), entry.get("licence", ""),
                           entry.get("source_url"), bool(entry.get("keep_location")), size))
    return tuple(media)


def _load_narratives(folder: Path, rel: PurePosixPath, config: ProjectConfig,
                     report: Diagnostics) -> dict[str, Narrative]:
    narratives: dict[str, Narrative] = {}
    wanted = {f"{code}.md" for code in config.lang_codes}
    for file in sorted(folder.iterdir()):
        meant = _meant(file.name)
        if file.name not in wanted and meant in wanted and file.is_file():
            report.error("missing-file", SourceRef(rel / file.name), "missing-file.misnamed",
                         hint="hint.rename-file", found=file.name, wanted=meant)
    for file in sorted(folder.glob("*.md")):
        lang = file.stem
        md_rel = rel / file.name
        if file.name not in wanted and _meant(file.name) in wanted:
            continue  # reported above, with the name it should have
        if lang not in config.lang_codes:
            report.error("unknown-language", SourceRef(md_rel), "unknown-language.page",
                         hint="hint.page-languages", file=file.name,
                         files=", ".join(f"{c}.md" for c in config.lang_codes))
            continue
        narrative = _load_narrative(file, md_rel, lang, config, report)
        if narrative is not None:
            narratives[lang] = narrative
    source = f"{config.default_lang}.md"
    if not (folder / source).is_file() and not _misnamed(folder, source):
        report.error("missing-file", SourceRef(rel / source), "missing-file.site",
                     hint="hint.source-text", site=folder.name, file=source,
                     language=config.language(config.default_lang).name, path=f"{rel}/{source}")
    return narratives


def _load_narrative(file: Path, rel: PurePosixPath, lang: str, config: ProjectConfig,
                    report: Diagnostics) -> Narrative | None:
    parsed = _page(file, rel, NARRATIVE_FIELDS, config, report)
    if parsed is None:
        return None
    values, front, text = parsed
    return Narrative(lang, str(values.get("title", "")), str(values.get("summary", "")),
                     front.body, front.body_line, values.get("translated_from"),
                     text_hash(text), SourceRef(rel, 1, 1))


def text_hash(text: str) -> str:
    """The short fingerprint of a source text that translations record (translated_from)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]


def _page(file: Path, rel: PurePosixPath, spec: dict[str, Field], config: ProjectConfig,
          report: Diagnostics) -> tuple[dict[str, Any], Any, str] | None:
    text = read_text(file, rel, report)
    if text is None:
        return None
    front = split_front_matter(text, rel, report)
    if front is None:
        return None
    checked = validate(front.node, spec, rel, report, languages=config.lang_codes,
                       line_offset=front.line_offset)
    if not checked.ok:
        return None
    return checked.values, front, text


def load_pages(config: ProjectConfig, report: Diagnostics) -> tuple[ContentPage, ...]:
    """Hand-written pages under `content/<lang>/`, in a stable order."""
    folder = config.root / CONTENT
    pages = []
    if not folder.is_dir():
        return ()
    for lang_dir in sorted(p for p in folder.iterdir() if p.is_dir() and p.name != TOURS):
        if lang_dir.name not in config.lang_codes:
            report.error("unknown-language", SourceRef(PurePosixPath(CONTENT, lang_dir.name)),
                         "unknown-language.folder", hint="hint.languages",
                         folder=lang_dir.name, languages=", ".join(config.lang_codes))
            continue
        for file in sorted(lang_dir.rglob("*.md")):
            rel = PurePosixPath(CONTENT, lang_dir.name, *file.relative_to(lang_dir).parts)
            parsed = _page(file, rel, PAGE_FIELDS, config, report)
            if parsed is not None:
                values, front, _ = parsed
                pages.append(ContentPage(lang_dir.name,
                                         PurePosixPath(*file.relative_to(lang_dir).parts),
                                         str(values["title"]), values.get("menu"), front.body,
                                         front.body_line, SourceRef(rel, 1, 1)))
    return tuple(pages)
