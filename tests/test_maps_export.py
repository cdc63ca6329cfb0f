"""maps.export: GeoJSON, KML, CSV and GPX checked with real parsers (json, lxml, csv, gpxpy)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import gpxpy
import pytest
from lxml import etree

from maps.export import Place, lon_lat, to_csv, to_geojson, to_gpx, to_kml

LICENCE = "https://creativecommons.org/licenses/by-sa/4.0/"
ATTRIBUTION = "Heritage volunteers of Phan Thiết"
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}
GPX_NS = {"g": "http://www.topografix.com/GPX/1/1"}
HOSTILE = 'Dục Thanh, "the school"\n<img src=x onerror=alert(1)> & more'


def phan_thiet() -> list[Place]:
    """Three real sites, deliberately not in id order."""
    return [
        Place(
            "water-tower",
            10.92912,
            108.09992,
            {"name_vi": "Tháp nước Phan Thiết", "name_en": "Phan Thiet Water Tower"},
        ),
        Place(
            "duc-thanh-school",
            10.92872,
            108.09583,
            {"name_vi": "Trường Dục Thanh", "name_en": "Duc Thanh School", "note": HOSTILE},
        ),
        Place("po-sah-inu", 10.9475123456789, 108.1581, {"name_vi": "Tháp Pô Sah Inư"}),
    ]


SCHEMAS = Path(__file__).parent / "schemas"  # official XSDs, see schemas/README.md


def xml_schema(relative: str) -> etree.XMLSchema:
    folder = SCHEMAS

    class LocalSchemas(etree.Resolver):
        # ogckml22.xsd imports xAL.xsd from its author's home folder: use the sibling file.
        def resolve(self, url, public_id, context):
            local = folder / relative.rsplit("/", 1)[0] / Path(url).name
            return self.resolve_filename(str(local), context) if local.is_file() else None

    parser = etree.XMLParser()
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.parse(str(folder / relative), parser))


# --- Place ----------------------------------------------------------------------------------


def test_place_copies_and_freezes_its_properties():
    props = {"name_vi": "Lầu Ông Hoàng"}
    place = Place("lau-ong-hoang", 10.95, 108.19, props)
    props["name_vi"] = "changed"
    assert place.properties["name_vi"] == "Lầu Ông Hoàng"
    with pytest.raises(TypeError):
        place.properties["name_vi"] = "x"  # type: ignore[index]
    assert place.position.lat == 10.95


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("", 10.0, 108.0, {}), ValueError),
        (("a", 91.0, 108.0, {}), ValueError),
        (("a", 10.0, 181.0, {}), ValueError),
        (("a", 10.0, 108.0, {"lat": "1"}), ValueError),
        (("a", 10.0, 108.0, {"name": 1}), TypeError),
    ],
)
def test_place_rejects_bad_values(args, error):
    with pytest.raises(error):
        Place(*args)


# --- GeoJSON --------------------------------------------------------------------------------


def test_regression_geojson_lon_lat_order():
    """RFC 7946 positions are [longitude, latitude]: the classic swapped-axes bug."""
    data = json.loads(to_geojson(phan_thiet(), licence=LICENCE, attribution=ATTRIBUTION))
    tower = next(f for f in data["features"] if f["id"] == "water-tower")
    assert tower["geometry"]["coordinates"] == [108.09992, 10.92912]
    assert lon_lat(phan_thiet()[0]) == (108.09992, 10.92912)


def test_geojson_is_a_sorted_feature_collection_with_licence():
    text = to_geojson(phan_thiet(), licence=LICENCE, attribution=ATTRIBUTION)
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert data["license"] == LICENCE
    assert data["attribution"] == ATTRIBUTION
    assert [f["id"] for f in data["features"]] == ["duc-thanh-school", "po-sah-inu", "water-tower"]
    school = data["features"][0]
    assert school["type"] == "Feature"
    assert school["geometry"]["type"] == "Point"
    assert school["properties"]["note"] == HOSTILE
    assert "Trường Dục Thanh" in text  # UTF-8, not \u escapes
    assert text.endswith("}\n")


def test_geojson_keys_are_sorted_and_coordinates_rounded():
    text = to_geojson(phan_thiet(), licence=LICENCE, attribution=ATTRIBUTION)

    def keys_sorted(pairs):
        keys = [key for key, _ in pairs]
        assert keys == sorted(keys)
        return dict(pairs)

    data = json.loads(text, object_pairs_hook=keys_sorted)
    po_sah = data["features"][1]
    assert po_sah["geometry"]["coordinates"] == [108.1581, 10.947512]


def test_geojson_is_deterministic_and_independent_of_input_order():
    first = to_geojson(phan_thiet(), licence=LICENCE, attribution=ATTRIBUTION)
    again = to_geojson(reversed(phan_thiet()), licence=LICENCE, attribution=ATTRIBUTION)
    assert first == again


def test_geojson_of_nothing_is_an_empty_collection():
    data = json.loads(to_geojson([], licence=LICENCE, attribution=ATTRIBUTION))
    assert data["features"] == []


@pytest.mark.parametrize("export", ["geojson", "kml", "csv"])
def test_duplicate_ids_are_refused(export):
    places = [*phan_thiet(), Place("water-tower", 0, 0, {"name_vi": "x"})]
    with pytest.raises(ValueError, match="water-tower"):
        if export == "geojson":
            to_geojson(places, licence=LICENCE, attribution=ATTRIBUTION)
        elif export == "kml":
            kml(places)
        else:
            to_csv(places, columns=["id"])


def test_negative_zero_is_written_as_zero():
    data = json.loads(to_geojson([Place("x", -0.0000001, -0.0, {})], licence="", attribution=""))
    assert json.dumps(data["features"][0]["geometry"]["coordinates"]) == "[0.0, 0.0]"


# --- KML ------------------------------------------------------------------------------------


def kml(places) -> str:
    return to_kml(
        places,
        name_key="name_vi",
        description_key="note",
        document_name="Di tích Phan Thiết",
        licence=LICENCE,
        attribution=ATTRIBUTION,
    )


def test_kml_parses_with_lon_lat_coordinates_and_escaped_text():
    root = etree.fromstring(kml(phan_thiet()).encode())
    assert root.tag == "{http://www.opengis.net/kml/2.2}kml"
    assert root.findtext("k:Document/k:name", namespaces=KML_NS) == "Di tích Phan Thiết"
    marks = root.findall("k:Document/k:Placemark", namespaces=KML_NS)
    assert [m.findtext("k:name", namespaces=KML_NS) for m in marks] == [
        "Trường Dục Thanh",
        "Tháp Pô Sah Inư",
        "Tháp nước Phan Thiết",
    ]
    assert marks[2].findtext("k:Point/k:coordinates", namespaces=KML_NS) == "108.09992,10.92912"
    # <description> is HTML in KML viewers: the markup arrives escaped, shown as text.
    description = marks[0].findtext("k:description", namespaces=KML_NS)
    assert description.startswith('Dục Thanh, "the school"\n&lt;img src=x')
    assert marks[1].find("k:description", namespaces=KML_NS) is None
    data = {
        d.get("name"): d.findtext("k:value", namespaces=KML_NS)
        for d in marks[0].findall("k:ExtendedData/k:Data", namespaces=KML_NS)
    }
    assert data["id"] == "duc-thanh-school"
    assert data["note"] == HOSTILE
    terms = root.findall("k:Document/k:ExtendedData/k:Data", namespaces=KML_NS)
    assert {d.get("name"): d.findtext("k:value", namespaces=KML_NS) for d in terms} == {
        "license": LICENCE,
        "attribution": ATTRIBUTION,
    }


def test_kml_validates_against_the_ogc_schema():
    schema = xml_schema("kml_2_2/ogckml22.xsd")
    document = etree.fromstring(kml(phan_thiet()).encode())
    assert schema.validate(document), schema.error_log


def test_kml_is_deterministic():
    assert kml(phan_thiet()) == kml(list(reversed(phan_thiet())))


def test_kml_needs_the_name_property():
    with pytest.raises(ValueError, match=r"po-sah-inu.*name_en"):
        to_kml(
            phan_thiet(),
            name_key="name_en",
            description_key=None,
            document_name="x",
            licence=LICENCE,
            attribution=ATTRIBUTION,
        )


def test_xml_refuses_control_characters():
    place = Place("bad", 10.0, 108.0, {"name_vi": "bell\x07"})
    with pytest.raises(ValueError, match=r"bad.*U\+0007"):
        kml([place])
    with pytest.raises(ValueError, match=r"U\+0007"):
        tour([place], route=False)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_round_trips_commas_quotes_and_newlines():
    text = to_csv(phan_thiet(), columns=["id", "lat", "lon", "name_vi", "note"])
    assert text.startswith("\ufeffid,lat,lon,name_vi,note\n")
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert [row["id"] for row in rows] == ["duc-thanh-school", "po-sah-inu", "water-tower"]
    assert rows[0]["note"] == HOSTILE
    assert rows[1] == {
        "id": "po-sah-inu",
        "lat": "10.947512",
        "lon": "108.1581",
        "name_vi": "Tháp Pô Sah Inư",
        "note": "",
    }


def test_csv_bom_can_be_left_out():
    text = to_csv(phan_thiet(), columns=["id"], excel_bom=False)
    assert text == "id\nduc-thanh-school\npo-sah-inu\nwater-tower\n"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@A1", "'@A1"),
        ("ok", "ok"),
    ],
)
def test_csv_defuses_spreadsheet_formulas(value, cell):
    text = to_csv([Place("x", -1.5, 2.0, {"name": value})], columns=["lat", "name"])
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[1] == ["-1.5", cell]  # coordinates stay numbers


@pytest.mark.parametrize("columns", [[], ["id", "id"], ["nmae_vi"], "id"])
def test_csv_refuses_bad_columns(columns):
    with pytest.raises(ValueError):
        to_csv(phan_thiet(), columns=columns)


def test_csv_is_deterministic():
    columns = ["id", "name_en", "lon", "lat"]
    assert to_csv(phan_thiet(), columns=columns) == to_csv(reversed(phan_thiet()), columns=columns)


# --- GPX ------------------------------------------------------------------------------------


def tour(places, *, route: bool = True) -> str:
    return to_gpx(
        "Phan Thiết heritage walk",
        places,
        route=route,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        creator="heritage-site generator",
        name_key="name_vi",
        link_key="url",
    )


def tour_places() -> list[Place]:
    tower, school, po_sah = phan_thiet()
    linked = Place(
        tower.id, tower.lat, tower.lon, {**tower.properties, "url": "https://disan.example.vn/vi/"}
    )
    return [linked, school, po_sah]


def test_gpx_parses_with_gpxpy_in_tour_order():
    gpx = gpxpy.parse(tour(tour_places()))
    assert gpx.version == "1.1"
    assert gpx.creator == "heritage-site generator"
    assert gpx.name == "Phan Thiết heritage walk"
    assert gpx.copyright_author == ATTRIBUTION
    assert gpx.copyright_license == LICENCE
    assert [w.name for w in gpx.waypoints] == [
        "Tháp nước Phan Thiết",
        "Trường Dục Thanh",
        "Tháp Pô Sah Inư",
    ]
    assert (gpx.waypoints[0].latitude, gpx.waypoints[0].longitude) == (10.92912, 108.09992)
    assert gpx.waypoints[0].link == "https://disan.example.vn/vi/"
    assert len(gpx.routes) == 1
    points = gpx.routes[0].points
    assert [(p.latitude, p.longitude) for p in points] == [
        (10.92912, 108.09992),
        (10.92872, 108.09583),
        (10.947512, 108.1581),
    ]
    assert all(p.time is None for p in [*gpx.waypoints, *points])


def test_gpx_without_route_has_only_waypoints():
    gpx = gpxpy.parse(tour(tour_places(), route=False))
    assert len(gpx.waypoints) == 3
    assert gpx.routes == []


def test_gpx_validates_against_the_gpx_1_1_schema():
    schema = xml_schema("gpx_1_1/gpx.xsd")
    for route in (True, False):
        document = etree.fromstring(tour(tour_places(), route=route).encode())
        assert schema.validate(document), schema.error_log


def test_gpx_metadata_and_no_timestamps():
    text = tour(tour_places())
    root = etree.fromstring(text.encode())
    bounds = root.find("g:metadata/g:bounds", namespaces=GPX_NS)
    assert dict(bounds.attrib) == {
        "minlat": "10.92872",
        "minlon": "108.09583",
        "maxlat": "10.947512",
        "maxlon": "108.1581",
    }
    assert "<time" not in text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<gpx ')


def test_gpx_writes_longitude_180_as_minus_180():
    """GPX longitudes are [-180, 180); the same meridian must still validate."""
    text = tour([Place("date-line", 0.0, 180.0, {"name_vi": "x"})])
    assert 'lon="-180.0"' in text


def test_gpx_is_deterministic():
    assert tour(tour_places()) == tour(tour_places())
