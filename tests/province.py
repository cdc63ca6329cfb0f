"""A generated province: N heritage sites in five languages, for scale tests and bench/scale.py.

Every site has a permanent code in the ledger, coordinates inside the region, an address, a
period, recognition, hours, sources, one photo with alt text and credit, and a narrative in vi
(the source), en, ko, zh and ru that records the source it was translated from. Every 25 sites
make a walking tour. The same count gives the same files, byte for byte.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

LANGUAGES = ("vi", "en", "ko", "zh", "ru")
ISSUE_ORDER = "23456789ABCDEFGHJKMNPQRSTVWXYZ01"
TYPES = ("tower", "temple", "communal-house", "pagoda", "school", "museum", "ruins", "monument")
WARDS = ("Phường Phan Thiết", "Phường Phú Thủy", "Phường Mũi Né", "Xã Tuyên Quang",
         "Phường Hàm Thắng", "Xã Hàm Kiệm")
TOUR_SIZE = 25

CONFIG = """\
site_name: Di sản tỉnh
site_url: https://disan.example/
site_description: Di sản – heritage sites
copyright: Nội dung / Content CC BY-SA 4.0
theme:
  name: material
  font: false
  features: [navigation.top]
plugins: []
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - def_list
  - toc:
      permalink: true
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
extra:
  heritage:
    languages:
      - {code: vi, name: Tiếng Việt}
      - {code: en, name: English}
      - {code: ko, name: 한국어, fallback: [en]}
      - {code: zh, name: 中文, fallback: [en]}
      - {code: ru, name: Русский, fallback: [en]}
    region: {south: 10.5, north: 11.4, west: 107.6, east: 108.6}
    nearby: {count: 5, max_km: 15}
"""

NAMES = {
    "vi": ("Di tích số {n}", "Một di tích được tạo ra để thử, số {n}, ở {ward}."),
    "en": ("Heritage site {n}", "A generated site for testing, number {n}, in {ward}."),
    "ko": ("유적지 {n}", "시험용으로 만든 유적지 {n}번, {ward}에 있습니다."),
    "zh": ("古迹 {n}", "为测试生成的古迹,第 {n} 号,位于 {ward}。"),
    "ru": ("Объект наследия {n}", "Созданный для проверки объект № {n}, {ward}."),
}
BODY = {
    "vi": ("Tổng quan", "Lịch sử", "Đoạn văn thử số {k} về di tích {n}: kiến trúc, lịch sử và "
           "những điều nên xem khi đến thăm."),
    "en": ("Overview", "History", "Test paragraph {k} about site {n}: its architecture, its "
           "history and what to look for on a visit."),
    "ko": ("개요", "역사", "유적지 {n}에 대한 시험 문단 {k}: 건축, 역사, 방문할 때 볼 것."),
    "zh": ("概述", "历史", "关于古迹 {n} 的测试段落 {k}:建筑、历史以及参观时值得看的地方。"),
    "ru": ("Обзор", "История", "Проверочный абзац {k} об объекте {n}: архитектура, история и "
           "что посмотреть при посещении."),
}


def code(index: int) -> str:
    """The index-th code in the order the tool issues them (two characters up to 900 sites)."""
    base = len(ISSUE_ORDER)
    if index < base * (base - 2):
        return ISSUE_ORDER[index // base] + ISSUE_ORDER[index % base]
    index -= base * (base - 2)
    return "".join(ISSUE_ORDER[(index // base ** p) % base] for p in (2, 1, 0))


def site_id(index: int) -> str:
    return f"site-{index:04d}"


def _fraction(index: int, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _narrative(lang: str, n: int, ward: str, source_hash: str | None) -> str:
    title, summary = (t.format(n=n, ward=ward) for t in NAMES[lang])
    first, second, paragraph = BODY[lang]
    lines = ["---", f'title: "{title}"', f'summary: "{summary}"']
    if source_hash:
        lines.append(f'translated_from: "{source_hash}"')
    lines += ["---", f"## {first}", ""]
    lines += [paragraph.format(k=k, n=n) + "\n" for k in (1, 2)]
    lines += [f"## {second}", ""]
    lines += [paragraph.format(k=k, n=n) + "\n" for k in (3, 4, 5)]
    return "\n".join(lines)


def _site_yml(index: int, ward: str, photo: bool) -> str:
    lat = 10.55 + 0.8 * _fraction(index, "lat")
    lon = 107.65 + 0.9 * _fraction(index, "lon")
    start = 1700 + int(300 * _fraction(index, "year"))
    text = f"""\
code: "{code(index)}"
type: {TYPES[index % len(TYPES)]}
tags: [generated]
coordinates:
  lat: {lat:.5f}
  lon: {lon:.5f}
  accuracy_m: 30
  verified: false
address:
  ward: "{ward}"
  province: "Lâm Đồng"
  verified: false
period:
  start: "{start}"
recognition:
  - level: {("provincial", "national", "none")[index % 3]}
    date: "2010-01-0{1 + index % 9}"
    verified: false
hours:
  vi: "Mở cửa từ 7 giờ đến 17 giờ."
  en: "Open from 7:00 to 17:00."
sources:
  - title: "Generated source {index}"
    url: "https://sources.example/{index}"
    accessed: "2026-11-27"
"""
    if photo:
        text += """\
media:
  - file: media/front.jpg
    alt:
      vi: "Mặt trước của di tích"
      en: "The front of the site"
      ko: "유적지의 정면"
      zh: "古迹的正面"
      ru: "Фасад объекта"
    credit: "Generated test image"
    licence: "CC0 1.0"
"""
    return text


def _photo(index: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (960, 640), (120 + index % 100, 90, 60))
    for x in range(0, 960, 40):
        image.paste((200, 180 - x % 120, 40 + index % 150), (x, 0, x + 20, 640))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


HOME = {
    "vi": ("Di sản tỉnh", "Hướng dẫn di sản do tình nguyện viên viết. Xem [danh sách di tích]"
           "(sites/index.md) hoặc [{first}](sites/{first_id}/index.md)."),
    "en": ("Heritage of the province", "A heritage guide written by volunteers. See the "
           "[list of sites](sites/index.md) or [{first}](sites/{first_id}/index.md)."),
    "ko": ("지방의 유산", "자원봉사자들이 쓴 유산 안내서입니다. [유적지 목록](sites/index.md)."),
    "zh": ("本省的遗产", "由志愿者编写的遗产指南。[古迹列表](sites/index.md)。"),
    "ru": ("Наследие провинции", "Путеводитель, написанный волонтёрами. "
           "[Список объектов](sites/index.md)."),
}


def write_province(root: Path, count: int, *, photos: bool = True) -> Path:
    """Write a project of `count` generated sites into root (created); returns root."""
    from generator.load.project import text_hash

    sites = root / "sites"
    sites.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG, "utf-8")
    for lang, (title, text) in HOME.items():
        (root / "content" / lang).mkdir(parents=True)
        body = text.format(first=NAMES[lang][0].format(n=0), first_id=site_id(0))
        (root / "content" / lang / "index.md").write_text(
            f'---\ntitle: "{title}"\n---\n{body}\n', "utf-8")
    ledger = ["codes:"]
    for index in range(count):
        folder = sites / site_id(index)
        folder.mkdir()
        ward = WARDS[index % len(WARDS)]
        (folder / "site.yml").write_text(_site_yml(index, ward, photos), "utf-8")
        source = _narrative("vi", index, ward, None)
        (folder / "vi.md").write_text(source, "utf-8")
        for lang in LANGUAGES[1:]:
            (folder / f"{lang}.md").write_text(
                _narrative(lang, index, ward, text_hash(source)), "utf-8")
        if photos:
            (folder / "media").mkdir()
            (folder / "media" / "front.jpg").write_bytes(_photo(index))
        ledger += [f'  - code: "{code(index)}"', f"    site: {site_id(index)}",
                   '    issued: "2026-11-27"', "    status: active"]
    (sites / "issued-codes.yml").write_text("\n".join(ledger) + "\n", "utf-8")
    tours = root / "content" / "tours"
    tours.mkdir(parents=True, exist_ok=True)
    for start in range(0, count - TOUR_SIZE + 1, TOUR_SIZE):
        stops = ", ".join(site_id(i) for i in range(start, start + 6))
        (tours / f"walk-{start // TOUR_SIZE + 1:03d}.yml").write_text(
            f'name:\n  vi: "Lộ trình {start // TOUR_SIZE + 1}"\n'
            f'  en: "Walk {start // TOUR_SIZE + 1}"\n'
            f"stops: [{stops}]\n", "utf-8")
    return root
