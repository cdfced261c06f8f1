"""Command line: ``python -m incidents COMMAND ...``.

Each group of commands lives in :mod:`incidents.commands` and registers its
own sub-parsers, so this file only assembles them. Exit codes are shared:
0 everything was processed, 1 some inputs failed (each named on stderr),
2 usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import sys

from incidents import __version__


def build_parser() -> argparse.ArgumentParser:
    from incidents.cli import geo
    from incidents.cli import reports

    parser = argparse.ArgumentParser(
        prog="python -m incidents",
        description="Turn ceasefire-violation reports into a geocoded incident dataset.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    geo.add_parsers(sub)
    reports.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `... | head`
        return 0
