"""Walking tours: `content/tours/<tour-id>.yml`, an ordered list of sites with a name.

A tour that names an unknown site, or one site twice, is an error at its line; a stop without
coordinates stays in the list but is left out of the route and the distances, with a warning.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import PurePosixPath

from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.load.project import CONTENT, TOURS, site_id_problem
from generator.core.model import HeritageSite, LocalizedText, SourceRef, Tour
from generator.load.schema import Field, validate
from generator.load.sourcefile import parse_yaml, read_text, ref

TOUR_FIELDS: dict[str, Field] = {
    "name": Field("localized", "The tour's name in each language.", required=True),
    "description": Field("localized", "A sentence or two about the tour, per language."),
    "stops": Field("tags", "The site ids in walking order.", required=True,
                   example="[phan-thiet-water-tower, duc-thanh-school]"),
}


def load_tours(config: ProjectConfig, sites: Sequence[HeritageSite], report: Diagnostics,
               unreadable: frozenset[str] = frozenset()) -> tuple[Tour, ...]:
    """Every tour file, checked against the sites; sorted by id. A stop whose site folder
    could not be read is not reported: the site's own error says what is wrong."""
    folder = config.root / CONTENT / TOURS
    if not folder.is_dir():
        return ()
    known = {site.id: site for site in sites}
    tours = []
    for file in sorted(folder.glob("*.yml")):
        rel = PurePosixPath(CONTENT, TOURS, file.name)
        problem = site_id_problem(file.stem)
        if problem:
            report.error("tour", SourceRef(rel), "tour.name", hint="hint.tour-name",
                         name=file.stem, problem=problem)
            continue
        tour = _load_tour(file, rel, config, known, report, unreadable)
        if tour is not None:
            tours.append(tour)
    return tuple(tours)


def _load_tour(file, rel: PurePosixPath, config: ProjectConfig,
               known: dict[str, HeritageSite], report: Diagnostics,
               unreadable: frozenset[str]) -> Tour | None:
    text = read_text(file, rel, report)
    node = parse_yaml(text, rel, report) if text is not None else None
    if node is None:
        return None
    checked = validate(node, TOUR_FIELDS, rel, report, languages=config.lang_codes)
    if not checked.ok:
        return None
    stops_node = next(v for k, v in node.value if k.value == "stops")
    seen: set[str] = set()
    for item, stop in zip(stops_node.value, checked.values["stops"]):
        where = ref(rel, item)
        if stop in unreadable:
            pass
        elif stop not in known:
            close = difflib.get_close_matches(stop, list(known), n=1)
            report.error("tour", where, "tour.unknown", hint="hint.did-you-mean" if close
                         else "hint.site-folder", stop=stop,
                         suggestion=close[0] if close else "")
        elif stop in seen:
            report.error("tour", where, "tour.twice", hint="hint.tour-once", stop=stop)
        elif known[stop].coordinates is None:
            report.warning("no-coordinates", where, "no-coordinates.tour", hint="hint.gps",
                           stop=stop)
        seen.add(stop)
    description = checked.values.get("description")
    return Tour(file.stem, LocalizedText(checked.values["name"], checked.refs["name"]),
                LocalizedText(description, checked.refs["description"]) if description
                else None, tuple(checked.values["stops"]), SourceRef(rel, 1, 1))
