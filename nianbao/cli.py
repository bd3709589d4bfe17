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


def cmd_crawl(args):
    from crawler.run import run_crawl
    overrides = dict(kv.split("=", 1) for kv in args.set)
    summary = run_crawl(args.source or None, data_dir=args.data, replica=args.replica, db=args.db,
                        overrides=overrides, generic=args.generic)
    failed = False
    for source_id, s in summary["sources"].items():
        print(f"{source_id}: {s['pages_fetched']} fetched, {s['new']} new, {s['changed']} changed, "
              f"{s['unchanged']} unchanged, {s['duplicates']} duplicates, blocked {s['blocked']}, "
              f"failures {s['failures'] or 0}")
        failed |= s["pages_fetched"] == 0
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nianbao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse annual reports (HTML, text, PDF, DOCX, DOC/WPS)")
    p.add_argument("--json", action="store_true", help="one JSON object per line per document")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_parse)
    c = sub.add_parser("crawl", help="crawl the registry's portals into the archive (and the database)")
    c.add_argument("--source", action="append", help="a source id from crawler/sources.yaml (repeatable)")
    c.add_argument("--data", default="data", help="data directory: archive/, runs/, crawl state")
    c.add_argument("--db", help="SQLite database to store parsed reports in")
    c.add_argument("--replica", help="route every portal host to this replica, e.g. http://127.0.0.1:8800")
    c.add_argument("--generic", action="store_true", help="use the generic spider for every source")
    c.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a Scrapy setting")
    c.set_defaults(func=cmd_crawl)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
