"""images: editors' photos → checked, cleaned, responsive variants and their `<picture>` markup.

A photo in `sites/<id>/media/` is checked before anything decodes its pixels (type from its
first bytes, pixel count from its header), then published as a few widths (`WIDTHS`, never
wider than the photo) in WebP and JPEG: turned upright by its EXIF orientation, converted to
sRGB, stripped of every metadata block (EXIF, XMP, comments, ICC) except, when the editor asks
for it, the GPS position. The same input always gives the same bytes, so encoded photos are
cached by content (`ImageCache`) and an unchanged photo is not encoded again.

Pure functions except where named: `check_image` and `load_*` read files, `ImageCache` reads
and writes its own folder. Nothing here changes Pillow's global settings.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import PIL
from PIL import Image, ImageCms, ImageFile

from generator.core import routes
from generator.core.cache import Cache, cache_key, code_digest
from generator.core.diagnostics import Diagnostics
from generator.core.filedigests import FileDigests
from generator.core.model import KeptFile, Language, Media, OutputFile, SourceRef
from generator.site.pagedoc import esc

WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80
# libwebp's effort (0-6; its default is 4). Measured on a photograph: 2 encodes in half the time
# of 4 (1600 px wide: 71 ms against 235 ms) for files 2-5 % larger; a province's first build
# encodes every photo in three widths.
WEBP_METHOD = 2
SIZES = "(max-width: 60em) 100vw, 60em"
DEFAULT_MAX_PIXELS = 40_000_000  # extra.heritage.images.max_pixels
DEFAULT_MAX_BYTES = 30 * 1000 * 1000  # extra.heritage.images.max_megabytes
CACHE_VERSION = 2  # bump when the encoding changes in a way the settings below do not show

EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
# What Pillow may parse: only these plugins ever see an editor's file (MPO is how many phones
# save a JPEG with a depth map or preview; it is a JPEG).
PIL_FORMATS = ("JPEG", "PNG", "WEBP")
OUTPUT_FORMAT = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}
GPS_IFD = 0x8825
ORIENTATION = 0x0112
TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
             4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
             6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}


@dataclass(frozen=True)
class ImageVariant:
    path: PurePosixPath  # output path, e.g. media/<site-id>/<stem>-960.webp
    width: int
    height: int
    format: str  # "webp" | "jpeg"


@dataclass(frozen=True)
class ProcessedImage:
    source: PurePosixPath  # the editor's file, relative to the site folder (Media.file)
    width: int  # upright size of the source photo
    height: int
    variants: tuple[ImageVariant, ...]  # by width, WebP before JPEG at each width
    original: PurePosixPath | None = None  # the cleaned full-size copy, media/<site-id>/<file>


Result = tuple[ProcessedImage, list[OutputFile | KeptFile]]  # the files of one photo


class ImageError(ValueError):
    """A photo that cannot be published: a diagnostic code, message key, hint key and values."""

    def __init__(self, code: str, *, key: str, hint: str, **args: object) -> None:
        super().__init__(f"{key} {args}")
        self.code, self.key, self.hint, self.values = code, key, hint, args

    def report_to(self, report: Diagnostics, where: SourceRef, file: PurePosixPath) -> None:
        report.error(self.code, where, self.key, hint=self.hint, file=str(file), **self.values)


# --- planning: which files a photo becomes (pure, no pixels) ------------------------------------

def variant_widths(width: int) -> tuple[int, ...]:
    """The widths published for a photo `width` pixels wide: never wider than the photo."""
    return tuple(sorted({min(w, width) for w in WIDTHS}))


def media_stem(file: PurePosixPath) -> str:
    """`media/front.jpg` → `front`: the start of its variants' names."""
    return PurePosixPath(file.name).stem


def plan_variants(*, site_id: str, stem: str, width: int, height: int,
                  source: PurePosixPath | None = None, original: str | None = None
                  ) -> ProcessedImage:
    """The variants a photo of this upright size becomes, without touching its pixels.

    `render_variants` returns exactly this, so pages can be rendered before photos are encoded.
    """
    variants = []
    for w in variant_widths(width):
        h = height if w == width else max(1, round(height * w / width))
        for fmt in ("webp", "jpeg"):
            name = PurePosixPath(f"{stem}-{w}.{EXTENSIONS[fmt]}")
            variants.append(ImageVariant(PurePosixPath(routes.media_path(site_id, name)),
                                         w, h, fmt))
    return ProcessedImage(source or PurePosixPath(stem), width, height, tuple(variants),
                          PurePosixPath(routes.media_path(site_id, PurePosixPath(original)))
                          if original else None)


@lru_cache(maxsize=65536)
def plan_for(site_id: str, file: PurePosixPath, size: tuple[int, int], *,
             original: bool = True) -> ProcessedImage:
    """The plan of a site's photo `file` (Media.file) whose upright size `check_image` found
    (remembered: every language's page shows it)."""
    return plan_variants(site_id=site_id, stem=media_stem(file), width=size[0], height=size[1],
                         source=file, original=file.name if original else None)


# --- checking: before any pixel is decoded -----------------------------------------------------

def sniff(head: bytes) -> str | None:
    """The kind of file from its first bytes: JPEG, PNG, WebP, another image type, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIC"
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, kind in ((b"gif8", "GIF"), (b"ii*\x00", "TIFF"), (b"mm\x00*", "TIFF"),
                        (b"bm", "BMP"), (b"%pdf", "PDF"), (b"8bps", "PSD"),
                        (b"<svg", "SVG"), (b"\x00\x00\x00\x0cjp  ", "JPEG 2000"),
                        (b"\x00\x00\x01\x00", "ICO")):
        if text.startswith(magic):
            return kind
    if text.startswith(b"<?xml") and b"<svg" in head:
        return "SVG"
    return None


def _too_large(pixels: int, max_pixels: int) -> ImageError:
    return ImageError("image-too-large", key="image-too-large", hint="hint.image-shrink",
                      megapixels=f"{pixels / 1e6:.1f}", limit=f"{max_pixels / 1e6:g}")


def _open(source: Path | bytes, head: bytes, max_pixels: int) -> Image.Image:
    """Open lazily (header only) and check type and pixel count; raises ImageError."""
    kind = sniff(head)
    if kind is None:
        raise ImageError("bad-image", key="bad-image.not-image", hint="hint.image-format")
    if kind not in ("JPEG", "PNG", "WebP"):
        raise ImageError("bad-image", key="bad-image.format", hint="hint.image-format",
                         format=kind)
    with warnings.catch_warnings():
        # Our own limit is checked below; above Pillow's hard limit (2 × MAX_IMAGE_PIXELS)
        # Pillow refuses before allocating anything, and that is reported the same way.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source,
                               formats=PIL_FORMATS)
        except Image.DecompressionBombError as error:
            found = re.search(r"\((\d+) pixels\)", str(error))
            raise _too_large(int(found.group(1)) if found else 2 * (Image.MAX_IMAGE_PIXELS or 0),
                             max_pixels) from None
        except Exception as error:  # a parser's view of a damaged file: any exception type
            raise _damaged(error) from None
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise _too_large(width * height, max_pixels)
    if width < 1 or height < 1 or image.format not in OUTPUT_FORMAT:
        image.close()
        raise ImageError("bad-image", key="bad-image.damaged", hint="hint.image-damaged",
                         detail=f"{image.format} {width}×{height}")
    return image


def _damaged(error: Exception) -> ImageError:
    detail = str(error) or type(error).__name__
    return ImageError("bad-image", key="bad-image.damaged", hint="hint.image-damaged",
                      detail=detail[:200])


def _decode(image: Image.Image, *, preview: bool = False) -> Image.Image:
    """Decode every pixel (or, for a JPEG preview, every pixel at 1/8 scale, which still reads
    all of the file); a truncated or corrupt file raises ImageError."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # someone relaxed Pillow globally: refuse to guess
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    try:
        if preview and image.format in ("JPEG", "MPO"):
            image.draft(image.mode, (math.ceil(image.width / 8), math.ceil(image.height / 8)))
        image.load()
    except Exception as error:
        raise _damaged(error) from None
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation, 1 when absent or unreadable."""
    try:
        value = image.getexif().get(ORIENTATION, 1)
    except Exception:  # a broken EXIF block does not make the photo unusable
        return 1
    return value if value in TRANSPOSE else 1


def upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def check_image(file: Path, rel: PurePosixPath, where: SourceRef, report: Diagnostics, *,
                max_pixels: int = DEFAULT_MAX_PIXELS, max_bytes: int | None = DEFAULT_MAX_BYTES,
                cache: Cache | None = None) -> tuple[int, int] | None:
    """Report why the photo at `file` cannot be published, or return its upright size.

    `rel` names the file in messages; `where` is the media entry in site.yml. The file's size,
    type and pixel count are checked before any pixel is decoded; only then is it decoded
    (JPEG at 1/8 scale) to find a truncated or corrupt file. At most one error per file.
    A photo whose very bytes passed before, under the same limits, is not decoded again.
    """
    key = None
    if cache is not None:
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError:
            digest = None
        if digest is not None:
            key = cache_key("photo-ok", digest, max_pixels, max_bytes,
                            code_digest(Path(__file__), versions=(PIL.__version__,)))
            known = cache.get(key)
            if known is not None and len(known.get("size", b"").split(b",")) == 2:
                width, height = known["size"].split(b",")
                return int(width), int(height)
    try:
        size = _check_file(file, max_pixels, max_bytes)
    except ImageError as error:
        error.report_to(report, where, rel)
        return None
    if cache is not None and key is not None:
        cache.put(key, {"size": f"{size[0]},{size[1]}".encode()})
    return size


def _check_file(file: Path, max_pixels: int, max_bytes: int | None, *, decode: bool = True
                ) -> tuple[int, int]:
    """check_image's checks, raising ImageError; without `decode`, only what needs no pixels
    (size in bytes, type, declared pixel count)."""
    try:
        length = file.stat().st_size
        with file.open("rb") as stream:
            head = stream.read(32)
    except OSError as error:
        raise _damaged(error) from None
    if length == 0:
        raise ImageError("bad-image", key="bad-image.empty", hint="hint.image-damaged")
    if max_bytes is not None and length > max_bytes:
        raise ImageError("image-too-large", key="image-too-large.bytes", hint="hint.image-shrink",
                         megabytes=f"{length / 1e6:.1f}", limit=f"{max_bytes / 1e6:g}")
    with _open(file, head, max_pixels) as image:
        size = image.size
        if not decode:
            return size
        try:
            image.verify()  # PNG: every chunk's checksum; others: structure only
        except Exception as error:
            raise _damaged(error) from None
    with _open(file, head, max_pixels) as image:
        _decode(image, preview=True)
        return upright_size(size, _orientation(image))


# --- encoding ----------------------------------------------------------------------------------

def render_variants(data: bytes, *, site_id: str, stem: str, keep_location: bool,
                    epoch: int | None = None, source: PurePosixPath | None = None,
                    original: str | None = None, max_pixels: int = DEFAULT_MAX_PIXELS
                    ) -> Result:
    """Encode one photo's variants (and, if `original` names it, a cleaned full-size copy in
    the photo's own format and the variants' quality: the very bytes of the full-width
    variant when there is one in that format).

    Upright by EXIF orientation, sRGB, no metadata but the GPS block when `keep_location`;
    never upscaled; JPEG progressive q82, WebP q80 (effort 2);
    `media/<site-id>/<stem>-<width>.<ext>`.
    The bytes depend on `data` and the settings only: nothing records a time, so `epoch` (the
    build's SOURCE_DATE_EPOCH) is accepted for symmetry and changes nothing. Raises ImageError
    for a file `check_image` would reject.
    """
    del epoch  # outputs carry no timestamps
    image, source_format, exif = _upright(data, max_pixels, keep_location)
    width, height = image.size
    plan = plan_variants(site_id=site_id, stem=stem, width=width, height=height, source=source,
                         original=original)
    resized: dict[int, Image.Image] = {width: image}
    encoded: dict[tuple[int, str], bytes] = {}
    for variant in plan.variants:
        if variant.width not in resized:
            shrunk = image
            if source_format == "jpeg" and 2 * variant.width <= width:
                # decoded again at 1/2, 1/4 or 1/8 scale, then resampled
                shrunk, _, _ = _upright(data, max_pixels, keep_location,
                                        at_least=(variant.width, variant.height))
            resized[variant.width] = _resize(shrunk, variant.width, variant.height)
        encoded[variant.width, variant.format] = _encode(resized[variant.width], variant.format,
                                                         exif)
    files: list[OutputFile | KeptFile] = [
        OutputFile(variant.path, encoded[variant.width, variant.format])
        for variant in plan.variants]
    if plan.original is not None:  # the full-width variant when it is in the photo's format
        full = encoded.get((width, source_format)) or _encode(image, source_format, exif)
        files.append(OutputFile(plan.original, full))
    return plan, files


def _upright(data: bytes, max_pixels: int, keep_location: bool,
             at_least: tuple[int, int] | None = None) -> tuple[Image.Image, str, bytes]:
    """The photo decoded, upright and in sRGB; its output format; its GPS block if kept.

    With `at_least` (an upright size), a JPEG is decoded at the smallest of 1/1, 1/2, 1/4
    and 1/8 scale that is still that large: the decoder's own scaling reads a quarter or less
    of the pixels, and the Lanczos resampling that follows starts from a smaller image.
    """
    with _open(data, data[:32], max_pixels) as opened:
        source_format = OUTPUT_FORMAT[opened.format or ""]
        orientation = _orientation(opened)
        if at_least is not None:
            opened.draft(opened.mode, upright_size(at_least, orientation))
        image = _decode(opened)
        exif = _gps_exif(image) if keep_location else b""
        icc = image.info.get("icc_profile")
        if orientation != 1:
            image = image.transpose(TRANSPOSE[orientation])
        return _srgb(image, icc), source_format, exif


def _gps_exif(image: Image.Image) -> bytes:
    """An EXIF block holding only the photo's GPS position, or b"" when it has none."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        if not gps:
            return b""
        exif = Image.Exif()
        exif[GPS_IFD] = dict(gps)
        return exif.tobytes()
    except Exception:  # an unreadable GPS block is dropped, like every other block
        return b""


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA pixels in sRGB, with no metadata left in `info`."""
    alpha = image.has_transparency_data
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):  # 16-bit and float grey
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.mode in ("1", "P", "PA", "La"):
        image = image.convert("RGBA" if alpha else "RGB")
    target = "RGBA" if alpha else "RGB"
    if icc:
        try:
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode=target,
                renderingIntent=ImageCms.Intent.PERCEPTUAL)
            image = converted if converted is not None else image  # None only when in place
        except Exception:  # a profile lcms cannot use: keep the numbers as they are
            pass
    if image.mode != target:
        image = image.convert(target)
    image.info.clear()  # EXIF, XMP, comments, ICC, PNG text: nothing rides along
    return image


def _resize(image: Image.Image, width: int, height: int) -> Image.Image:
    if (width, height) == image.size:
        return image
    resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info.clear()
    return resized


def _encode(image: Image.Image, fmt: str, exif: bytes) -> bytes:
    buffer = io.BytesIO()
    if fmt == "jpeg":
        if image.mode == "RGBA":  # JPEG has no transparency: lay the photo on white
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, progressive=True,
                   optimize=True, exif=exif)
    elif fmt == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD,
                   exif=exif)
    else:  # png: the cleaned original of a PNG
        image.save(buffer, "PNG", optimize=False, compress_level=9, exif=exif or None)
    return buffer.getvalue()


# --- markup ------------------------------------------------------------------------------------

def picture_html(processed: ProcessedImage, *, page_path: str, alt: str, caption_html: str,
                 credit_html: str, lang_attr: str | None = None) -> str:
    """A `<figure>` with a `<picture>`: WebP sources, JPEG fallback, lazy, sized, escaped.

    `page_path` is the site-relative directory URL of the page (`en/sites/x/`, a leading '/'
    is ignored); links are relative to it. `alt` is plain text; `caption_html` and
    `credit_html` are already-escaped HTML. `lang_attr` marks an alt text in another language.
    """
    here = page_path.lstrip("/") or "./"

    def url(variant: ImageVariant) -> str:
        return esc(quote(routes.relative_url(here, str(variant.path)), safe="/"))

    def srcset(variants: Sequence[ImageVariant]) -> str:
        return ", ".join(f"{url(v)} {v.width}w" for v in variants)

    webp = [v for v in processed.variants if v.format == "webp"]
    jpeg = [v for v in processed.variants if v.format == "jpeg"]
    fallback = jpeg[len(jpeg) // 2]
    lang = f' lang="{esc(lang_attr)}"' if lang_attr else ""
    source = (f'<source type="{MIME_TYPES["webp"]}" srcset="{srcset(webp)}" sizes="{SIZES}">'
              if webp else "")
    img = (f'<img src="{url(fallback)}" srcset="{srcset(jpeg)}" sizes="{SIZES}" '
           f'width="{fallback.width}" height="{fallback.height}" alt="{esc(alt)}"{lang} '
           'loading="lazy" decoding="async">')
    caption = " ".join(part for part in (caption_html, f"<small>© {credit_html}</small>"
                                         if credit_html else "") if part)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure><picture>{source}{img}</picture>{figcaption}</figure>"


# --- editors' rules ----------------------------------------------------------------------------

def check_alt(photo: Media, languages: Sequence[Language], report: Diagnostics) -> None:
    """Alt text is required in the first (source) language; a page in another language without
    its own alt text shows the fallback, with one warning per photo naming those languages."""
    default = languages[0]
    if not photo.alt.texts.get(default.code):
        report.error("missing-alt", photo.alt.source, hint="hint.alt-text",
                     file=str(photo.file), lang=default.code, language=default.name)
        return
    falling = [language.code for language in languages[1:]
               if not photo.alt.texts.get(language.code)]
    if falling:
        report.warning("missing-translation", photo.alt.source, "missing-translation.alt",
                       hint="hint.translate-alt", file=str(photo.file),
                       languages=", ".join(falling), lang=falling[0])


def check_names(site_id: str, photos: Sequence[tuple[PurePosixPath, tuple[int, int], SourceRef]],
                report: Diagnostics, *, original: bool = True) -> None:
    """No two photos of a site may publish the same file: front.jpg and front.png both make
    front-480.jpg; a photo named front-960.jpg clashes with front.jpg's variant. Names are
    compared without case, as Windows and macOS folders do. `photos`: (Media.file, upright
    size, where) of the photos that passed `check_image`."""
    owners: dict[str, PurePosixPath] = {}
    for file, size, where in photos:
        plan = plan_for(site_id, file, size, original=original)
        paths = [v.path for v in plan.variants] + ([plan.original] if plan.original else [])
        for path in paths:
            first = owners.setdefault(str(path).casefold(), file)
            if first != file:
                report.error("output-conflict", where, "output-conflict.media",
                             hint="hint.rename-photo", file=str(file), first=str(first),
                             output=str(path))
                break


# --- cache -------------------------------------------------------------------------------------

def _settings() -> dict[str, object]:
    return {"version": CACHE_VERSION, "widths": WIDTHS, "jpeg": JPEG_QUALITY,
            "webp": [WEBP_QUALITY, WEBP_METHOD],
            "pillow": PIL.__version__}


class ImageCache:
    """Encoded photos under `folder`, keyed by the source bytes and every encoding setting.

    An unchanged photo is read back instead of encoded (`reused` counts those, `encoded` the
    others). Entries do not depend on the site or file name, so a photo used twice is stored
    once. Each entry is written to a temporary folder and renamed into place, so a killed build
    leaves no half entry; one that fails its checksums is encoded again. Sources and entries
    are read only when changed (`files`, see core.filedigests): an unchanged photo's files are
    handed on as KeptFiles, for the site to link to the published copies.
    """

    def __init__(self, folder: Path, files: FileDigests | None = None,
                 remembered: dict[Any, Result] | None = None) -> None:
        self.folder = folder
        self.files = files or FileDigests()  # a source's digest without reading it again
        self.encoded = 0
        self.reused = 0
        self._used: set[str] = set()
        self._lock = threading.Lock()
        # The live preview's photos of its last build, kept in memory: handed out again with
        # no check and no file read, and only those this build hands out stay.
        self._remembered, self._last = remembered, dict(remembered or {})
        if remembered is not None:
            remembered.clear()

    def recall(self, digest: bytes, checked: tuple[object, ...], **names: Any
               ) -> Result | None:
        """The result this photo (source SHA-256 `digest`, limits `checked`) had in the
        last build of this process, when it was remembered."""
        memo = self._memo(digest, checked, names)
        found = self._last.get(memo)
        if found is not None and self._remembered is not None:
            with self._lock:
                self._used.add(memo[0])
                self._remembered[memo] = found
        return found

    def remember(self, digest: bytes, checked: tuple[object, ...], result: Result,
                 **names: Any) -> None:
        if self._remembered is not None:
            with self._lock:
                self._remembered[self._memo(digest, checked, names)] = result

    def _memo(self, digest: bytes, checked: tuple[object, ...], names: dict[str, Any]
              ) -> tuple[str, tuple[object, ...]]:
        """What a remembered result is found by: its cache key first, then the limits it
        was checked against and the names it was placed under."""
        key = self.key(digest, keep_location=names["keep_location"],
                       original=names["original"] is not None)
        return key, (checked, *sorted(names.items()))

    def key(self, source: bytes, *, keep_location: bool, original: bool) -> str:
        """The key of a photo whose bytes have the SHA-256 `source` (raw)."""
        settings = json.dumps({**_settings(), "gps": keep_location, "full": original},
                              sort_keys=True).encode()
        return hashlib.sha256(source + settings).hexdigest()

    def render(self, data: bytes, *, site_id: str, stem: str, keep_location: bool,
               source: PurePosixPath | None = None, original: str | None = None,
               max_pixels: int = DEFAULT_MAX_PIXELS) -> Result:
        """`render_variants`, from the cache when this photo was encoded before."""
        return self.kept(hashlib.sha256(data).digest(), site_id=site_id, stem=stem,
                         keep_location=keep_location, source=source,
                         original=original) or self.encode(
            data, site_id=site_id, stem=stem, keep_location=keep_location, source=source,
            original=original, max_pixels=max_pixels)

    def kept(self, digest: bytes, *, site_id: str, stem: str, keep_location: bool,
             source: PurePosixPath | None = None, original: str | None = None
             ) -> Result | None:
        """The files of the photo whose bytes have the SHA-256 `digest` as encoded before,
        or None if it was not."""
        key = self.key(digest, keep_location=keep_location, original=original is not None)
        with self._lock:
            self._used.add(key)
        cached = self._read(key, site_id=site_id, stem=stem, source=source, original=original)
        if cached is not None:
            with self._lock:
                self.reused += 1
        return cached

    def encode(self, data: bytes, *, site_id: str, stem: str, keep_location: bool,
               source: PurePosixPath | None = None, original: str | None = None,
               max_pixels: int = DEFAULT_MAX_PIXELS) -> Result:
        """`render_variants`, kept for the next build."""
        key = self.key(hashlib.sha256(data).digest(), keep_location=keep_location,
                       original=original is not None)
        with self._lock:
            self._used.add(key)
        plan, files = render_variants(data, site_id=site_id, stem=stem,
                                      keep_location=keep_location, source=source,
                                      original=original, max_pixels=max_pixels)
        with self._lock:
            self.encoded += 1
        self._write(key, plan, files)
        return plan, files

    def _entry_names(self, plan: ProcessedImage) -> list[tuple[str, PurePosixPath]]:
        names = [(f"{v.width}.{EXTENSIONS[v.format]}", v.path) for v in plan.variants]
        if plan.original is not None:
            names.append(("original", plan.original))
        return names

    def _read(self, key: str, *, site_id: str, stem: str, source: PurePosixPath | None,
              original: str | None) -> Result | None:
        entry = self.folder / key
        try:
            meta = json.loads((entry / "meta.json").read_text("utf-8"))
            plan = plan_variants(site_id=site_id, stem=stem, width=int(meta["width"]),
                                 height=int(meta["height"]), source=source, original=original)
            files: list[OutputFile | KeptFile] = []
            for name, path in self._entry_names(plan):
                digest = self.files.sha256(entry / name).hex()  # read once, then if changed
                if digest != meta["files"][name]:
                    return None
                files.append(KeptFile(path, entry / name, digest))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return plan, files

    def _write(self, key: str, plan: ProcessedImage, files: list[OutputFile | KeptFile]
               ) -> None:
        by_path = {file.path: file.content for file in files}
        names = self._entry_names(plan)
        meta = {"width": plan.width, "height": plan.height,
                "files": {name: hashlib.sha256(by_path[path]).hexdigest()
                          for name, path in names}}
        temp: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=self.folder))
            for name, path in names:
                (temp / name).write_bytes(by_path[path])
            (temp / "meta.json").write_text(json.dumps(meta, sort_keys=True), "utf-8")
            target = self.folder / key
            if target.exists():
                shutil.rmtree(target)
            os.replace(temp, target)
        except OSError:  # a cache that cannot be written only costs time
            if temp is not None:
                shutil.rmtree(temp, ignore_errors=True)

    def prune(self) -> int:
        """Remove the entries this build did not use; returns how many. Call after a build."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for entry in sorted(self.folder.iterdir()):
            if entry.is_dir() and entry.name not in self._used:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed


# --- loading: the build's entry points ---------------------------------------------------------

@dataclass(frozen=True)
class PhotoJob:
    """One photo to publish: `site_dir / file` is read; `where` is its entry in site.yml."""

    site_dir: Path
    site_id: str
    file: PurePosixPath  # Media.file, e.g. media/front.jpg
    where: SourceRef
    keep_location: bool = False



def load_variants(job: PhotoJob, report: Diagnostics, *, cache: ImageCache | None = None,
                  max_pixels: int = DEFAULT_MAX_PIXELS,
                  max_bytes: int | None = DEFAULT_MAX_BYTES, original: bool = True
                  ) -> Result | None:
    """Read, check and encode one photo (through `cache` if given); None after reporting."""
    return load_all([job], report, cache=cache, max_pixels=max_pixels, max_bytes=max_bytes,
                    original=original, workers=1)[0]


def load_all(jobs: Sequence[PhotoJob], report: Diagnostics, *, cache: ImageCache | None = None,
             max_pixels: int = DEFAULT_MAX_PIXELS, max_bytes: int | None = DEFAULT_MAX_BYTES,
             original: bool = True, workers: int | None = None) -> list[Result | None]:
    """`load_variants` for many photos. Results and diagnostics come back in the order of
    `jobs`. Photos encoded before are read back here, one after another (threads would only
    take turns at the interpreter); the others are encoded on all cores, as Pillow decodes,
    resizes and encodes outside the GIL."""
    def read(job: PhotoJob) -> Result | ImageError | bytes:
        """The cached result, a problem, or the photo's bytes still to encode."""
        path = job.site_dir / job.file
        names, limits = _names(job, original), (max_pixels, max_bytes)
        known = cache.files.known(path) if cache is not None else None
        if cache is not None and known is not None and (
                remembered := cache.recall(known, limits, **names)) is not None:
            return _placed(remembered, job)
        try:
            _check_file(path, max_pixels, max_bytes, decode=False)  # encoding decodes
            if cache is None:
                return path.read_bytes()
            digest = cache.files.sha256(path)
            kept = cache.kept(digest, **names)
            if kept is None:
                return path.read_bytes()
            cache.remember(digest, limits, kept, **names)
            return _placed(kept, job)
        except ImageError as error:
            return error
        except OSError as error:
            return _damaged(error)

    def encode(work: tuple[PhotoJob, bytes]) -> Result | ImageError:
        job, data = work
        make = cache.encode if cache is not None else render_variants
        try:
            return _placed(make(data, **_names(job, original), max_pixels=max_pixels), job)
        except ImageError as error:
            return error
        except OSError as error:
            return _damaged(error)

    outcomes = [read(job) for job in jobs]
    waiting = [(index, (job, outcome)) for index, (job, outcome) in enumerate(zip(jobs, outcomes))
               if isinstance(outcome, bytes)]
    count = min(workers or os.cpu_count() or 1, len(waiting))
    if count > 1:
        with ThreadPoolExecutor(max_workers=count) as pool:
            encoded = list(pool.map(encode, [work for _, work in waiting]))
    else:
        encoded = [encode(work) for _, work in waiting]
    for (index, _), made in zip(waiting, encoded):
        outcomes[index] = made
    results: list[Result | None] = []
    for job, outcome in zip(jobs, outcomes):
        if isinstance(outcome, ImageError):
            outcome.report_to(report, job.where, job.where.path.parent / job.file)
            results.append(None)
        else:
            assert not isinstance(outcome, bytes)
            results.append(outcome)
    return results


def _names(job: PhotoJob, original: bool) -> dict[str, Any]:
    return {"site_id": job.site_id, "stem": media_stem(job.file),
            "keep_location": job.keep_location, "source": job.file,
            "original": job.file.name if original else None}


def _placed(result: Result, job: PhotoJob) -> Result:
    plan, files = result
    return plan, [replace(file, origin=job.where) for file in files]
