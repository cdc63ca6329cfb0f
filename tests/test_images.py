"""Photos: checked before decoding, published upright in several widths, WebP and JPEG, with no
metadata but an allowed GPS position, byte-identical on every build and cached by content.

Every image is made here with Pillow; nothing comes from the internet.
"""

from __future__ import annotations

import hashlib
import io
import struct
import subprocess
import sys
import tempfile
import warnings
import zlib
import posixpath
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile

from conftest import LEDGER, REPO, SITE_YML, build_project, coded_site
from generator.assets import photos as images
from generator.core.diagnostics import Diagnostics
from generator.assets.photos import (
    ImageCache, ImageError, PhotoJob, check_alt, check_image, check_names, load_all,
    load_variants, picture_html, plan_for, plan_variants, render_variants,
)
from generator.core.model import Language, LocalizedText, Media, SourceRef

# --- making photos ------------------------------------------------------------------------------

BLUE, RED = (40, 90, 160), (220, 30, 30)
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (10.0, 55.0, 44.8),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (108.0, 5.0, 59.7)}
WHERE = SourceRef(PurePosixPath("sites/x/site.yml"), 20, 5)


def photo(width: int, height: int, *, fmt: str = "JPEG", orientation: int | None = None,
          gps: bool = False, mode: str = "RGB", **save: object) -> bytes:
    """A blue picture with a red block in its stored top-left corner, to see where it lands."""
    image = Image.new(mode, (width, height), BLUE if mode != "RGBA" else (*BLUE, 255))
    image.paste(RED if mode != "RGBA" else (*RED, 255), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.DateTime] = "2026:11:27 09:30:00"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes(), **save)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A 100-byte PNG whose header declares `width` × `height` pixels (and holds none)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def near(pixel, colour, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def by_path(files):
    return {str(file.path): file.content for file in files}


def render(data: bytes, **overrides):
    args = {"site_id": "x", "stem": "front", "keep_location": False, "epoch": 0, **overrides}
    return render_variants(data, **args)


# --- variants -----------------------------------------------------------------------------------

def test_rotated_phone_photo_is_upright_in_every_width_and_format_without_metadata():
    # 2000 × 1500 as stored, Orientation 6 ("turn 90° clockwise"): upright it is 1500 × 2000,
    # so the widest variant is 1500 (the photo's own width), not 1600.
    data = photo(2000, 1500, orientation=6, gps=True, comment=b"secret note",
                 xmp=b"<x:xmpmeta><rdf:Description>secret</rdf:Description></x:xmpmeta>")
    plan, files = render(data, original="front.jpg", source=PurePosixPath("media/front.jpg"))
    assert (plan.width, plan.height) == (1500, 2000)
    assert [(v.width, v.height, v.format) for v in plan.variants] == [
        (480, 640, "webp"), (480, 640, "jpeg"), (960, 1280, "webp"), (960, 1280, "jpeg"),
        (1500, 2000, "webp"), (1500, 2000, "jpeg")]
    assert sorted(by_path(files)) == sorted(
        [f"media/x/front-{w}.{ext}" for w in (480, 960, 1500) for ext in ("webp", "jpg")] +
        ["media/x/front.jpg"])
    for file in files:
        image = opened(file.content)
        expected = next((v for v in plan.variants if v.path == file.path), None)
        assert image.format == {"webp": "WEBP", "jpeg": "JPEG", None: "JPEG"}[
            expected.format if expected else None]
        assert image.size == ((expected.width, expected.height) if expected else (1500, 2000))
        # the stored top-left corner is now at the top right
        w, h = image.size
        assert near(image.convert("RGB").getpixel((w - 5, 5)), RED), file.path
        assert near(image.convert("RGB").getpixel((5, 5)), BLUE), file.path
        assert dict(image.getexif()) == {}, file.path  # no GPS, orientation, maker, date
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info), file.path
        assert b"secret" not in file.content and b"PhoneMaker" not in file.content


def test_a_jpeg_shrunk_while_decoding_looks_like_a_fair_resample_of_the_whole_photo():
    # The narrow widths of a JPEG are decoded at 1/2-1/8 scale, then resampled: on a photo full
    # of fine detail they must match Lanczos from every pixel, JPEG's own loss included (mean
    # difference 0.39 and 0.31 of 255; resampling by nearest neighbour gives 0.73 and 0.54,
    # decoding at a third of the size needed 1.07 and 0.63).
    from PIL import ImageChops, ImageStat

    detail = Image.effect_mandelbrot((2000, 1500), (-0.75, 0.05, -0.7, 0.1), 100)
    buffer = io.BytesIO()
    detail.convert("RGB").save(buffer, "JPEG", quality=92)
    plan, files = render(buffer.getvalue())
    whole = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    for variant in plan.variants:
        if variant.format == "jpeg" and variant.width <= 960:
            fair = whole.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
            made = opened(by_path(files)[str(variant.path)]).convert("RGB")
            assert made.size == fair.size
            assert ImageStat.Stat(ImageChops.difference(made, fair).convert("L")).mean[0] < 0.45


def test_landscape_photo_gets_480_960_and_1600():
    plan, files = render(photo(2000, 1500))
    assert [(v.width, v.height) for v in plan.variants if v.format == "jpeg"] == [
        (480, 360), (960, 720), (1600, 1200)]
    assert {opened(f.content).size for f in files} == {(480, 360), (960, 720), (1600, 1200)}
    assert plan.original is None and len(files) == 6


def test_gps_is_kept_only_when_allowed_and_nothing_else_is():
    data = photo(1200, 900, orientation=6, gps=True)
    _, files = render(data, keep_location=True, original="front.jpg")
    for file in files:
        exif = opened(file.content).getexif()
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert gps[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert tuple(float(x) for x in gps[ExifTags.GPS.GPSLongitude]) == (108.0, 5.0, 59.7)
        assert set(exif) == {ExifTags.IFD.GPSInfo}, file.path  # no orientation, maker, date
    _, stripped = render(data, keep_location=False)
    assert all(opened(f.content).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
               for f in stripped)


@pytest.mark.parametrize("width, widths", [(600, (480, 600)), (300, (300,)),
                                           (960, (480, 960)), (1600, (480, 960, 1600)),
                                           (5000, (480, 960, 1600))])
def test_never_upscaled(width, widths):
    plan, files = render(photo(width, 200))
    assert tuple(v.width for v in plan.variants if v.format == "webp") == widths
    assert max(opened(f.content).width for f in files) == min(width, 1600)


def test_same_photo_gives_the_same_bytes_in_this_and_another_process():
    data = photo(1700, 1100, orientation=3, gps=True)
    first = by_path(render(data, original="front.jpg")[1])
    again = by_path(render(data, original="front.jpg", epoch=1_900_000_000)[1])
    assert first == again
    script = ("import sys; from generator.assets.photos import render_variants as r; "
              "import hashlib; d = sys.stdin.buffer.read(); "
              "fs = r(d, site_id='x', stem='front', keep_location=False, epoch=0, "
              "original='front.jpg')[1]; "
              "print('\\n'.join(f'{f.path} {hashlib.sha256(f.content).hexdigest()}' "
              "for f in fs))")
    other = subprocess.run([sys.executable, "-c", script], input=data, cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\n")
    assert dict(line.split() for line in other if line) == {
        path: hashlib.sha256(content).hexdigest() for path, content in first.items()}


def test_plan_matches_what_is_encoded_so_pages_can_render_first():
    data = photo(2000, 1500, orientation=8)
    size, _ = checked(data)
    assert size == (1500, 2000)
    planned = plan_for("x", PurePosixPath("media/front.jpg"), size)
    encoded, _ = render(data, source=PurePosixPath("media/front.jpg"), original="front.jpg")
    assert planned == encoded
    assert planned.original == PurePosixPath("media/x/front.jpg")


def test_transparent_png_keeps_alpha_in_webp_and_is_laid_on_white_in_jpeg():
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    image.paste((*RED, 255), (0, 0, 400, 600))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    plan, files = render(buffer.getvalue(), original="plan.png")
    contents = by_path(files)
    webp = opened(contents["media/x/front-480.webp"])
    jpeg = opened(contents["media/x/front-480.jpg"])
    assert webp.mode == "RGBA" and webp.getpixel((470, 10))[3] == 0
    assert jpeg.mode == "RGB" and near(jpeg.getpixel((470, 10)), (255, 255, 255))
    assert near(jpeg.getpixel((10, 10)), RED)
    assert opened(contents["media/x/plan.png"]).format == "PNG"


def test_colour_profile_is_applied_then_dropped_and_palette_images_work():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _, files = render(photo(700, 500, icc_profile=srgb))
    assert all("icc_profile" not in opened(f.content).info for f in files)
    palette = Image.new("P", (700, 500))
    palette.putpalette([*RED, *BLUE] + [0] * 762)
    buffer = io.BytesIO()
    palette.save(buffer, "PNG")
    _, files = render(buffer.getvalue())
    assert near(opened(by_path(files)["media/x/front-480.jpg"]).getpixel((5, 5)), RED)


def test_phone_jpeg_with_a_second_picture_is_a_jpeg():
    main, extra = Image.new("RGB", (900, 600), BLUE), Image.new("RGB", (90, 60), RED)
    buffer = io.BytesIO()
    main.save(buffer, "MPO", save_all=True, append_images=[extra])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    plan, files = render(buffer.getvalue(), original="front.jpg")
    assert opened(by_path(files)["media/x/front.jpg"]).format == "JPEG"
    assert plan.width == 900


# --- the cache ----------------------------------------------------------------------------------

def test_cache_returns_the_same_bytes_without_encoding_again(tmp_path, monkeypatch):
    data = photo(2000, 1500, orientation=6, gps=True)
    args = {"site_id": "x", "stem": "front", "keep_location": False,
            "source": PurePosixPath("media/front.jpg"), "original": "front.jpg"}
    first = ImageCache(tmp_path / "cache")
    plan, files = first.render(data, **args)
    assert (first.encoded, first.reused) == (1, 0)
    assert by_path(files) == by_path(render_variants(data, **args)[1])

    def no_encoding(*_, **__):
        raise AssertionError("encoded again")

    monkeypatch.setattr(images, "render_variants", no_encoding)
    second = ImageCache(tmp_path / "cache")  # the next build
    plan2, files2 = second.render(data, **args)
    assert (second.encoded, second.reused) == (0, 1)
    assert plan2 == plan and by_path(files2) == by_path(files)
    # the same photo in another site and under another name is the same entry
    other, moved = second.render(data, **{**args, "site_id": "y", "stem": "gate",
                                          "original": "gate.jpg"})
    assert second.reused == 2 and str(other.variants[0].path) == "media/y/gate-480.webp"
    assert [f.content for f in moved] == [f.content for f in files]
    with pytest.raises(AssertionError, match="encoded again"):  # other settings: a new entry
        second.render(data, **{**args, "keep_location": True})


def test_damaged_cache_entry_is_encoded_again_and_unused_entries_pruned(tmp_path):
    cache = ImageCache(tmp_path / "cache")
    data, old = photo(900, 600), photo(600, 400)
    cache.render(data, site_id="x", stem="a", keep_location=False)
    cache.render(old, site_id="x", stem="b", keep_location=False)
    key = cache.key(hashlib.sha256(data).digest(), keep_location=False, original=False)
    entry = tmp_path / "cache" / key
    (entry / "480.jpg").write_bytes(b"garbage")
    again = ImageCache(tmp_path / "cache")
    _, files = again.render(data, site_id="x", stem="a", keep_location=False)
    assert again.encoded == 1
    assert by_path(files) == by_path(render(data, stem="a")[1])
    assert again.prune() == 1  # the entry of `old`, which this build did not use
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [entry.name]


# --- checking before decoding -------------------------------------------------------------------

def checked(data: bytes, name: str = "front.jpg", **limits
            ) -> tuple[tuple[int, int] | None, Diagnostics]:
    """check_image on `data` saved as sites/x/media/<name>: (upright size, report)."""
    report = Diagnostics()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(data)
        size = check_image(Path(folder) / name, PurePosixPath("sites/x/media", name), WHERE,
                           report, **limits)
    return size, report


def only_error(report: Diagnostics, code: str):
    assert len(report.items) == 1, report.to_text()
    problem = report.items[0]
    assert (problem.code, problem.severity.value, problem.where) == (code, "error", WHERE)
    assert problem.hint
    return problem


def test_good_photo_passes_and_reports_its_upright_size():
    for data, name, size in [(photo(2000, 1500, orientation=6), "a.jpg", (1500, 2000)),
                             (photo(640, 480, fmt="PNG"), "a.png", (640, 480)),
                             (photo(640, 480, fmt="WEBP"), "a.webp", (640, 480))]:
        assert checked(data, name) == (size, Diagnostics())


@pytest.mark.parametrize("fmt, name", [("JPEG", "front.jpg"), ("PNG", "front.png"),
                                       ("WEBP", "front.webp")])
def test_truncated_photo_is_one_clear_error(fmt, name):
    data = photo(1200, 900, fmt=fmt)
    size, report = checked(data[: len(data) // 2], name)
    problem = only_error(report, "bad-image")
    assert size is None
    assert problem.message.startswith(f"'sites/x/media/{name}' is damaged or cut short")
    assert "copy the photo again" in problem.hint
    with pytest.raises(ImageError):
        render(data[: len(data) // 2])


def test_corrupt_png_data_is_found():
    data = bytearray(photo(400, 300, fmt="PNG"))
    data[data.index(b"IDAT") + 20] ^= 0xFF
    size, report = checked(bytes(data), "front.png")
    assert size is None and only_error(report, "bad-image")


def test_text_file_named_jpg_is_not_an_image():
    size, report = checked("Ảnh tháp nước\n".encode(), "front.jpg")
    problem = only_error(report, "bad-image")
    assert size is None
    assert problem.message == ("'sites/x/media/front.jpg' is not an image: its content is "
                               "not JPEG, PNG or WebP data")
    assert "export it as JPEG" in problem.hint
    assert problem.text.render("vi").startswith("'sites/x/media/front.jpg' không phải là ảnh")


@pytest.mark.parametrize("head, kind", [
    (b"GIF89a" + b"\0" * 40, "GIF"), (b"II*\0" + b"\0" * 40, "TIFF"),
    (b"\0\0\0\x18ftypheic" + b"\0" * 40, "HEIC"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
    (b"%PDF-1.7\n" + b"\0" * 40, "PDF")])
def test_other_image_types_are_named_and_never_parsed(head, kind):
    size, report = checked(head)
    assert size is None and f"is a {kind} file" in only_error(report, "bad-image").message


def test_empty_file():
    size, report = checked(b"")
    assert only_error(report, "bad-image").message == (
        "'sites/x/media/front.jpg' is empty (0 bytes)")


def test_declared_huge_png_is_refused_without_decoding(monkeypatch):
    def no_decoding(self, *_, **__):
        raise AssertionError("pixels decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(Image.Image, "load", no_decoding)
    # 400 megapixels: beyond Pillow's own bomb limit, reported as ours, no warning escapes
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        size, report = checked(png_claiming(20000, 20000), "big.png", max_pixels=40_000_000)
    assert size is None
    assert only_error(report, "image-too-large").message == (
        "'sites/x/media/big.png' has 400.0 megapixels, over the limit of 40 megapixels "
        "(extra.heritage.images.max_pixels)")
    # 81 megapixels: under Pillow's limit, over the project's
    size, report = checked(png_claiming(9000, 9000), "big.png", max_pixels=40_000_000)
    assert "81.0 megapixels" in only_error(report, "image-too-large").message
    with pytest.raises(ImageError, match="image-too-large"):
        render(png_claiming(9000, 9000), max_pixels=40_000_000)


def test_pixel_and_byte_limits_are_configurable():
    data = photo(2000, 1500)
    _, report = checked(data, max_pixels=1_000_000)
    assert "3.0 megapixels, over the limit of 1 megapixels" in only_error(
        report, "image-too-large").message
    _, report = checked(data, max_bytes=1000)
    assert "over the limit of 0.001 MB" in only_error(report, "image-too-large").message


def test_truncated_images_are_never_accepted_even_if_pillow_is_relaxed(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = photo(800, 600)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        render(data[: len(data) // 2])


# --- the build's entry point --------------------------------------------------------------------

def test_load_all_reports_bad_photos_in_order_and_keeps_good_ones(tmp_path):
    site = tmp_path / "sites" / "x"
    (site / "media").mkdir(parents=True)
    (site / "media" / "front.jpg").write_bytes(photo(1000, 800, gps=True))
    (site / "media" / "broken.jpg").write_bytes(photo(1000, 800)[:3000])
    (site / "media" / "notes.jpg").write_text("not a photo")
    where = [SourceRef(PurePosixPath("sites/x/site.yml"), line, 5) for line in (10, 16, 22)]
    jobs = [PhotoJob(site, "x", PurePosixPath("media", name), w)
            for name, w in zip(("front.jpg", "broken.jpg", "notes.jpg"), where)]
    report = Diagnostics()
    results = load_all(jobs, report, cache=ImageCache(tmp_path / "cache"), workers=3)
    assert results[1:] == [None, None]
    plan, files = results[0]
    assert plan.source == PurePosixPath("media/front.jpg")
    assert {f.origin for f in files} == {where[0]}
    assert "media/x/front.jpg" in by_path(files)  # the cleaned original at its old address
    assert [(d.code, d.where.line, d.message.split("'")[1]) for d in report.items] == [
        ("bad-image", 16, "sites/x/media/broken.jpg"),
        ("bad-image", 22, "sites/x/media/notes.jpg")]
    single = Diagnostics()
    assert by_path(load_variants(jobs[0], single)[1]) == by_path(files)
    assert single.items == []


def test_load_all_reads_kept_photos_and_encodes_the_new_ones_in_order(tmp_path):
    site = tmp_path / "sites" / "x"
    (site / "media").mkdir(parents=True)
    names = ("a.jpg", "b.jpg", "c.jpg")
    for number, name in enumerate(names):
        (site / "media" / name).write_bytes(photo(600 + 100 * number, 400))
    where = SourceRef(PurePosixPath("sites/x/site.yml"), 1, 1)
    jobs = [PhotoJob(site, "x", PurePosixPath("media", name), where) for name in names]
    first = ImageCache(tmp_path / "cache")
    load_all([jobs[0], jobs[2]], Diagnostics(), cache=first)
    again = ImageCache(tmp_path / "cache")
    results = load_all(jobs, Diagnostics(), cache=again, workers=2)
    assert (again.reused, again.encoded) == (2, 1)  # only b.jpg is new
    assert [result[0].width for result in results] == [600, 700, 800]
    assert [by_path(result[1]) for result in results] == [
        by_path(load_variants(job, Diagnostics())[1]) for job in jobs]


# --- markup -------------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> dict[str, dict[str, str | None]]:
    parser = _Tags()
    parser.feed(html)
    return {tag: attrs for tag, attrs in parser.tags}


def test_picture_html_lists_every_width_with_relative_urls_and_escapes_text():
    plan = plan_variants(site_id="x", stem="front", width=2000, height=1500)
    html = picture_html(plan, page_path="/en/sites/x/", alt='"<script>" & co',
                        caption_html="The tower &amp; the river", credit_html="Nguyễn Văn A",
                        lang_attr=None)
    assert "<script>" not in html
    assert 'alt="&quot;&lt;script&gt;&quot; &amp; co"' in html
    tags = tags_of(html)
    assert list(tags) == ["figure", "picture", "source", "img", "figcaption", "small"]
    assert tags["source"] == {
        "type": "image/webp", "sizes": "(max-width: 60em) 100vw, 60em",
        "srcset": "../../../media/x/front-480.webp 480w, ../../../media/x/front-960.webp 960w, "
                  "../../../media/x/front-1600.webp 1600w"}
    assert tags["img"] == {
        "src": "../../../media/x/front-960.jpg",
        "srcset": "../../../media/x/front-480.jpg 480w, ../../../media/x/front-960.jpg 960w, "
                  "../../../media/x/front-1600.jpg 1600w",
        "sizes": "(max-width: 60em) 100vw, 60em", "width": "960", "height": "720",
        "alt": '"<script>" & co', "loading": "lazy", "decoding": "async"}
    assert html.endswith("<figcaption>The tower &amp; the river <small>© Nguyễn Văn A</small>"
                         "</figcaption></figure>")
    assert html == picture_html(plan, page_path="en/sites/x/", alt='"<script>" & co',
                                caption_html="The tower &amp; the river",
                                credit_html="Nguyễn Văn A", lang_attr=None)


def test_picture_html_quotes_names_marks_fallback_alt_and_links_resolve():
    plan = plan_variants(site_id="x", stem="cổng chính, 1930", width=600, height=400)
    html = picture_html(plan, page_path="ru/sites/x/", alt="Cổng chính", caption_html="",
                        credit_html="", lang_attr="vi")
    img = tags_of(html)["img"]
    assert img["lang"] == "vi" and "figcaption" not in html
    assert img["src"] == "../../../media/x/c%E1%BB%95ng%20ch%C3%ADnh%2C%201930-600.jpg"
    assert [entry.rsplit(" ", 1)[1] for entry in img["srcset"].split(", ")] == ["480w", "600w"]
    # every URL in the markup names a file the build writes, from the page's folder
    page = PurePosixPath("ru/sites/x")
    written = {str(v.path) for v in plan.variants}
    urls = [img["src"]] + [e.rsplit(" ", 1)[0] for e in img["srcset"].split(", ")] + [
        e.rsplit(" ", 1)[0] for e in tags_of(html)["source"]["srcset"].split(", ")]
    assert {posixpath.normpath(str(page / unquote(u))) for u in urls} == written


# --- editors' rules -----------------------------------------------------------------------------

LANGUAGES = (Language("vi", "Tiếng Việt", ()), Language("en", "English", ("vi",)),
             Language("ru", "Русский", ("en", "vi")))


def media(alt: dict[str, str], file: str = "media/front.jpg") -> Media:
    return Media(PurePosixPath(file), LocalizedText(alt, WHERE), None, "A", "CC BY-SA 4.0",
                 None)


def test_alt_text_is_required_in_the_source_language():
    report = Diagnostics()
    check_alt(media({"en": "The tower"}), LANGUAGES, report)
    assert [d.line() for d in report.items] == [
        "sites/x/site.yml:20:5: error[missing-alt]: the photo 'media/front.jpg' has no alt "
        "text in Tiếng Việt (vi), the site's first language"]
    assert "under alt:, write one sentence in vi" in report.items[0].hint


def test_alt_text_missing_in_other_languages_is_one_warning():
    report = Diagnostics()
    check_alt(media({"vi": "Tháp nước", "en": ""}), LANGUAGES, report)
    assert [(d.severity.value, d.code, d.message) for d in report.items] == [
        ("warning", "missing-translation", "the photo 'media/front.jpg' has no alt text in "
         "en, ru; those pages show it in another language")]
    clean = Diagnostics()
    check_alt(media({"vi": "Tháp nước", "en": "Water tower", "ru": "Башня"}), LANGUAGES, clean)
    assert clean.items == []


def test_two_photos_may_not_publish_the_same_file():
    report = Diagnostics()
    check_names("x", [(PurePosixPath("media/front.jpg"), (2000, 1500), WHERE),
                      (PurePosixPath("media/Front.png"), (800, 600), WHERE),
                      (PurePosixPath("media/tower.jpg"), (2000, 1500), WHERE),
                      (PurePosixPath("media/tower-2.jpg"), (2000, 1500), WHERE),
                      (PurePosixPath("media/tower-960.jpg"), (700, 500), WHERE)], report)
    assert [d.message for d in report.items] == [
        "the photos 'media/front.jpg' and 'media/Front.png' would both publish "
        "media/x/Front-480.webp",
        "the photos 'media/tower.jpg' and 'media/tower-960.jpg' would both publish "
        "media/x/tower-960.jpg"]


# --- the whole build (runs once the proposed wiring is in generator/) -------------------------


MEDIA_YML = """\
media:
  - file: media/front.jpg
    alt:
      vi: "Tháp nước nhìn từ bờ sông"
      en: "The water tower seen from the river"
    caption:
      vi: "Tháp nước, 2026"
    credit: "Nguyễn Văn A"
    licence: "CC BY-SA 4.0"
"""


def test_site_build_publishes_responsive_photos_without_location(make_project):
    root = make_project({**coded_site(**{"site.yml": 'code: "2A"\n' + SITE_YML + MEDIA_YML}),
                         "sites/water-tower/media/front.jpg": photo(2000, 1500, gps=True),
                         "sites/issued-codes.yml": LEDGER})
    result = build_project(root)
    assert result.published, result.report.to_text()
    assert [(d.code, d.message) for d in result.report.warnings
            if d.code == "missing-translation"] == [
        ("missing-translation", "the photo 'media/front.jpg' has no alt text in ru; those "
         "pages show it in another language")]
    media = root / "public" / "media" / "water-tower"
    assert sorted(p.name for p in media.iterdir()) == sorted(
        [f"front-{w}.{e}" for w in (480, 960, 1600) for e in ("webp", "jpg")] + ["front.jpg"])
    for file in media.iterdir():
        assert opened(file.read_bytes()).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    page = (root / "public" / "ru" / "sites" / "water-tower" / "index.html").read_text("utf-8")
    img = tags_of(page[page.index("<picture>"):])["img"]
    assert img["src"] == "../../../media/water-tower/front-960.jpg"
    assert img["alt"] == "The water tower seen from the river" and img["lang"] == "en"
    cache = root / ".cache" / "images"
    assert len(list(cache.iterdir())) == 1
    before = {p.name: p.stat().st_mtime_ns for p in cache.rglob("*")}
    assert build_project(root).published
    assert {p.name: p.stat().st_mtime_ns for p in cache.rglob("*")} == before  # not re-encoded


def test_site_build_refuses_a_broken_photo_and_missing_alt(make_project):
    yml = 'code: "2A"\n' + SITE_YML + MEDIA_YML.replace(
        '      vi: "Tháp nước nhìn từ bờ sông"\n', "")
    data = photo(2000, 1500)
    root = make_project({**coded_site(**{"site.yml": yml}),
                         "sites/water-tower/media/front.jpg": data[: len(data) // 2],
                         "sites/issued-codes.yml": LEDGER})
    result = build_project(root)
    assert not result.published and not (root / "public").exists()
    assert sorted(d.code for d in result.report.errors) == ["bad-image"]
    (root / "sites/water-tower/media/front.jpg").write_bytes(data)
    result = build_project(root)
    assert not result.published
    assert [d.line() for d in result.report.errors] == [
        "sites/water-tower/site.yml:14:11: error[missing-alt]: the photo 'media/front.jpg' "
        "has no alt text in Tiếng Việt (vi), the site's first language"]


def test_a_photo_found_whole_is_remembered_by_its_bytes_not_its_name(tmp_path):
    """The check's cache skips decoding a photo whose very bytes passed before; a damaged file
    saved under the same name is new bytes, so it is decoded and refused."""
    from generator.core.cache import Cache

    cache = Cache(tmp_path / "cache")
    good = photo(2000, 1500, orientation=6)
    file = tmp_path / "front.jpg"
    file.write_bytes(good)
    for _ in range(2):
        report = Diagnostics()
        assert check_image(file, PurePosixPath("sites/x/media/front.jpg"), WHERE, report,
                           cache=cache) == (1500, 2000)
        assert report.items == []
    cache.flush()  # entries are written by a thread of their own
    assert len(list((tmp_path / "cache").iterdir())) == 1
    file.write_bytes(good[: len(good) // 2])
    report = Diagnostics()
    assert check_image(file, PurePosixPath("sites/x/media/front.jpg"), WHERE, report,
                       cache=cache) is None
    only_error(report, "bad-image")
    report = Diagnostics()  # a tighter limit is a different question: asked again
    file.write_bytes(good)
    assert check_image(file, PurePosixPath("sites/x/media/front.jpg"), WHERE, report,
                       cache=cache, max_pixels=1000) is None
    assert report.errors
