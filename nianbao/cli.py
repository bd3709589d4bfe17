"""The `nianbao` command: parse documents, crawl the portals, build the database, serve it."""
import argparse
import json
import os
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
    from crawler.runlog import column_lines, sources_not_ok
    if args.redis and args.db:
        raise ConfigurationError("--db cannot be used with --redis (workers would write one SQLite file at once): "
                                 "crawl, then `nianbao build`")
    if args.worker_of:
        run_id, _, number = args.worker_of.partition(":")
        run_crawl(args.source or None, data_dir=args.data, replica=args.replica, overrides=dict(args.set),
                  generic=args.generic, settings_module=args.settings, worker=(args.redis, run_id, number))
        return ExitCode.OK  # the coordinator judges the run from the merged summary
    if args.redis:
        from crawler.workers import run_workers
        summary = run_workers(args.workers, args.redis, args.source or None, data_dir=args.data,
                              replica=args.replica, settings_module=args.settings, overrides=dict(args.set),
                              generic=args.generic)
        print(f"{len(summary['workers'])} workers (exits {summary['workers']}), "
              f"{summary['recovery_rounds']} recovery rounds")
    elif args.workers != 1:
        raise ConfigurationError("--workers needs --redis (the workers share the crawl through it)")
    else:
        summary = run_crawl(args.source or None, data_dir=args.data, replica=args.replica, db=args.db,
                            overrides=dict(args.set), generic=args.generic, settings_module=args.settings)
    for source_id, s in summary["sources"].items():
        print(f"{source_id}: {s['status']}; {s['pages_fetched']} fetched, {s['new']} new, {s['changed']} changed, "
              f"{s['unchanged']} unchanged, {s['not_modified']} not modified, {s['duplicates']} duplicates, "
              f"blocked {s['blocked']}, failures {s['failures'] or 0}")
        for line in column_lines(s):
            print(line)
        for monitor, outcome in (s.get("monitors") or {}).items():
            if outcome != "ok":
                print(f"  monitor {monitor}: {outcome}")
    not_ok = sources_not_ok(summary)
    if not_ok:
        print(f"{len(not_ok)} of {len(summary['sources'])} sources not ok: "
              + ", ".join(f"{source_id} ({status})" for source_id, status in not_ok))
        return ExitCode.SOURCE_NOT_OK
    return ExitCode.OK


def cmd_probe(args):
    from crawler.probe import probe, render
    result = probe(args.url, replica=args.replica)
    print(render(result))
    return ExitCode.OK if result.platform else ExitCode.UNRECOGNISED


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
    return nightly(args.data, args.source or (), replica=args.replica, keep=args.keep,
                   alert_command=args.alert_command, alert_webhook=args.alert_webhook,
                   alert_always=args.alert_always, redis=args.redis, workers=args.workers)


def cmd_release(args):
    from db.release import ReleaseError

    from .commands import release
    try:
        return release(args.data, args.keep, args.date)
    except ReleaseError as e:
        print(f"nianbao release: {e}", file=sys.stderr)
        return ExitCode.USAGE


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
                                   "per source its status (ok, blocked, unreachable, incomplete_list) and per column the "
                                   "rows it declares, found and missing.",
                       epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--source", action="append", help="a source id from crawler/sources.yaml (repeatable)")
    c.add_argument("--data", default="data", help="data directory: archive/, runs/, crawl state")
    c.add_argument("--db", help="SQLite database to add the parsed reports to (written beside it, renamed into "
                                "place at the end)")
    c.add_argument("--replica", help="route every portal host to this replica, e.g. http://127.0.0.1:8800")
    c.add_argument("--generic", action="store_true", help="use the generic spider for every source")
    c.add_argument("--settings", metavar="MODULE",
                   help="the settings module of the environment: crawler.settings.production (default), "
                        "crawler.settings.replica (default with --replica), tests.crawl_settings, or your own")
    c.add_argument("--set", action="append", default=[], type=setting, metavar="KEY=VALUE",
                   help="a Scrapy setting, over the settings module (repeatable)")
    c.add_argument("--redis", metavar="URL", help="share the crawl through this Redis (scrapy-redis queue and "
                   "duplicate filter; the crawl state in Redis too), e.g. redis://127.0.0.1:6379/0")
    c.add_argument("--workers", type=int, default=1, help="with --redis: crawl worker processes on this machine")
    c.add_argument("--worker-of", metavar="RUN:N", help=argparse.SUPPRESS)  # a worker started by the coordinator
    c.set_defaults(func=cmd_crawl)
    pr = sub.add_parser("probe", help="what the crawler makes of a portal's column: platform, rows, pager, one report",
                        description="Fetch one start page, name its platform, count its rows against the declared "
                                    "total, show the pager it would follow, read and parse one report page, and print a "
                                    "sources.yaml entry.", epilog=EXIT_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pr.add_argument("url", help="the column's first list page")
    pr.add_argument("--replica", help="route the host to this replica, e.g. http://127.0.0.1:8800")
    pr.set_defaults(func=cmd_probe)
    b = sub.add_parser("build", help="rebuild the database from the archive alone, re-parsing every document")
    b.add_argument("--data", default="data")
    b.add_argument("--db", help="default: DATA/nianbao.db")
    b.add_argument("--workers", type=int, help="parsing processes (default: one per core but one, which the store keeps busy)")
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
    n = sub.add_parser("nightly", help="crawl the real portals, rebuild the database, release it and report "
                       "(one run at a time)", epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("--data", default="data")
    n.add_argument("--source", action="append")
    n.add_argument("--replica", help="crawl the replica at this URL instead of the real portals (tests, demos)")
    n.add_argument("--keep", type=int, help="releases to keep (default 7)")
    n.add_argument("--alert-command", default=os.environ.get("NIANBAO_ALERT_COMMAND"),
                   help="shell command that receives the health report (JSON) on its standard input "
                        "[env NIANBAO_ALERT_COMMAND]")
    n.add_argument("--alert-webhook", default=os.environ.get("NIANBAO_ALERT_WEBHOOK"),
                   help="URL the health report (JSON) is POSTed to [env NIANBAO_ALERT_WEBHOOK]")
    n.add_argument("--alert-always", action="store_true", help="send the report every run, not only on problems")
    n.add_argument("--redis", metavar="URL", help="crawl with workers sharing this Redis (see crawl --redis)")
    n.add_argument("--workers", type=int, default=1, help="with --redis: crawl worker processes")
    n.set_defaults(func=cmd_nightly)
    r = sub.add_parser("release", help="write a dated release of the database: DIR/releases/YYYY-MM-DD/ with "
                       "SHA256SUMS and CHANGES", epilog=EXIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--data", default="data")
    r.add_argument("--keep", type=int, help="releases to keep (default 7)")
    r.add_argument("--date", help="the release's date, YYYY-MM-DD (default today)")
    r.set_defaults(func=cmd_release)
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
