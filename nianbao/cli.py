"""The `nianbao` command: parse documents (and, later, crawl, build, serve)."""
import argparse
import json
import sys

from pipelines.parse import parse_file
from pipelines.summary import render_summary


def cmd_parse(args):
    failed = False
    for path in args.files:
        result = parse_file(path)
        failed |= "error" in result
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(render_summary(result, color=sys.stdout.isatty()), flush=True)
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nianbao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse annual reports (HTML, text, PDF, DOCX, DOC/WPS)")
    p.add_argument("--json", action="store_true", help="one JSON object per line per document")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_parse)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
