"""The `nianbao` command: parse documents, crawl the portals, build the database, serve it."""
import argparse
import json
import sys
import traceback

from crawler.errors import ConfigurationError, CrawlError
from pipelines.parse import parse_file
from pipelines.summary import render_summary
from replica.cli import add_arguments as add_replica_arguments, run as cmd_replica

from .exitcodes import HELP as EXIT_HELP
from .exitcodes import ExitCode


def limits(args):
    from pipelines.bounded import LIMITS, Limits
    return Limits(seconds=args.time_limit or LIMITS.seconds,
                  memory=int(args.memory_limit * 2**20) if args.memory_limit else LIMITS.memory)


def add_limit_arguments(p):
    from pipelines.bounded import LIMITS
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help=f"parsing time allowed for one document (default {LIMITS.seconds:g})")
    p.add_argument("--memory-limit", type=float, metavar="MIB",
                   help=f"memory (address space) of one parsing process (default {LIMITS.memory >> 20})")


def cmd_parse(args):
    from pipelines.bounded import BoundedParser
    failed = False
    with BoundedParser(1, limits(args)) as parser:  # one file at a time, each under the limits
        for path in args.files:
            failed |= show(parse_file(path, parser), args.json)
    return ExitCode.UNPARSED if failed else ExitCode.OK


def show(result, as_json):
    """Print one result; True when it was not parsed or its tables were not read."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False), flush=True)
    else:
        print(render_summary(result, color=sys.stdout.isatty()), flush=True)
    return "error" in result or "status" in result


def cmd_crawl(args):
    from crawler.run import run_crawl
    from crawler.runlog import sources_not_ok
    summary = run_crawl(args.source or None, data_dir=args.data, replica=args.replica, db=args.db,
                        overrides=dict(args.set), generic=args.generic, settings_module=args.settings)
    for source_id, s in summary["sources"].items():
        print(f"{source_id}: {s['status']}; {s['pages_fetched']} fetched, {s['new']} new, {s['changed']} changed, "
              f"{s['unchanged']} unchanged, {s['not_modified']} not modified, {s['duplicates']} duplicates, "
              f"blocked {s['blocked']}, failures {s['failures'] or 0}")
    not_ok = sources_not_ok(summary)
    if not_ok:
        print(f"{len(not_ok)} of {len(summary['sources'])} sources not ok: "
              + ", ".join(f"{source_id} ({status})" for source_id, status in not_ok))
        return ExitCode.SOURCE_NOT_OK
    return ExitCode.OK


def setting(text):
    """KEY=VALUE, for --set."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def cmd_build(args):
    from .commands import build
    counts = build(args.data, args.db, args.workers, limits(args))
    if not counts["documents"]:
        print(f"nianbao build: no archived document under {args.data}/archive", file=sys.stderr)
        return ExitCode.USAGE
    return ExitCode.ARCHIVE_PROBLEMS if counts["archive_problems"] else ExitCode.OK


def cmd_check_archive(args):
    from pipelines.archive import check_archive, warc_files

    from .commands import report_archive_problems, say
    archive = f"{args.data}/archive"
    problems = check_archive(archive)
    say(f"{len(warc_files(archive))} WARC files read through under {archive}: "
        f"{len({p.warc_file for p in problems})} with problems")
    report_archive_problems(problems)
    return ExitCode.ARCHIVE_PROBLEMS if problems else ExitCode.OK


def cmd_serve(args):
    from .commands import serve
    return serve(args.db or f"{args.data}/nianbao.db", args.port, args.data).wait()


def cmd_demo(args):
    from .commands import demo
    return demo(args.data, args.port, args.replica_port)


def cmd_nightly(args):
    from .commands import nightly
    return nightly(args.data, args.source or ())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nianbao", description=__doc__, epilog=EXIT_HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse annual reports (HTML, text, PDF, DOCX, DOC/WPS)")
    p.add_argument("--json", action="store_true", help="one JSON object per line per document")
    p.add_argument("files", nargs="+")
    add_limit_arguments(p)
    p.set_defaults(func=cmd_parse)
    c = sub.add_parser("crawl", help="crawl the registry's portals into the archive (and the database)",
                       description="Crawl the registry's portals into the archive (and the database); print "
                                   "per source its status (ok, blocked, unreachable).",
                       epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--source", action="append", help="a source id from crawler/sources.yaml (repeatable)")
    c.add_argument("--data", default="data", help="data directory: archive/, runs/, crawl state")
    c.add_argument("--db", help="SQLite database to store parsed reports in")
    c.add_argument("--replica", help="route every portal host to this replica, e.g. http://127.0.0.1:8800")
    c.add_argument("--generic", action="store_true", help="use the generic spider for every source")
    c.add_argument("--settings", metavar="MODULE",
                   help="the settings module of the environment: crawler.settings.production (default), "
                        "crawler.settings.replica (default with --replica), tests.crawl_settings, or your own")
    c.add_argument("--set", action="append", default=[], type=setting, metavar="KEY=VALUE",
                   help="a Scrapy setting, over the settings module (repeatable)")
    c.set_defaults(func=cmd_crawl)
    b = sub.add_parser("build", help="rebuild the database from the archive alone, re-parsing every document")
    b.add_argument("--data", default="data")
    b.add_argument("--db", help="default: DATA/nianbao.db")
    b.add_argument("--workers", type=int, help="parsing processes (default: cores - 1)")
    add_limit_arguments(b)
    b.set_defaults(func=cmd_build)
    k = sub.add_parser("check-archive", help="read every WARC file through and report torn or unreadable records",
                       epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    k.add_argument("--data", default="data")
    k.set_defaults(func=cmd_check_archive)
    v = sub.add_parser("serve", help="publish the database with Datasette (read-only)")
    v.add_argument("--data", default="data")
    v.add_argument("--db")
    v.add_argument("--port", type=int, default=8001)
    v.set_defaults(func=cmd_serve)
    d = sub.add_parser("demo", help="replica portals -> crawl -> database -> Datasette on :8001")
    d.add_argument("--data", default="data")
    d.add_argument("--port", type=int, default=8001)
    d.add_argument("--replica-port", type=int, default=8800)
    d.set_defaults(func=cmd_demo)
    r = sub.add_parser("replica", help="serve the replica portals on 127.0.0.1 (the demo's, the tests')")
    add_replica_arguments(r)
    r.set_defaults(func=cmd_replica)
    n = sub.add_parser("nightly", help="crawl the real portals and rebuild the database",
                       epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("--data", default="data")
    n.add_argument("--source", action="append")
    n.set_defaults(func=cmd_nightly)
    args = parser.parse_args(argv)  # bad arguments: argparse exits with 2 (ExitCode.USAGE)
    try:
        return int(args.func(args))
    except ConfigurationError as e:
        print(f"nianbao {args.command}: {e}", file=sys.stderr)
        return ExitCode.USAGE
    except CrawlError as e:
        print(f"nianbao {args.command}: {e}", file=sys.stderr)
        return ExitCode.ERROR
    except Exception:  # noqa: BLE001 - a crash: say where, exit 1
        traceback.print_exc()
        return ExitCode.ERROR


if __name__ == "__main__":
    sys.exit(main())
