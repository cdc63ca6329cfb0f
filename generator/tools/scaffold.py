"""`heritage new <site-id>`: a new site folder from a commented template, with its QR code.

The template leaves the required facts for the editor to fill in, so the next `heritage check`
walks them through what is missing, one message per field.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from generator.load.codes import assign_codes
from generator.load.config import ProjectConfig
from generator.core.model import LedgerEntry
from generator.load.schema import RECOGNITION_LEVELS, SITE_TYPES

SITE_TEMPLATE = """\
# Thông tin chung của di tích, dùng cho mọi ngôn ngữ. Mọi trường: trang "Danh mục trường
# thông tin" trong hướng dẫn biên tập. Bỏ dấu # ở đầu dòng để dùng một trường.
# Facts shared by every language. Every field: the "Field reference" page of the editors'
# guide. Remove the # at the start of a line to use a field.

# {types}
type: other
tags: []

# Chỉ ghi tọa độ khi đã biết; verified: true sau khi đo GPS tại chỗ.
# Coordinates only when known; verified: true after a GPS reading on site.
# coordinates:
#   lat: 10.9
#   lon: 108.1
#   accuracy_m: 50
#   verified: false

# address:
#   street: "39 Trưng Nhị"
#   ward: "Phường Phan Thiết"
#   province: "Lâm Đồng"
#   former: "Phường Đức Nghĩa, TP Phan Thiết, tỉnh Bình Thuận"
#   verified: false

# period:
#   start: "1907"
#   end: "1912"

# recognition:               # {levels}
#   - level: national
#     date: "1986-12-12"
#     verified: false

# hours:
{hours}
# admission:
{admission}
# Ít nhất một nguồn. / At least one source.
sources:
#   - title: "Tên bài viết / Article title"
#     url: "https://"
#     accessed: "{today}"
"""

PAGE_TEMPLATE = """\
---
title: ""
summary: ""
---
## {heading}

"""


def new_site(config: ProjectConfig, site_id: str, ledger: list[LedgerEntry],
             today: datetime.date) -> tuple[list[Path], str]:
    """Write sites/<site-id>/ (site.yml and the source-language page); returns files, code."""
    folder = config.root / "sites" / site_id
    folder.mkdir(parents=True)
    langs = "\n".join(f'#   {code}: ""' for code in config.lang_codes)
    site_file = folder / "site.yml"
    site_file.write_text(SITE_TEMPLATE.format(
        types="type: " + ", ".join(SITE_TYPES), levels=", ".join(RECOGNITION_LEVELS),
        hours=langs, admission=langs, today=today.isoformat()), "utf-8")
    page = folder / f"{config.default_lang}.md"
    heading = "Lịch sử" if config.default_lang == "vi" else "History"
    page.write_text(PAGE_TEMPLATE.format(heading=heading), "utf-8")
    [(_, code)] = assign_codes(config.root, [site_id], ledger, today)
    return [site_file, page], code
