"""The editors' field reference is generated from the schema and covers every field."""

from __future__ import annotations

from generator.config import HERITAGE_FIELDS
from generator.diagnostics import CODES
from generator.fieldref import field_reference
from generator.schema import NARRATIVE_FIELDS, PAGE_FIELDS, SITE_FIELDS


def all_paths(fields, prefix=""):
    for name, field in fields.items():
        yield prefix + name
        if field.fields:
            yield from all_paths(field.fields, prefix + name + ("[]." if field.kind == "list"
                                                                else "."))


def test_every_field_and_code_is_documented():
    text = field_reference()
    for fields in (SITE_FIELDS, NARRATIVE_FIELDS, PAGE_FIELDS, HERITAGE_FIELDS):
        for path in all_paths(fields):
            assert f"| `{path}` |" in text, path
    for code in CODES:
        assert f"| `{code}` |" in text, code


def test_every_field_has_a_description():
    for fields in (SITE_FIELDS, NARRATIVE_FIELDS, PAGE_FIELDS, HERITAGE_FIELDS):
        for path in all_paths(fields):
            parts = path.replace("[]", "").split(".")
            field = fields[parts[0]]
            for part in parts[1:]:
                field = field.fields[part]
            assert field.doc.strip(), path


def test_reference_is_published_in_every_language(demo_site):
    for lang in ("vi", "en", "ru"):
        html = (demo_site / lang / "editors/fields/index.html").read_text("utf-8")
        assert "coordinates.accuracy_m" in html and 'id="codes"' in html
