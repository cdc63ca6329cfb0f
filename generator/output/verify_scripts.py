"""verify: no published page can run script other than the theme's own.

The safety check refuses script in what editors write (and any text that would leave the
page's content); this proves it on what is published, whatever route the markup took: an
editor's text the generator put into Markdown by mistake, a renderer's quirk. Each page is
read by the HTML5 parser the safety check uses. Anywhere in the page: no event handler, no
link able to run script, no `<base>`, no `<meta http-equiv=refresh>`. Inside the content
(every `<article>`): no element that can run or embed code, except what the generator
writes there (a map frame from this site, the button that loads it) and the parts Material
adds to it (edit buttons, the feedback form, file dates: icons and form fields, never a
script or a frame). Scripts outside the content are the theme's: the templates are
the project's own code, reviewed as code. Pages are read, once for this check and the link
check, by `output.pages`, which finds these.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.core.cache import Cache, cache_key, code_digest
from generator.core.diagnostics import Diagnostics
from generator.core.messages import Phrase
from generator.core.model import SourceRef
from generator.check import safety
from generator.output import pages
from generator.output.pages import Listing, list_output, read_page


def check_output_scripts(out: Path, origins: dict[str, SourceRef], report: Diagnostics,
                         cache: Cache | None = None, listing: Listing | None = None) -> None:
    """Report every construct in `out/**/*.html` that could run script (see the module).

    With a cache, pages whose bytes were found clean before are not read again.
    """
    listing = listing or list_output(out)
    paths, digests = list(listing.digests), list(listing.digests.values())
    key = cache_key("script-free", code_digest(Path(__file__), Path(pages.__file__),
                                               Path(safety.__file__)))
    known = cache.hashes(key) if cache is not None else set()
    pending = [(page, digest) for page, digest in zip(paths, digests) if digest not in known]
    listing.read([page for page, _ in pending])
    unsafe = set()
    for page, digest in pending:
        for problem in listing.page(page).unsafe:
            unsafe.add(digest)
            where = origins.get(page) or SourceRef(PurePosixPath("public", page))
            report.error("unsafe-html", where, "unsafe-html.output", hint="hint.unsafe-output",
                         page=page, problem=problem)
    if cache is not None:
        cache.put_hashes(key, set(digests) - unsafe, known)


def unsafe_in_page(text: str) -> list[Phrase]:
    """What in one published page could run script that is not the theme's."""
    return read_page(text).unsafe
