"""Completeness per platform on the local replica: for each platform, its columns, what they declare,
what the platform's spider found, and what the generic spider (links only) found on the same sites.

The figures come from the crawl summaries (`columns`: declared / found per column); the generic
spider declares what it can read in common forms; its share of reports is counted against the
replica's catalog (reports: reachable reports of the platform's sites; generic: how many of them
the generic spider fetched; g.declared / g.rows: its own column accounting).
Usage: .venv/bin/python bench/platforms.py
"""
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.registry import load_sources  # noqa: E402
from nianbao.exitcodes import ExitCode  # noqa: E402
from replica.catalog import canonical  # noqa: E402
from replica.server import Replica  # noqa: E402
from tests.crawl_harness import crawl  # noqa: E402


def main():
    sources = {s["id"]: s for s in load_sources()}
    table = defaultdict(lambda: {"sources": 0, "columns": 0, "declaring": 0, "declared": 0, "found": 0,
                                 "catalog": 0, "generic_found": 0, "generic_declared": 0, "generic_rows": 0})
    with Replica(port=0) as replica, tempfile.TemporaryDirectory() as tmp:
        # exit 3 either way: chanhe's 镇街 column is behind a challenge (and the generic spider leaves
        # Pingtan incomplete_list)
        own = crawl(replica, Path(tmp) / "own", expect=ExitCode.SOURCE_NOT_OK)
        generic = crawl(replica, Path(tmp) / "generic", generic=True, expect=ExitCode.SOURCE_NOT_OK)
        found_generic = {canonical(i["record"]["page_url"]) for i in generic.items} | {
            canonical(i["record"]["url"]) for i in generic.items}
        for source_id, summary in own.summary["sources"].items():
            row = table[sources[source_id]["platform"]]
            row["sources"] += 1
            for c in summary["columns"].values():
                row["columns"] += 1
                row["found"] += c["found"]
                if c["declared"] is not None:
                    row["declaring"] += 1
                    row["declared"] += c["declared"]
            for c in generic.summary["sources"][source_id]["columns"].values():
                row["generic_rows"] += c["found"]
                row["generic_declared"] += c["declared"] or 0
            hosts = {urlsplit(u).hostname for u in sources[source_id]["start_urls"]}
            entries = [e for e in replica.catalog.reachable() if e.host in hosts and not e.added]
            row["catalog"] += len(entries)
            row["generic_found"] += sum(any(canonical(u) in found_generic for u in [e.url, *e.urls, *e.attachments])
                                        for e in entries)
    print(f"{'platform':<12}{'sources':>8}{'columns':>8}{'declaring':>10}{'declared':>9}{'found':>7}"
          f"{'reports':>8}{'generic':>8}{'g.declared':>11}{'g.rows':>7}")
    for platform, r in sorted(table.items()):
        print(f"{platform:<12}{r['sources']:>8}{r['columns']:>8}{r['declaring']:>10}{r['declared']:>9}{r['found']:>7}"
              f"{r['catalog']:>8}{r['generic_found']:>8}{r['generic_declared']:>11}{r['generic_rows']:>7}")
    print(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
