"""Query latency of the published site on a generated database of 1,000,000 reports.

    .venv/bin/python bench/query.py                      # 1M reports, every value row (about 45 min, 17 GB)
    .venv/bin/python bench/query.py --reports 20000 --repeat 5   # quick run

1. Generates a synthetic but realistic database with the product's own schema (db.schema): agencies
   of every level in every province, reports 2017-2024 in the right template, a table-consistent
   applications table (A1-A3 hold), report_totals, summary tables, both search indexes.
   Every report has its row, totals, search text and summary rows, and every report printed in a
   template (2019 on) all its value rows (about 145 cells); 2017-2018 reports are free-form, as real
   ones are, and have none. --values-fraction below 1 keeps value rows and long search text for that
   share of reports only (a quicker, smaller run; the file size is then extrapolated).
2. Measures Store.add_report (the path `nianbao build` takes) on a sample, to estimate a full build.
3. Starts Datasette exactly as `nianbao serve` does (db.serve.command) and times every canned query,
   the facet pages and the searches: p50 and p95 over --repeat runs each.
"""
import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from db import schema, search, summary, totals  # noqa: E402
from db.classify import level_of  # noqa: E402
from db.fields import columns  # noqa: E402
from db.routes import original_path  # noqa: E402
from db.store import Store  # noqa: E402
from tests.serving import free_port  # noqa: E402
from pipelines import template as T  # noqa: E402
from pipelines.records import CrawledDocument  # noqa: E402

PROVINCES = ["河南省", "福建省", "湖北省", "广东省", "山东省", "江苏省", "浙江省", "四川省", "湖南省", "河北省",
             "安徽省", "江西省", "陕西省", "山西省", "辽宁省", "吉林省", "云南省", "贵州省", "甘肃省", "海南省",
             "青海省", "黑龙江省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区"]
SYLLABLES = "安宁平阳新兴华东西南北中山河江海湖林泉清明德昌盛丰源泰和永康长乐吉祥宝鼎金石桂兰松柏云龙凤鹤洛郑汴许"
DEPARTMENTS = ["人民政府办公室", "发展和改革委员会", "教育局", "科学技术局", "公安局", "民政局", "司法局", "财政局",
               "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
               "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局",
               "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "信访局", "林业局", "税务局"]
YEARS = list(range(2017, 2025))
PROSE = ("{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
         "全面推进决策、执行、管理、服务、结果公开。本年新收政府信息公开申请{n}件，上年结转{c}件，予以公开{d}件，"
         "部分公开{p}件，不予公开{w}件，无法提供{u}件，不予处理{r}件，结转下年度继续办理{f}件。"
         "主动公开政府信息，及时发布规章和行政规范性文件，做好行政许可、行政处罚、行政强制信息公开。"
         "因政府信息公开工作被申请行政复议{rv}件，被提起行政诉讼{lt}件。存在的主要问题是公开内容不够全面，"
         "解读回应不够及时，下一步将加强培训，完善制度，提升{place}政务公开质量。")


def make_places(rng, n_places):
    """(place name, region, level) for governments of every level, names unique."""
    seen, places = set(), []
    while len(places) < n_places:
        province = rng.choice(PROVINCES)
        city = "".join(rng.sample(SYLLABLES, 2)) + "市"
        kind = rng.random()
        if kind < 0.05:
            name, region = city, province + city
        else:
            suffix = rng.choice(["县", "区", "市"]) if kind < 0.7 else rng.choice(["镇", "乡", "街道"])
            name = city + "".join(rng.sample(SYLLABLES, 2)) + suffix
            region = province + city
        if name not in seen:
            seen.add(name)
            places.append((name, region))
    return places


def make_agencies(rng, n_agencies):
    places = make_places(rng, max(1, n_agencies // 12))
    agencies = []
    for place, region in places:
        suffix = "办事处" if place.endswith("街道") else "人民政府"
        agencies.append((place + suffix, region, place))
        for dept in rng.sample(DEPARTMENTS, 11):
            agencies.append((place + dept, region, place))
    return agencies[:n_agencies]


def applications(rng, template):
    """A section-三 table whose arithmetic holds: {row: {column: n}} plus totals."""
    rows = T.items("applications", template)
    leaves = T.with_role("applications", "item", "outcome", template)
    weights = {leaf: rng.random() ** 3 for leaf in leaves}
    weights["disclosed"] = 5
    weights["partially_disclosed"] = 1
    table = {r: {} for r in rows}
    scale = rng.lognormvariate(2.5, 1.6)
    for col in T.with_role("applications", "measure", "part"):
        share = 1.0 if col == "natural_person" else rng.random() * 0.1
        new = int(scale * share)
        carried = int(new * rng.random() * 0.05)
        forward = int((new + carried) * rng.random() * 0.05)
        answered = new + carried - forward
        total_w = sum(weights.values())
        left = answered
        for leaf in leaves:
            n = min(left, int(answered * weights[leaf] / total_w))
            table[leaf][col] = n
            left -= n
        table["disclosed"][col] += left
        table["new_received"][col], table["carried_over"][col] = new, carried
        table["results_total"][col], table["carried_forward"][col] = answered, forward
    for r in rows:
        table[r]["total"] = sum(table[r].values())
    return table


def report_cells(rng, template, apps):
    cells = [{"section": "applications", "item": r, "measure": c, "value": v}
             for r, cols in apps.items() for c, v in cols.items()]
    for item, measures in T.proactive_layout(template).items():
        cells += [{"section": "proactive", "item": item, "measure": m, "value": int(rng.lognormvariate(2, 2))}
                  for m in measures]
    for g in T.items("review_litigation", template):
        parts = [int(rng.random() * 3) for _ in range(4)]
        cells += [{"section": "review_litigation", "item": g, "measure": m, "value": v}
                  for m, v in zip(T.measures("review_litigation"), parts + [sum(parts)])]
    return cells


def generate(db_path, n_reports, values_fraction, seed=1):
    """Write the synthetic database; return timings and counts."""
    rng = random.Random(seed)
    if Path(db_path).exists():
        Path(db_path).unlink()
    db = sqlite_utils.Database(db_path)
    # synchronous off is safe enough for a generated file; journal_mode off is not: it corrupted the
    # FTS5 segment b-tree of a million-report index (SQLite 3.40.1) in an earlier run
    db.execute("pragma journal_mode = delete")
    db.execute("pragma synchronous = off")
    db.execute("pragma cache_size = -1000000")
    schema.create(db)
    agencies = make_agencies(rng, max(1, n_reports // len(YEARS)))
    cols = columns("reports")
    report_sql = f"insert into reports ({', '.join(cols)}) values ({', '.join('?' * len(cols))})"
    total_cols = columns("report_totals")
    totals_sql = f"insert into report_totals ({', '.join(total_cols)}) values ({', '.join('?' * len(total_cols))})"
    value_sql = ("insert into report_values (report_id, section, item, measure, value, raw, status, unit, loc) "
                 "values (?, ?, ?, ?, ?, ?, 'number', null, ?)")
    started = time.monotonic()
    report_id, n_values, batch = 0, 0, []
    conn = db.conn
    conn.execute("begin")
    for i in range(n_reports):
        agency, region, place = agencies[i % len(agencies)]
        year = YEARS[(i // len(agencies)) % len(YEARS)]
        if i >= len(agencies) * len(YEARS):
            year = rng.choice(YEARS)
        report_id += 1
        template = "free" if year < 2019 else ("2019" if year < 2021 else "2021")
        with_values = rng.random() < values_fraction
        apps = applications(rng, "2021" if template == "free" else template)
        cells = report_cells(rng, "2021" if template == "free" else template, apps) if template != "free" else []
        t = totals.report_totals(cells) if cells else {}
        failed = int(rng.random() < 0.03)  # about 3% of real reports do not add up
        sha = hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()
        title = f"{agency}{year}年政府信息公开工作年度报告"
        url = f"https://www.{abs(hash(region)) % 100000}.gov.cn/zwgk/nb/{year}/{i}.html"
        row = {"id": report_id, "agency": agency, "year": year, "title": title, "level": level_of(agency),
               "region": region, "template": template, "published_date": f"{year + 1}-03-{rng.randint(1, 31):02d}",
               "archived_original": original_path(sha), "parse_status": "ok" if rng.random() > 0.02 else "needs_ocr",
               "checks_failed": failed * rng.randint(1, 4), "checks_passed": 42 - failed, "checks_not_checkable": 0,
               "values_count": len(cells) if with_values else 0, "version": 1, "is_current": 1, "doc_id": report_id,
               "source_id": f"src-{abs(hash(region)) % 400}", "list_title": title, "publisher": agency,
               "written_date": f"{year + 1}-01-15", "index_no": f"{i:012d}/{year + 1}-00001", "url": url,
               "page_url": url, "content_type": "text/html; charset=utf-8", "http_status": 200, "format": "html",
               "bytes": 40000 + i % 20000, "sha256": sha, "warc_file": f"nianbao-{year + 1}-{i // 10000:05d}.warc.gz",
               "warc_record_id": f"<urn:uuid:{sha[:8]}-{sha[8:12]}-{sha[12:16]}-{sha[16:20]}-{sha[20:32]}>",
               "fetched_at": f"{year + 1}-04-01T02:00:00+00:00", "last_seen_at": "2026-11-20T02:00:00+00:00",
               "parse_message": None, "warnings": "[]"}
        conn.execute(report_sql, [row[c] for c in cols])
        conn.execute(totals_sql, [report_id] + [t.get(c) for c in total_cols[1:]])
        a = apps
        prose = PROSE.format(year=year, agency=agency, place=place, n=a["new_received"]["total"],
                             c=a["carried_over"]["total"], d=a["disclosed"]["total"],
                             p=a["partially_disclosed"]["total"], w=t.get("withheld") or 0,
                             u=t.get("unavailable") or 0, r=t.get("rejected") or 0, f=a["carried_forward"]["total"],
                             rv=t.get("review_total") or 0, lt=t.get("litigation_total") or 0)
        text = prose * 4 if with_values else prose[:160]
        conn.execute("insert into reports_fts(rowid, title, agency, text) values (?, ?, ?, ?)",
                     [report_id, title, agency, search.normalize(text)])
        conn.execute("insert into reports_bigrams(rowid, tokens) values (?, ?)",
                     [report_id, search.bigram_tokens(title, agency, text)])
        if with_values and cells:
            batch += [(report_id, c["section"], c["item"], c["measure"], c["value"], str(c["value"]),
                       '{"table": 1, "row": %d, "col": %d}' % (k // 7, k % 7)) for k, c in enumerate(cells)]
        if len(batch) > 200000:
            conn.executemany(value_sql, batch)
            n_values += len(batch)
            batch = []
        if report_id % 50000 == 0:
            conn.execute("commit")
            conn.execute("begin")
            print(f"  {report_id:,} reports, {n_values + len(batch):,} values, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
    conn.executemany(value_sql, batch)
    n_values += len(batch)
    conn.execute("commit")
    generated = time.monotonic() - started
    summary.refresh(db)
    conn.execute("insert into reports_fts(reports_fts) values ('optimize')")
    conn.execute("insert into reports_bigrams(reports_bigrams) values ('optimize')")
    conn.execute("analyze")
    check = conn.execute("pragma quick_check").fetchone()[0]
    value_bytes = conn.execute("select sum(pgsize) from dbstat where name = 'report_values' "
                               "or name like 'sqlite_autoindex_report_values%'").fetchone()[0] or 0
    db.conn.close()
    return {"reports": n_reports, "values": n_values, "agencies": len(agencies),
            "generate_seconds": round(generated, 1), "finish_seconds": round(time.monotonic() - started - generated, 1),
            "db_bytes": os.path.getsize(db_path), "quick_check": check,
            "bytes_per_value": round(value_bytes / n_values, 1) if n_values else None}


def store_throughput(tmp_dir, n=1000, seed=2):
    """Reports per second through Store.add_report, the path of `nianbao build` (parsing excluded)."""
    rng = random.Random(seed)
    path = Path(tmp_dir) / "store-sample.db"
    if path.exists():
        path.unlink()
    store = Store(path, batch=1000)  # as db.build does
    agencies = make_agencies(rng, n)
    started = time.monotonic()
    for i, (agency, region, _place) in enumerate(agencies[:n]):
        apps = applications(rng, "2021")
        cells = [dict(c, raw=str(c["value"]), status="number", unit=None, loc={"line": k})
                 for k, c in enumerate(report_cells(rng, "2021", apps))]
        url = f"https://example.gov.cn/{i}.html"
        store.add_report(CrawledDocument(source_id="s", url=url, page_url=url, sha256=f"{i:064x}",
                                         fetched_at="2026-01-01T00:00:00+00:00"),
                         {"title": f"{agency}2023年政府信息公开工作年度报告", "agency": agency, "year": 2023,
                          "template": "2021", "format": "html", "cells": cells, "checks": [], "warnings": [],
                          "text": PROSE * 4})
    seconds = time.monotonic() - started
    store.close()
    return round(n / seconds, 1)


def endpoints(db_path, rng, n):
    """(name, path) of every canned query and facet page, with realistic parameters."""
    conn = sqlite_utils.Database(db_path)
    agencies = [r["agency"] for r in conn.query("select agency from agencies order by random() limit ?", [n])]
    regions = [r["region"] for r in conn.query("select distinct region from reports limit 50")]
    with_values = [r["id"] for r in conn.query(
        "select id from reports where values_count > 0 order by random() limit ?", [n])]
    # place names as a journalist types them: a county or town (3 characters) or its city (2)
    places3 = [a[:3] for a in agencies]
    places2 = [a[:2] for a in agencies]
    # the places the division codes found in the agencies' names (the synthetic names hit some by chance)
    cities = [r["city_name"] for r in conn.query("select distinct city_name from agencies where city_name is not null "
                                                 "limit 50")] or ["郑州市"]
    conn.conn.close()
    pick = lambda xs: xs[rng.randrange(len(xs))]  # noqa: E731
    year = lambda: str(rng.choice(YEARS[2:]))  # noqa: E731
    name = Path(db_path).stem  # Datasette names the database after the file
    q = lambda path, **p: (f"{path}?{urlencode(p)}" if p else path).replace("/nianbao/", f"/{name}/", 1)  # noqa: E731
    return {
        "query top_agencies (year)": lambda: q("/nianbao/top_agencies", year=year()),
        "query top_agencies (all years)": lambda: q("/nianbao/top_agencies", year=""),
        "query refused_share (year)": lambda: q("/nianbao/refused_share", year=year()),
        "query refused_share (all years)": lambda: q("/nianbao/refused_share", year=""),
        "query year_over_year": lambda: q("/nianbao/year_over_year", year=year(), agency=""),
        "query national_trend": lambda: q("/nianbao/national_trend"),
        "query failing_reports (year)": lambda: q("/nianbao/failing_reports", year=year()),
        "query failing_reports (all years)": lambda: q("/nianbao/failing_reports", year=""),
        "query missing_reports": lambda: q("/nianbao/missing_reports", year=year()),
        "query agency_history": lambda: q("/nianbao/agency_history", agency=pick(agencies)),
        "query search (2 chars, a place)": lambda: q("/nianbao/search", q=pick(places2)),
        "query search (3+ chars, a place)": lambda: q("/nianbao/search", q=pick(places3)),
        "query search (2 chars, in every report: 公开)": lambda: q("/nianbao/search", q="公开"),
        "query search (3+ chars, in every report: 不予公开)": lambda: q("/nianbao/search", q="不予公开"),
        "facets reports (default facets)": lambda: q("/nianbao/reports"),
        "facets reports ?year=": lambda: q("/nianbao/reports", year=year()),
        "facets reports ?year=&level=": lambda: q("/nianbao/reports", year=year(), level="county"),
        "facets reports ?region=": lambda: q("/nianbao/reports", region=pick(regions)),
        "table reports _search (2 chars, a place)": lambda: q("/nianbao/reports", _search=pick(places2)),
        "table reports _search (3+ chars, a place)": lambda: q("/nianbao/reports", _search=pick(places3)),
        "table reports _search (in every report: 公开)": lambda: q("/nianbao/reports", _search="公开"),
        "table reports _search (in every report: 不予公开)": lambda: q("/nianbao/reports", _search="不予公开"),
        "table reports _search (a place + 不予公开)": lambda: q("/nianbao/reports", _search=pick(places3) + " 不予公开"),
        "view applications_wide (one report)": lambda: q("/nianbao/applications_wide", report_id=pick(with_values)),
        "view applications_wide (one agency)": lambda: q("/nianbao/applications_wide", agency=pick(agencies)),
        "view applications_wide (unfiltered)": lambda: q("/nianbao/applications_wide"),
        "view proactive_wide (year, item)": lambda: q("/nianbao/proactive_wide", year=year(), item="rules"),
        "table report_values (unfiltered)": lambda: q("/nianbao/report_values"),
        "table agency_years (2 facets)": lambda: q("/nianbao/agency_years"),
        "table failed_checks (2 facets)": lambda: q("/nianbao/failed_checks"),
        "row page of a report": lambda: q(f"/nianbao/reports/{pick(with_values)}"),
        "report page /report/<id>": lambda: f"/report/{pick(with_values)}",
        "report cells /report/<id>.csv": lambda: f"/report/{pick(with_values)}.csv",
        "query peers (a report)": lambda: q("/nianbao/peers", report_id=str(pick(with_values)), agency="", year=""),
        "query agencies_in (a city)": lambda: q("/nianbao/agencies_in", place=pick(cities)),
        "facets agencies (5 facets)": lambda: q("/nianbao/agencies"),
        "table report_values (one report)": lambda: q("/nianbao/report_values", report_id=pick(with_values)),
        "facets agency_years ?year=": lambda: q("/nianbao/agency_years", year=year()),
        "csv top_agencies": lambda: q("/nianbao/top_agencies.csv", year=year()),
        "json reports ?year=&_facet": lambda: q("/nianbao/reports.json", year=year()),
    }


def time_url(base, path):
    started = time.monotonic()
    with urllib.request.urlopen(base + quote(path, safe="/?=&%:_.-"), timeout=120) as r:
        body = r.read()
        status = r.status
    elapsed = (time.monotonic() - started) * 1000
    if status != 200 or b"Error 500" in body[:2000] or b"interrupted" in body[:20000].lower():
        raise RuntimeError(f"{path}: status {status}")
    return elapsed


def measure(db_path, repeat, archive_dir=None):
    from db.serve import command
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(Path(db_path).with_suffix(".datasette.log"), "wb")
    proc = subprocess.Popen(command(db_path, port=port, archive_dir=archive_dir), stdout=log, stderr=log)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        rng = random.Random(3)
        results = {}
        for name, make in endpoints(db_path, rng, repeat * 4).items():
            times, errors = [], 0
            try:
                time_url(base, make())  # warm-up: the first read of pages from disk
            except Exception:
                pass
            for _ in range(repeat):
                try:
                    times.append(time_url(base, make()))
                except Exception as e:
                    errors += 1
                    print("   ", e, file=sys.stderr)
            if times:
                times.sort()
                p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
                results[name] = {"p50_ms": round(statistics.median(times)), "p95_ms": round(p95), "errors": errors}
            else:
                results[name] = {"p50_ms": None, "p95_ms": None, "errors": errors}
            print(f"  {name:40s} p50 {results[name]['p50_ms']} ms  p95 {results[name]['p95_ms']} ms"
                  f"{'  errors ' + str(errors) if errors else ''}", flush=True)
        return results
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reports", type=int, default=1_000_000)
    p.add_argument("--values-fraction", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--db", default=str(ROOT / "bench" / "results" / "bench.db"))
    p.add_argument("--reuse", action="store_true", help="measure an existing --db without generating it again")
    args = p.parse_args(argv)
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    out = {"machine": f"{os.cpu_count()} cores", "args": vars(args)}
    if not args.reuse:
        print(f"generating {args.reports:,} reports (values for {args.values_fraction:.0%}) …", flush=True)
        out["build"] = generate(args.db, args.reports, args.values_fraction)
        b = out["build"]
        full_values = b["values"] / max(args.values_fraction, 1e-9)
        print(f"  {b['reports']:,} reports, {b['values']:,} values in {b['generate_seconds']} s "
              f"(+{b['finish_seconds']} s summaries, optimize, analyze); {b['db_bytes'] / 2**30:.2f} GiB", flush=True)
        out["store_reports_per_second"] = store_throughput(Path(args.db).parent)
        print(f"  Store.add_report: {out['store_reports_per_second']} reports/s "
              f"(~{args.reports / out['store_reports_per_second'] / 3600:.1f} h for {args.reports:,}, parsing excluded);"
              f" all {full_values:,.0f} value rows would add about "
              f"{(full_values - b['values']) * (b['bytes_per_value'] or 0) / 2**30:.1f} GiB "
              f"({b['bytes_per_value']} bytes a value row)", flush=True)
    print("measuring through datasette …", flush=True)
    out["latency"] = measure(args.db, args.repeat)
    worst = max((r["p95_ms"] or 10**9) for r in out["latency"].values())
    print(f"worst p95: {worst} ms (target 500 ms)")
    result_path = Path(args.db).with_suffix(".json")
    result_path.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    print("results:", result_path)


if __name__ == "__main__":
    main()
