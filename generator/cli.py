"""The `heritage` command: argument parsing, printing diagnostics, exit codes. No logic.

Exit status: 0 clean, 1 content errors (or warnings with --strict), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from generator.build import build, load_project, verify_site
from generator.codes import LEDGER, assign_codes
from generator.diagnostics import Diagnostics

LEDGER_CODES = {"code-ledger", "bad-code"}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    root = Path(args.project).resolve()
    if not (root / "mkdocs.yml").is_file():
        print(f"heritage: no mkdocs.yml in {args.project}: run from the project folder "
              "or pass --project", file=sys.stderr)
        return 2
    return args.run(root, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="heritage", description="Build heritage-site "
                                     "websites from sites/ and content/.")
    parser.add_argument("--project", default=".", help="the project folder (default: .)")
    commands = parser.add_subparsers(title="commands")

    check = commands.add_parser("check", help="report every problem; write nothing",
                                description="Read every file and report all problems. "
                                "Example: heritage check")
    check.set_defaults(run=_check)
    build_cmd = commands.add_parser("build", help="build the site into public/",
                                    description="Check, build and verify the site, then "
                                    "replace public/. Example: heritage build --strict")
    build_cmd.add_argument("--out", help="output folder (default: public/ in the project)")
    build_cmd.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="live preview on 127.0.0.1",
                                description="Build, serve on 127.0.0.1 and rebuild when "
                                "sites/, content/ or mkdocs.yml change. Example: heritage serve")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    build_cmd.add_argument("--final", action="store_true",
                           help="refuse to build when site_url is a placeholder (for printing)")
    verify = commands.add_parser("verify", help="re-check a built site: links and QR codes",
                                 description="Decode every published QR code with a real "
                                 "decoder and check every link. Example: heritage verify")
    verify.add_argument("--out", help="the built site (default: public/ in the project)")
    verify.set_defaults(run=_verify)
    codes = commands.add_parser("codes", help="QR codes and their ledger")
    codes_commands = codes.add_subparsers(title="commands")
    assign = codes_commands.add_parser("assign", help="issue a code to every site without one",
                                       description="Append a new code to "
                                       "sites/issued-codes.yml for every site without one "
                                       "and write it into its site.yml. Example: heritage "
                                       "codes assign")
    assign.set_defaults(run=_assign)
    for command in (check, build_cmd, serve, verify, assign):
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        command.add_argument("--format", choices=("text", "json"), default="text",
                             help="how to print problems (json for other tools)")
    return parser


def print_report(report: Diagnostics, fmt: str) -> None:
    if fmt == "json":
        print(report.to_json())
    elif report.items:
        print(report.to_text(), file=sys.stderr)


def _check(root: Path, args: argparse.Namespace) -> int:
    _, _, report = load_project(root)
    print_report(report, args.format)
    failed = report.failed(strict=args.strict)
    if args.format == "text":
        print(("Check failed: " if failed else "Check passed: ") + report.summary(),
              file=sys.stderr)
    return 1 if failed else 0


def _build(root: Path, args: argparse.Namespace) -> int:
    result = build(root, Path(args.out).resolve() if args.out else None, strict=args.strict,
                   final=args.final)
    print_report(result.report, args.format)
    if args.format == "text":
        outcome = ("Build published: " if result.published else
                   "Build failed, nothing published: ")
        print(outcome + result.report.summary(), file=sys.stderr)
    return 0 if result.published else 1


def _verify(root: Path, args: argparse.Namespace) -> int:
    public = Path(args.out).resolve() if args.out else root / "public"
    report = verify_site(root, public)
    print_report(report, args.format)
    failed = report.failed(strict=args.strict)
    if args.format == "text":
        print(("Verify failed: " if failed else "Verify passed: ") + report.summary(),
              file=sys.stderr)
    return 1 if failed else 0


def _assign(root: Path, args: argparse.Namespace) -> int:
    _, project, report = load_project(root)
    blocking = [d for d in report.errors if d.code in LEDGER_CODES or d.where.path == LEDGER]
    if project is None or blocking:
        print_report(report, args.format)
        print("No codes issued: fix the ledger problems above first.", file=sys.stderr)
        return 1
    for site_id, code in assign_codes(root, project.sites, project.ledger,
                                      datetime.date.today()):
        print(f"Issued code {code} to {site_id}")
    return 0


def _serve(root: Path, args: argparse.Namespace) -> int:
    from generator.serve import serve

    return serve(root, port=args.port, strict=args.strict,
                 show=lambda report: print_report(report, args.format))


if __name__ == "__main__":
    sys.exit(main())
