"""The `heritage` command: argument parsing, printing messages, exit codes. No logic.

Exit status: 0 clean, 1 content errors (or warnings with --strict), 2 usage errors (and a build
refused: another one running, or an output folder that holds other files), 3 our own bug: one
line on the terminal, the traceback in .cache/internal-error.txt.
Messages come from the catalogue in English or Vietnamese: `--lang`, else the locale.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from generator.core.diagnostics import Diagnostics
from generator.core.messages import LANGUAGES, locale_lang, tr
from generator.output.publish import BuildBusy, UnsafeOutput
from generator.renderer import RENDERERS

# Each command imports what it runs: the pipeline pulls in folium, fpdf and Pillow, which
# `heritage --help` and a mistyped command should not wait for.

LEDGER_CODES = {"code-ledger", "bad-code"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = _early_lang(argv)
    parser = _parser(lang)
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    root = Path(args.project).resolve()
    if not (root / "mkdocs.yml").is_file():
        print(tr("cli.no-project", lang, path=args.project), file=sys.stderr)
        return 2
    try:
        return args.run(root, args)
    except BuildBusy:
        print(tr("cli.build-busy", lang), file=sys.stderr)
        return 2
    except UnsafeOutput as unsafe:
        print(tr("cli.unsafe-out", lang, path=str(unsafe)), file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001  # our own bug: never dressed as a content error
        return _internal_error(root, lang)


def _internal_error(root: Path, lang: str) -> int:
    """Say it in one line; keep the traceback in a file the person can send us."""
    trace = traceback.format_exc()
    report = root / ".cache" / "internal-error.txt"
    try:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(trace, "utf-8")
        where = str(report)
    except OSError:
        where = "-"
        print(trace, file=sys.stderr)
    print(tr("cli.internal-error", lang, path=where,
             problem=trace.strip().splitlines()[-1][:200]), file=sys.stderr)
    return 3


def _early_lang(argv: list[str]) -> str:
    """The language for help and messages, known before parsing (help is printed then)."""
    for index, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1] if arg.split("=", 1)[1] in LANGUAGES else "en"
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
    return locale_lang()


def _parser(lang: str) -> argparse.ArgumentParser:
    def text(key: str) -> str:
        return tr(key, lang)

    parser = argparse.ArgumentParser(prog="heritage", description=text("cli.description"))
    parser.add_argument("--project", default=".", help=text("cli.opt.project"))
    parser.add_argument("--lang", choices=LANGUAGES, default=lang, help=text("cli.opt.lang"))
    commands = parser.add_subparsers(title=text("cli.commands"))
    made = {}
    for name, run in (("new", _new), ("check", _check), ("status", _status), ("build", _build),
                      ("print", _print), ("serve", _serve), ("verify", _verify),
                      ("export-csv", _export_csv), ("import-csv", _import_csv),
                      ("scans", _scans)):
        made[name] = commands.add_parser(name, help=text(f"cli.{name}.help"),
                                         description=text(f"cli.{name}.description"))
        made[name].set_defaults(run=run)
    made["new"].add_argument("site_id", help=text("cli.opt.site-id"))
    made["build"].add_argument("--out", help=text("cli.opt.out"))
    made["build"].add_argument("--final", action="store_true", help=text("cli.opt.final"))
    made["build"].add_argument("--renderer", choices=RENDERERS, help=text("cli.opt.renderer"))
    made["print"].add_argument("--final", action="store_true", help=text("cli.opt.final"))
    made["print"].add_argument("--out", help=text("cli.opt.out"))
    made["serve"].add_argument("--port", type=int, default=8000, help=text("cli.opt.port"))
    made["verify"].add_argument("--out", help=text("cli.opt.verify-out"))
    made["export-csv"].add_argument("file", nargs="?", help=text("cli.opt.csv-out"))
    made["import-csv"].add_argument("file", help=text("cli.opt.csv-in"))
    made["scans"].add_argument("logs", nargs="+", help=text("cli.opt.logs"))
    made["scans"].add_argument("--csv", help=text("cli.opt.scans-csv"))
    made["scans"].add_argument("--chart", help=text("cli.opt.scans-chart"))
    codes = commands.add_parser("codes", help=text("cli.codes.help"))
    assign = codes.add_subparsers(title=text("cli.commands")).add_parser(
        "assign", help=text("cli.assign.help"), description=text("cli.assign.description"))
    assign.set_defaults(run=_assign)
    for command in (*made.values(), assign):
        command.add_argument("--lang", choices=LANGUAGES, default=lang, help=text("cli.opt.lang"))
        command.add_argument("--strict", action="store_true", help=text("cli.opt.strict"))
        command.add_argument("--format", choices=("text", "json"), default="text",
                             help=text("cli.opt.format"))
    return parser


def print_report(report: Diagnostics, args: argparse.Namespace) -> None:
    if args.format == "json":
        print(report.to_json(args.lang))
    elif report.items:
        print(report.to_text(args.lang), file=sys.stderr)


def say(args: argparse.Namespace, key: str, **values: object) -> None:
    """A one-line message to the person at the terminal (not in --format json)."""
    if args.format == "text":
        print(tr(key, args.lang, **values), file=sys.stderr)


def _check(root: Path, args: argparse.Namespace) -> int:
    from generator.build import load_project

    _, _, report = load_project(root)
    print_report(report, args)
    failed = report.failed(strict=args.strict)
    say(args, "cli.check-failed" if failed else "cli.check-passed",
        summary=report.summary(args.lang))
    return 1 if failed else 0


def _progress(args: argparse.Namespace) -> Callable[..., None]:
    return lambda stage, **values: say(args, f"progress.{stage}", **values)


def _build(root: Path, args: argparse.Namespace) -> int:
    from generator.build import build

    result = build(root, Path(args.out).resolve() if args.out else None, strict=args.strict,
                   final=args.final, renderer=getattr(args, "renderer", None),
                   progress=_progress(args))
    print_report(result.report, args)
    say(args, "cli.build-published" if result.published else "cli.build-failed",
        summary=result.report.summary(args.lang))
    return 0 if result.published else 1


def _print(root: Path, args: argparse.Namespace) -> int:
    """The whole build (print files are part of the site), then where to find them."""
    code = _build(root, args)
    if code == 0:
        public = Path(args.out).resolve() if args.out else root / "public"
        say(args, "cli.print-done", page=str(public / "print" / "index.html"))
    return code


def _verify(root: Path, args: argparse.Namespace) -> int:
    from generator.build import verify_site

    public = Path(args.out).resolve() if args.out else root / "public"
    report = verify_site(root, public)
    print_report(report, args)
    failed = report.failed(strict=args.strict)
    say(args, "cli.verify-failed" if failed else "cli.verify-passed",
        summary=report.summary(args.lang))
    return 1 if failed else 0


def _status(root: Path, args: argparse.Namespace) -> int:
    from generator.build import load_project
    from generator.check.status import format_status, translation_status

    config, project, report = load_project(root)
    if config is None or project is None:
        print_report(report, args)
        return 1
    states = translation_status(config, project)
    if args.format == "json":
        print(json.dumps([state.__dict__ for state in states], ensure_ascii=False, indent=1))
    else:
        print(format_status(states, config, args.lang), end="")
    stale = any(state.state in ("stale", "unknown") for state in states)
    return 1 if args.strict and stale else 0


def _assign(root: Path, args: argparse.Namespace) -> int:
    from generator.build import load_project
    from generator.load.codes import LEDGER, assign_codes

    _, project, report = load_project(root)
    if project is None or _ledger_unsure(report, LEDGER):
        print_report(report, args)
        say(args, "cli.ledger-first")
        return 1
    without = [site.id for site in project.sites if site.code is None]
    for site_id, code in assign_codes(root, without, project.ledger, datetime.date.today()):
        print(tr("cli.issued", args.lang, code=code, site=site_id))
    return 0


def _ledger_unsure(report: Diagnostics, ledger: PurePosixPath) -> bool:
    """No code may be issued while the ledger has an error, or its history could not be
    seen (a shallow copy): a code deleted in a commit it lacks would be issued again."""
    return any(d.code in LEDGER_CODES or d.where.path == ledger for d in report.errors) or \
        any(d.code == "code-ledger" for d in report.problems())


def _new(root: Path, args: argparse.Namespace) -> int:
    from generator.build import load_project
    from generator.load.codes import LEDGER
    from generator.load.project import site_id_problem
    from generator.tools.scaffold import new_site

    problem = site_id_problem(args.site_id)
    if problem is not None:
        print(tr("cli.bad-id", args.lang, name=args.site_id, problem=problem), file=sys.stderr)
        return 2
    if (root / "sites" / args.site_id).exists():
        print(tr("cli.exists", args.lang, name=args.site_id), file=sys.stderr)
        return 2
    config, project, report = load_project(root)
    if config is None or project is None or _ledger_unsure(report, LEDGER):
        print_report(report, args)
        say(args, "cli.ledger-first")
        return 1
    files, code = new_site(config, args.site_id, list(project.ledger), datetime.date.today())
    print(tr("cli.created", args.lang, code=code, files=", ".join(
        str(f.relative_to(root)) for f in files)))
    return 0


def _export_csv(root: Path, args: argparse.Namespace) -> int:
    from generator.load.config import load_config
    from generator.tools.spreadsheet import export_csv

    report = Diagnostics()
    config = load_config(root, report)
    text = export_csv(config, root, report) if config is not None else ""
    if report.failed():
        print_report(report, args)
        say(args, "cli.export-failed", summary=report.summary(args.lang))
        return 1
    if args.file:
        Path(args.file).write_bytes(text.encode("utf-8"))  # BOM and CRLF rows as they are
        say(args, "cli.exported", count=text.count("\r\n") - 1, file=args.file)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


def _scans(root: Path, args: argparse.Namespace) -> int:
    from generator.core import routes
    from generator.load.codes import load_ledger
    from generator.load.config import load_config
    from generator.tools.scans import read_scans, rows_csv, rows_svg, rows_text, tally

    report = Diagnostics()
    config = load_config(root, report)
    ledger = load_ledger(root, report) if config is not None else ()
    if config is None or report.failed():
        print_report(report, args)
        return 1
    logs = [Path(name) for name in args.logs]
    for log in logs:
        if not log.is_file():
            print(tr("cli.no-log", args.lang, path=str(log)), file=sys.stderr)
            return 2
    codes = {entry.code: entry.site for entry in ledger}
    rows = tally(read_scans(logs, codes, routes.server_path(config.site_url, ""),
                            config.lang_codes), codes)
    none = tr("scans.no-language", args.lang)
    if args.csv:
        Path(args.csv).write_bytes(rows_csv(rows, config.lang_codes).encode("utf-8"))
    if args.chart:
        Path(args.chart).write_text(rows_svg(rows, tr("scans.chart-title", args.lang)), "utf-8")
    if args.format == "json":
        print(json.dumps([dataclasses.asdict(row) for row in rows], ensure_ascii=False,
                         indent=1))
    elif not rows:
        say(args, "scans.none")
    else:
        print(rows_text(rows, tr("scans.header", args.lang).split("|"), none), end="")
    return 0


def _import_csv(root: Path, args: argparse.Namespace) -> int:
    from generator.load.config import load_config
    from generator.load.sourcefile import read_text
    from generator.tools.spreadsheet import import_csv

    file = Path(args.file)
    if not file.is_file():
        print(tr("cli.no-file", args.lang, path=args.file), file=sys.stderr)
        return 2
    report = Diagnostics()
    config = load_config(root, report)
    text = read_text(file, PurePosixPath(args.file), report)  # BOM, not UTF-8, line ends
    changes = (import_csv(config, root, text, args.file, report)
               if config is not None and text is not None else [])
    if report.failed():
        print_report(report, args)
        say(args, "cli.import-failed", summary=report.summary(args.lang))
        return 1
    if args.format == "json":
        print(json.dumps([dataclasses.asdict(c) for c in changes], ensure_ascii=False, indent=1))
        return 0
    empty = tr("cli.empty-cell", args.lang)
    for change in changes:
        print(tr("cli.import-change", args.lang, site=change.site, field=change.field,
                 old=empty if change.old is None else change.old,
                 new=empty if change.new is None else change.new))
    say(args, "cli.imported", count=len(changes))
    return 0


def _serve(root: Path, args: argparse.Namespace) -> int:
    from generator.tools.serve import serve

    return serve(root, port=args.port, strict=args.strict, lang=args.lang,
                 show=lambda report: print_report(report, args),
                 say=lambda key, **values: say(args, key, **values))


if __name__ == "__main__":
    sys.exit(main())
