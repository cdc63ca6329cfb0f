"""Print for volunteers: plaques in four sizes, sticker sheets, printable maps, the /print/ page.

Jobs are planned from the records (pure), then rendered by `qr/` and `maps/` in a process pool
and cached by a hash of everything that goes into them, so an edit to one site re-renders that
site's files only. A placeholder site_url makes every file a DRAFT; `--final` refuses it.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath

import maps
import pdftext
import qr
from generator.core import routes
from generator.core.cache import Cache, cache_key, code_digest
from generator.load.codes import is_placeholder_url
from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.core.workers import started_map
from generator.core.i18n import Texts
from generator.site.map_pages import tour_legs
from generator.core.model import HeritageSite, Language, LedgerEntry, OutputFile, Project, SourceRef

PRINT = "print"
PAPERS = ("A4", "A5", "A6", "square200")
MAP_PAPERS = ("A4", "A3")
FONTS_DIR = Path(__file__).parent / "fonts"
FONT_FILES = {"regular": FONTS_DIR / "NotoSans-Regular.ttf", "bold": FONTS_DIR / "NotoSans-Bold.ttf"}
# For Hán and Hangul, which Noto Sans lacks: Noto Sans CJK from Debian's fonts-noto-cjk
# (`make fonts`; `make test` installs it), face 3, the traditional forms written on Vietnam's
# temples and communal houses. Without it such a character is a print error that says so.
CJK_FONT = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 3)
_LIBRARIES = (Path(qr.__file__).parent, Path(maps.__file__).parent,
              Path(pdftext.__file__).parent)


@dataclass(frozen=True)
class PrintJob:
    """One file (or a PDF and its preview) to render: plain, picklable values only."""

    kind: str  # plaque | sheet | map
    path: str  # output path of the PDF, under print/
    args: dict[str, object]
    origin: SourceRef
    preview: str | None = None  # output path of a PNG preview, if wanted


@dataclass
class PrintStats:
    rendered: list[str] = field(default_factory=list)  # paths rendered, not from the cache


def _epoch(entry: LedgerEntry | None) -> int:
    """PDF dates: SOURCE_DATE_EPOCH, else the code's issue date, so output is reproducible."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    day = date.fromisoformat(entry.issued) if entry and len(entry.issued) == 10 else date(2026, 1, 1)
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def _name(site: HeritageSite, language: Language) -> tuple[str, bool]:
    """The site's title in `language` (or its fallback) and whether it fell back."""
    narrative = site.narrative(language)
    if narrative is None:
        return site.id, True
    return narrative.title, narrative.lang != language.code


def _line(site: HeritageSite, texts: Texts) -> str:
    """The one-line description: kind of place and period, e.g. "Tower, 1928–1934". Years
    only: a plaque is read in passing, and "1911-02-21" reads as a code, not a date."""
    years = [d[:4] for d in (site.period.start, site.period.end) if d] if site.period else []
    span = "–".join(dict.fromkeys(years))
    return texts(f"type.{site.type}") + (f", {span}" if span else "")


def plan_print(config: ProjectConfig, project: Project, report: Diagnostics) -> list[PrintJob]:
    """Every print file of the site, in a fixed order."""
    draft = is_placeholder_url(config.site_url)
    sites = {site.id: site for site in project.sites}
    active = [(e, sites[e.site]) for e in project.ledger if e.status == "active" and e.site in sites]
    languages = [config.language(code) for code in config.print_languages]
    footer = config.print_footer or Texts(config.languages[0])("site_name")
    jobs = []
    for entry, site in active:
        plaque_texts = []
        for language in languages:
            name, fell_back = _name(site, language)
            if fell_back and config.print_requires_translation:
                report.error("print", site.source, "print.untranslated", hint="hint.translate",
                             site=site.id, lang=language.code)
            elif fell_back:
                report.warning("print", site.source, "print.fallback", hint="hint.translate",
                               site=site.id, lang=language.code)
            texts = Texts(language)
            plaque_texts.append((name, _line(site, texts), texts("scan_call")))
        base = {"payload": qr.plaque_url(config.site_url, entry.code),
                "short_url": qr.short_url(config.site_url, entry.code), "code": entry.code,
                "texts": plaque_texts, "footer": f"{footer} · {config.data_licence}",
                "draft": draft, "epoch": _epoch(entry)}
        for paper in PAPERS:
            jobs.append(PrintJob("plaque", plaque_file(entry.code, site.id, paper),
                                 {**base, "paper": paper}, site.source,
                                 preview_file(entry.code) if paper == "A5" else None))
    if active:
        stickers = [(qr.plaque_url(config.site_url, e.code), e.code,
                     _name(s, config.languages[0])[0]) for e, s in active]
        jobs.append(PrintJob("sheet", f"{PRINT}/stickers.pdf",
                             {"items": stickers, "draft": draft, "epoch": _epoch(None)},
                             SourceRef(PurePosixPath("sites", "issued-codes.yml"))))
    jobs += _map_jobs(config, project, languages)
    return jobs


def active_codes(project: Project) -> dict[str, str]:
    """Each site with an active code, in the order codes were issued: the code is the label of
    its marker on every printed map and of its entry on the print page, so neither changes
    when another code is issued or retired."""
    sites = {site.id for site in project.sites}
    return {e.site: e.code for e in project.ledger if e.status == "active" and e.site in sites}


def plaque_file(code: str, site_id: str, paper: str) -> str:
    return f"{PRINT}/{code}-{site_id}-{paper}.pdf"


def preview_file(code: str) -> str:
    return f"{PRINT}/{code}-preview.png"


def _map_jobs(config: ProjectConfig, project: Project,
              languages: list[Language]) -> list[PrintJob]:
    sites = {site.id: site for site in project.sites}
    texts = [Texts(language) for language in languages]
    attribution = (f"{Texts(config.languages[0])('site_name')}, {config.data_licence}. "
                   + " / ".join(t("print_map_note") for t in texts))
    common = {"legend_title": " / ".join(t("sites") for t in texts), "attribution": attribution,
              "scale_label": "m", "north_label": texts[0]("north_letter"), "epoch": _epoch(None)}
    codes = active_codes(project)
    overview = [(code, sites[site_id]) for site_id, code in codes.items()
                if sites[site_id].coordinates is not None]
    maps_to_draw = [("overview", " / ".join(t("map") for t in texts), overview, False)]
    for tour in project.tours:
        stops = [site for site, _ in tour_legs(tour, sites)]
        tagged = ([(codes[s.id], s) for s in stops] if all(s.id in codes for s in stops)
                  else [(str(number), s) for number, s in enumerate(stops, 1)])
        name = " / ".join(n.text for lang in languages
                          if (n := tour.name.resolve(lang.code, lang.fallbacks)))
        maps_to_draw.append((f"tour-{tour.id}", name, tagged, True))
    jobs = []
    for slug, title, placed, route in maps_to_draw:
        if not placed:
            continue
        markers = [(tag, s.coordinates.lat, s.coordinates.lon,
                    " / ".join(dict.fromkeys(_name(s, lang)[0] for lang in languages)))
                   for tag, s in placed if s.coordinates is not None]  # all are located
        for paper in MAP_PAPERS:
            jobs.append(PrintJob("map", f"{PRINT}/map-{slug}-{paper}.pdf",
                                 {**common, "markers": markers, "title": title,
                                  "paper": paper, "route": route},
                                 SourceRef(PurePosixPath("sites"))))
    return jobs


def render_print(jobs: Sequence[PrintJob], cache: Cache, report: Diagnostics,
                 stats: PrintStats | None = None) -> list[OutputFile]:
    """Render every job (cached by content hash, misses in parallel) into output files."""
    with started_print(jobs, cache, report, stats) as printed:
        return printed()


# Longest first, so that no core waits at the end for one sticker sheet or map.
_ORDER = {"sheet": 0, "map": 1, "plaque": 2}
# Below this many files to make, they are made here: starting the pool's workers (each loads
# fpdf2 and the fonts) took longer than it saved (30 sites, 125 files: 2.42 s here, 2.50 s
# in the pool; a town of 8 sites: 0.77 s against 1.32 s).
PRINT_IN_PARALLEL_FROM = 120


@contextmanager
def started_print(jobs: Sequence[PrintJob], cache: Cache, report: Diagnostics,
                  stats: PrintStats | None = None
                  ) -> Iterator[Callable[[], list[OutputFile]]]:
    """render_print begun at once on every core, for the build to make its other files
    meanwhile: it calls what it is given for the print files, which waits for them."""
    keys = [_cache_key(job) for job in jobs]
    found = {key: entry for key in keys if (entry := cache.get(key)) is not None}
    missing = sorted(((job, key) for job, key in zip(jobs, keys) if key not in found),
                     key=lambda pair: _ORDER[pair[0].kind])
    with started_map(_render_safely, [(job.kind, job.args) for job, _ in missing],
                     smallest=PRINT_IN_PARALLEL_FROM) as results:

        def printed() -> list[OutputFile]:
            for (job, key), (outputs, problem) in zip(missing, results()):
                if problem is not None:
                    report.error("print", job.origin, "print.failed", hint="hint.print-failed",
                                 file=job.path, problem=problem)
                    continue
                cache.put(key, outputs)
                found[key] = outputs
                if stats is not None:
                    stats.rendered.append(job.path)
            files = []
            for job, key in zip(jobs, keys):
                if key not in found:
                    continue
                outputs = found[key]
                files.append(OutputFile(PurePosixPath(job.path), outputs["pdf"], job.origin))
                if job.preview:
                    files.append(OutputFile(PurePosixPath(job.preview), outputs["png"],
                                            job.origin))
            return files

        yield printed


def fallback_fonts() -> tuple[tuple[Path, int], ...]:
    """The fallback fonts this machine has (see CJK_FONT)."""
    return tuple(font for font in (CJK_FONT,) if font[0].is_file())


def _cache_key(job: PrintJob) -> str:
    digest = code_digest(*_LIBRARIES, *FONT_FILES.values(),
                         *(path for path, _ in fallback_fonts()))
    return cache_key("print", job.kind, job.args, bool(job.preview), digest)


def _render_safely(work: tuple[str, dict[str, object]]) -> tuple[dict[str, bytes], str | None]:
    """Run in a worker process: the rendered bytes, or the printing problem in words."""
    kind, args = work
    try:
        return _RENDERERS[kind](args), None
    except (qr.PrintError, ValueError) as exc:
        return {}, str(exc)


def _fonts() -> qr.Fonts:
    return qr.Fonts(FONT_FILES["regular"], FONT_FILES["bold"], fallback_fonts())


def _render_plaque(args: dict) -> dict[str, bytes]:
    texts = [qr.PlaqueText(*triple) for triple in args["texts"]]
    pdf = qr.plaque_pdf(payload=args["payload"], short_url=args["short_url"], code=args["code"],
                        texts=texts, footer=args["footer"], paper=args["paper"], fonts=_fonts(),
                        draft=args["draft"], epoch=args["epoch"])
    outputs = {"pdf": pdf}
    if args["paper"] == "A5":
        outputs["png"] = qr.preview_png(pdf, dpi=40)
    return outputs


def _render_sheet(args: dict) -> dict[str, bytes]:
    items = [qr.Sticker(*item) for item in args["items"]]
    return {"pdf": qr.sticker_sheet_pdf(items, fonts=_fonts(), draft=args["draft"],
                                        epoch=args["epoch"])}


def _render_map(args: dict) -> dict[str, bytes]:
    markers = [maps.MapMarker(tag, maps.LatLon(lat, lon), label)
               for tag, lat, lon, label in args["markers"]]
    pdf = maps.printable_map_pdf(
        markers, title=args["title"], legend_title=args["legend_title"],
        attribution=args["attribution"], paper=args["paper"], route=args["route"],
        fonts=maps.MapFonts(FONT_FILES["regular"], FONT_FILES["bold"], fallback_fonts()),
        epoch=args["epoch"],
        scale_label=args["scale_label"], north_label=args["north_label"])
    return {"pdf": pdf}


_RENDERERS = {"plaque": _render_plaque, "sheet": _render_sheet, "map": _render_map}


# --- the /print/ page --------------------------------------------------------------------

def print_page(config: ProjectConfig, project: Project,
               jobs: Sequence[PrintJob]) -> list[OutputFile]:
    """The /print/ pages: the guide and one light row per code with its downloads, then a page
    per code (/print/<CODE>/) with its preview, so a thousand sites stay one quick page."""
    languages = [config.language(code) for code in config.print_languages]
    texts = [Texts(language) for language in languages]
    esc = html.escape
    guide = "".join(
        f'<section lang="{lang.code}"><h2>{esc(t("print_guide_title"))}</h2><ul>'
        + "".join(f"<li>{esc(t(f'print_guide_{n}'))}</li>" for n in range(1, 7))
        + "</ul></section>" for lang, t in zip(languages, texts))
    by_code: dict[str, list[PrintJob]] = {}
    for job in jobs:
        if job.kind == "plaque":
            by_code.setdefault(str(job.args["code"]), []).append(job)
    sites = {e.code: e.site for e in project.ledger}
    by_id = {site.id: site for site in project.sites}
    draft = (f'<p class="draft">{" / ".join(esc(t("qr_draft")) for t in texts)}</p>'
             if is_placeholder_url(config.site_url) else "")
    title = " / ".join(esc(t("print_title")) for t in texts)
    rows, files = [], []
    for code, plaque_jobs in by_code.items():
        site = by_id[sites[code]]
        names = " / ".join(dict.fromkeys(_name(site, lang)[0] for lang in languages))

        def links(here: str) -> str:
            return " · ".join(f'<a href="{esc(routes.relative_url(here, j.path))}" download>'
                              f'{esc(str(j.args["paper"]))}</a>' for j in plaque_jobs)

        own = f"{PRINT}/{code}/"
        rows.append(f'<li><strong><a href="{esc(code)}/">{esc(code)}</a></strong> · '
                    f"{esc(names)} · {links(PRINT + '/')}</li>")
        preview = next(j.preview for j in plaque_jobs if j.preview)
        body = (f'<p><img src="{esc(routes.relative_url(own, preview or ""))}" '
                f'alt="{esc(names)}" width="296"></p><p><code>{esc(code)}</code> · <code>'
                f"{esc(qr.short_url(config.site_url, code))}</code></p><p>{links(own)}</p>")
        files.append(_print_html(PurePosixPath(PRINT, code, "index.html"), languages[0].code,
                                 f"{esc(code)} · {esc(names)}", draft + body,
                                 f'<a href="../">{title}</a>'))
    extras = [j for j in jobs if j.kind in ("sheet", "map")]
    extra_links = "".join(f'<li><a href="{esc(_rel(j.path))}" download>{esc(_label(j, texts))}'
                          "</a></li>" for j in extras)
    body = (f"{draft}{guide}<h2>{' / '.join(esc(t('sites')) for t in texts)}</h2>"
            f'<ul class="plaques">{"".join(rows)}</ul><h2>'
            f"{' / '.join(esc(t('print_more')) for t in texts)}</h2><ul>{extra_links}</ul>")
    files.insert(0, _print_html(PurePosixPath(PRINT, "index.html"), languages[0].code, title,
                                body, f'<a href="../">{esc(texts[0]("home"))}</a>'))
    return files


def _print_html(path: PurePosixPath, lang: str, title: str, body: str,
                back: str) -> OutputFile:
    page = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{title}</title><style>{_CSS}</style>'
            f"</head><body><h1>{title}</h1>{body}<p>{back}</p></body></html>\n")
    return OutputFile(path, page.encode())


def _rel(path: str) -> str:
    return routes.relative_url(f"{PRINT}/", path)


def _label(job: PrintJob, texts: list[Texts]) -> str:
    if job.kind == "sheet":
        return " / ".join(t("print_stickers") for t in texts)
    return f"{job.args['title']} ({job.args['paper']})"


_CSS = ("body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em;line-height:1.45}"
        ".plaques{list-style:none;padding:0}.plaques li{margin:.4em 0}img{border:1px solid #ccc}"
        ".draft{background:#fee;border:2px solid #c00;padding:.5em}")
