"""A Hanweb 大汉 JCMS county site (portals.md §2.1): www.xinxiangxian.gov.cn (新乡县).

    /col/col14251/index.html                 信息公开年报 column: first 15 records embedded as <datastore> XML
    /col/col14251/index.html?uid=72581&pageNum=N   the same page with page N embedded (newer builds)
    /module/web/jpage/dataproxy.jsp          GET or POST: startrecord, endrecord, perpage (or page), columnid, ...
                                             -> <datastore><totalrecord/><totalpage/><recordset><record>CDATA</record>
        Which parameters count differs by server (platforms.md §5): `honours = "startrecord"` (jiangsu.gov.cn,
        nhsa: the start/end window, `page` only without it) or "page" (Yancheng, Funing, Dongtai: startrecord
        ignored, `page` and `perpage` honoured, one answer capped at PAGE_CAP rows)
    /art/YYYY/M/D/art_<col>_<id>.html        detail: metadata table, div#zoom between ContentStart/ContentEnd meta
    /module/download/downfile.jsp?classid=0&filename=<32hex>.<ext>  -> 302 -> /attach/0/<32hex>.<ext>
    /col/col14255/index.html                 通知公告 (not reports)
"""
import hashlib
import re
from datetime import date, timedelta
from urllib.parse import quote

from replica.sites.base import Column, Item, Site, attachment_name, new_entry
from replica.sites.common import (Resource, Response, esc, generated, html_response, not_found, org_code,
                                        publication_day, published_at, redirect, report_fragment, rng_for,
                                        seed_report, truncate)

HOST = "www.xinxiangxian.gov.cn"
SITE_NAME = "新乡县人民政府"
WEBID = 38
PER_PAGE = 15
PAGE_CAP = 300  # rows one answer holds at most on the servers that go by `page` (a 621-row column gave 301)
COLUMNS = {"col14251": (14251, 72581, "政府信息公开年报", "report"),
           "col14255": (14255, 72585, "通知公告", "non-report")}

# (agency, years, {year: overrides}); overrides: formats, seed, obstacle, charset
REPORTS = [
    ("新乡县人民政府", range(2017, 2025), {2021: dict(formats=("pdf",)), 2020: dict(formats=("html", "pdf"))}),
    ("新乡县城市管理局", range(2020, 2025), {2023: dict(seed="004", formats=("html", "pdf", "docx"))}),
    ("新乡县教育局", range(2019, 2025), {2022: dict(formats=("docx",))}),
    ("新乡县财政局", range(2019, 2025), {2021: dict(formats=("image-pdf",))}),
    ("新乡县七里营镇人民政府", range(2019, 2025), {2022: dict(obstacle="slow")}),
    ("新乡县小冀镇人民政府", range(2020, 2025), {2023: dict(obstacle="reset_once")}),
    ("新乡县朗公庙镇人民政府", range(2021, 2025), {2022: dict(obstacle="reset_always")}),
    ("新乡县翟坡镇人民政府", range(2021, 2025), {2022: dict(charset="meta-only"), 2023: dict(charset="header-only"),
                                             2024: dict(charset="utf8-declared-gbk")}),
]

NOTICES = ["关于{y}年春节期间烟花爆竹禁放的通告", "新乡县{y}年招聘教师公告", "关于开展{y}年度政务公开培训的通知",
           "新乡县{y}年度政府信息公开工作年度报告编制工作提示", "关于征求{y}年民生实事项目意见的公告"]

# How each charset variant is served: (bytes encoding, Content-Type header, <meta> in the page)
CHARSETS = {
    "utf-8": ("utf-8", "text/html; charset=UTF-8", '<meta charset="utf-8">'),
    "header-only": ("gbk", "text/html; charset=GBK", ""),
    "meta-only": ("gbk", "text/html", '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'),
    "utf8-declared-gbk": ("utf-8", "text/html", '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'),
}


def _kind(agency):
    from replica.generate import agency_kind
    return agency_kind(agency)


class HanwebSite(Site):
    platform = "hanweb"
    addable = ("col14251",)

    def __init__(self, catalog):
        super().__init__(HOST, catalog)
        for code, (_, _, name, kind) in COLUMNS.items():
            self.columns[code] = Column(code, name, kind)
        self.ids = rng_for("hanweb-ids")
        self.last_id = 1600000
        self.added = 0
        self.seq = {}         # (agency, year) -> last 索引号 number
        self.honours = "startrecord"  # or "page": see the module's docstring

    def next_id(self):
        self.last_id += self.ids.randint(3, 400)
        return self.last_id

    # -- serving --

    def handle(self, req):
        if req.path in ("/", "/index.html"):
            links = "".join(f'<li><a href="/col/{c}/index.html">{esc(v[2])}</a></li>' for c, v in COLUMNS.items())
            return html_response(self.chrome(SITE_NAME, f'<ul class="nav-list">{links}</ul>'))
        m = re.fullmatch(r"/col/(col\d+)/(?:index\.html)?", req.path)
        if m and m.group(1) in self.columns:
            q = req.query
            page = int(q["pageNum"]) if q.get("pageNum", "").isdigit() else 1
            return self.column_page(m.group(1), max(1, page))
        if req.path in ("/module/web/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp"):
            return self.dataproxy(req.query)
        if req.path == "/module/download/downfile.jsp":
            name = req.query.get("filename", "")
            if f"/attach/0/{name}" in self.docs:
                return redirect(f"/attach/0/{name}")
            return not_found()
        doc = self.docs.get(req.path)
        return doc.response() if doc else None

    def chrome(self, title, body, meta="", head_charset='<meta charset="utf-8">'):
        return (f'<!DOCTYPE html>\n<html>\n<head>\n{head_charset}\n<title>{esc(title)}</title>\n{meta}'
                '<script type="text/javascript" src="/module/web/jpage/jquery.min.js"></script>\n</head>\n<body>\n'
                f'<div class="header"><a href="/">{SITE_NAME}</a></div>\n'
                '<div class="nav"><a href="/">首页</a><a href="/col/col14251/index.html">政府信息公开</a></div>\n'
                f'{body}\n<div class="footer">主办单位：{SITE_NAME}办公室　技术支持：南京大汉网络有限公司</div>\n'
                '</body>\n</html>\n')

    @staticmethod
    def record(item):
        return (f'<li><a href="{esc(item.href)}" title="{esc(item.title)}" target="_blank">{esc(truncate(item.title))}'
                f'</a><span class="bt-data-time">{item.date}</span></li>')

    def params(self, code):
        colid, unitid, _, _ = COLUMNS[code]
        return dict(col=1, appid=1, webid=WEBID, path="/", columnid=colid, sourceContentType=1, unitid=unitid,
                    webname=SITE_NAME, permissiontype=0)

    def column_page(self, code, page):
        colid, unitid, name, _ = COLUMNS[code]
        items = self.columns[code].items
        shown = items[(page - 1) * PER_PAGE: page * PER_PAGE]
        records = "\n".join(f"<record><![CDATA[\n{self.record(i)}]]></record>" for i in shown)
        p = self.params(code)
        nextgroup = (f'<a href="/module/web/jpage/dataproxy.jsp?page=1&webid={WEBID}&path=/&columnid={colid}'
                     f'&unitid={unitid}&webname={quote(SITE_NAME)}&permissiontype=0"></a>')
        param_js = ",".join(f"{k}:{v!r}" if isinstance(v, str) else f"{k}:{v}" for k, v in p.items())
        body = (f'<div class="bt-list"><div class="list-title">{esc(name)}</div>\n<div id="{unitid}">'
                f'<script type="text/xml"><datastore>\n<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n'
                f'<recordset>\n{records}\n</recordset>\n</datastore></script>'
                '<script language="javascript" src="/module/web/jpage/jpage.js"></script>\n'
                '<script type="text/javascript">\n$(document).ready(function(){\n'
                f'  new Pager({{totalRecord:{len(items)},perPage:{PER_PAGE},startRecord:{(page - 1) * PER_PAGE + 1},'
                f'groupSize:3,unitid:{unitid},proxyUrl:"/module/web/jpage/dataproxy.jsp",params:{{{param_js}}}}});\n'
                '});\n</script></div></div>')
        return html_response(self.chrome(f"{name} {SITE_NAME}", body,
                                         f'<meta name="ColumnName" content="{esc(name)}">\n'))

    def dataproxy(self, q):
        code = next((c for c, v in COLUMNS.items() if str(v[0]) == q.get("columnid", "")), None)
        items = self.columns[code].items if code else []
        perpage = int(q.get("perpage") or PER_PAGE) if str(q.get("perpage", "")).isdigit() else PER_PAGE
        perpage = max(1, perpage)
        total = len(items)
        if self.honours == "page":
            perpage = min(perpage, PAGE_CAP)
            start = (max(1, int(q["page"])) - 1) * perpage + 1 if str(q.get("page", "")).isdigit() else 1
            end = start + perpage - 1
        elif str(q.get("startrecord", "")).isdigit():
            start = max(1, int(q["startrecord"]))
            end = int(q["endrecord"]) if str(q.get("endrecord", "")).isdigit() else start + perpage - 1
        elif str(q.get("page", "")).isdigit():
            start = (max(1, int(q["page"])) - 1) * perpage + 1
            end = start + perpage - 1
        else:
            start, end = 1, perpage
        shown = items[start - 1: min(end, total)]
        records = "\n".join(f"<record><![CDATA[\n{self.record(i)}]]></record>" for i in shown)
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
               f'<totalrecord>{total}</totalrecord>\n<totalpage>{max(1, -(-total // perpage))}</totalpage>\n'
               f'<recordset>\n{records}\n</recordset>\n</datastore>\n')
        return Response(200, xml.encode("utf-8"), "text/xml; charset=UTF-8")

    # -- publishing --

    def publish(self, code, report, art_id, written, day, page_meta, formats=("html",), charset="utf-8",
                notice=False):
        colid = COLUMNS[code][0]
        path = f"/art/{day.year}/{day.month}/{day.day}/art_{colid}_{art_id}.html"
        title = report["meta"]["title"] if report else page_meta["title"]
        links = []
        for fmt in formats:
            if fmt == "html":
                continue
            ext = "pdf" if fmt == "image-pdf" else fmt
            name = hashlib.md5(f"{art_id}|{fmt}".encode()).hexdigest() + "." + ext
            # Some Hanweb servers send PDFs as octet-stream; the real type is only in the file name.
            ctype = "application/octet-stream" if fmt == "image-pdf" else None
            self.attachment(f"/attach/0/{name}", report, fmt, day, attachment_name(title, fmt), "gbk", ctype)
            links.append((f"/module/download/downfile.jsp?classid=0&filename={name}", attachment_name(title, fmt),
                          f"/attach/0/{name}"))
        encoding, ctype, head_charset = CHARSETS[charset]
        source = page_meta["发布机构"]

        def page():
            if notice:
                text = f"<p>{esc(title)}。</p><p>特此公告。</p>"
            elif "html" in formats:
                text = report_fragment(report, self.catalog.render_variations)
            else:
                text = f"<p>{esc(title)}（详见附件）</p>"
            if links:
                text += "".join(f'<p>附件：<a href="{esc(a)}" target="_blank">{esc(n)}</a></p>' for a, n, _ in links)
            m = page_meta
            table = ('<table class="xxgk_table" width="100%" border="0" cellspacing="0">'
                     f'<tr><td class="label">索引号：</td><td>{esc(m["索引号"])}</td><td class="label">主题分类：</td><td>综合政务</td></tr>'
                     f'<tr><td class="label">发布机构：</td><td>{esc(source)}</td><td class="label">成文日期：</td><td>{esc(m["成文日期"] or "")}</td></tr>'
                     '<tr><td class="label">文件编号：</td><td></td><td class="label">有效性：</td><td>有效</td></tr></table>')
            body = (f'<div class="bt-article">{table}\n<div class="article-title">{esc(title)}</div>\n'
                    f'<div class="article-info">发布日期：{day:%Y-%m-%d}　信息来源：<!--<$[信息来源]>begin-->{esc(source)}'
                    f'<!--<$[信息来源]>end-->　浏览次数：<span id="c">312</span></div>\n'
                    f'<div id="zoom"><meta name="ContentStart">\n{text}\n<meta name="ContentEnd"></div></div>')
            meta = (f'<meta name="ArticleTitle" content="{esc(title)}">\n<meta name="PubDate" content="{day:%Y-%m-%d} 10:28">\n'
                    f'<meta name="ContentSource" content="{esc(source)}">\n')
            return self.chrome(title, body, meta, head_charset).encode(encoding, "xmlcharrefreplace")

        self.docs[path] = Resource(page, ctype, published_at(day, 10, 28))
        item = Item(title, path, f"{day:%Y-%m-%d}", None, None, (day, art_id))
        self.columns[code].add(item)
        return path, links, item

    def publish_report(self, agency, year, report, day, written, formats=("html",), charset="utf-8", source="generated",
                       obstacle=None):
        key = (agency, day.year)
        self.seq[key] = n = self.seq.get(key, 0) + 1
        meta = {"索引号": f"{org_code(agency)}/{day.year}-{n:05d}", "发布机构": agency,
                "成文日期": f"{written:%Y-%m-%d}", "发布日期": f"{day:%Y-%m-%d}", "title": report["meta"]["title"]}
        art_id = self.next_id()
        path, links, item = self.publish("col14251", report, art_id, written, day, meta, formats, charset)
        url = f"https://{HOST}{path}"
        entry = new_entry(key=f"{HOST}{path}", url=url, host=HOST, column="col14251", platform="hanweb",
                          formats=formats, report=report, page_meta=meta, published=f"{day:%Y-%m-%d}", source=source,
                          charset=CHARSETS[charset][0], quirks=[f"charset:{charset}"] if charset != "utf-8" else [],
                          varied=self.catalog.render_variations)
        entry.attachments = [f"https://{HOST}{a}" for a, _, _ in links]
        entry.attachment_files = [f"https://{HOST}{f}" for _, _, f in links]
        entry.obstacle = obstacle
        entry.reachable = obstacle not in ("slow", "reset_always")
        self.catalog.add(entry)
        item.entry = entry
        return entry

    def add_report(self, column="col14251"):
        if column != "col14251":
            raise ValueError(f"{HOST} has no report column {column!r} to add to")
        with self.lock:
            self.added += 1
            year = 2024 + self.added
            day = date(year + 1, 2, 1)
            report = generated(SITE_NAME, year, seed=0)
            entry = self.publish_report(SITE_NAME, year, report, day, day)
            entry.added = True
            self.columns[column].sort()
            return entry


def build(catalog):
    site = HanwebSite(catalog)
    plan = []
    for agency, years, special in REPORTS:
        for year in years:
            opts = dict(special.get(year, {}))
            report = seed_report(opts.pop("seed")) if "seed" in opts else generated(agency, year, seed=0)
            day = publication_day(agency, year, _kind(agency))
            written = day - timedelta(days=rng_for("written", agency, year).randint(0, 3))
            plan.append((day, agency, year, report, written, opts))
    for day, agency, year, report, written, opts in sorted(plan, key=lambda p: (p[0], p[1])):
        source = "seed:004" if agency == "新乡县城市管理局" and year == 2023 else "generated"
        site.publish_report(agency, year, report, day, written, opts.get("formats", ("html",)),
                            opts.get("charset", "utf-8"), source, opts.get("obstacle"))
    for n in range(22):
        day = date(2019 + n % 6, 1 + n % 12, 2 + n)
        title = NOTICES[n % len(NOTICES)].format(y=day.year)
        meta = {"索引号": f"{org_code(SITE_NAME)}/{day.year}-{900 + n:05d}", "发布机构": SITE_NAME + "办公室",
                "成文日期": f"{day:%Y-%m-%d}", "发布日期": f"{day:%Y-%m-%d}", "title": title}
        path, _, _ = site.publish("col14255", None, site.next_id(), day, day, meta, notice=True)
        catalog.non_reports.add(f"https://{HOST}{path}")
    for col in site.columns.values():
        col.sort()
        catalog.columns.append(site.column_info(col.code, f"https://{HOST}/col/{col.code}/index.html", PER_PAGE))

    by_obstacle = {e.obstacle: e for e in catalog.reports if e.host == HOST and e.obstacle}
    catalog.obstacle("slow", HOST, url=by_obstacle["slow"].url, delay=None,
                     behaviour="every request waits `delay` seconds (Replica(slow_delay=...), default 5) before answering")
    catalog.obstacle("reset_once", HOST, url=by_obstacle["reset_once"].url, times=1,
                     behaviour="first request: headers and half the body, then TCP reset; later requests fine")
    catalog.obstacle("reset_always", HOST, url=by_obstacle["reset_always"].url,
                     behaviour="every request: headers and half the body, then TCP reset")
    for e in catalog.reports:
        for q in e.quirks:
            if q.startswith("charset:") and e.host == HOST:
                encoding, ctype, meta = CHARSETS[q[8:]]
                catalog.obstacle(q[8:].replace("-", "_"), HOST, url=e.url,
                                 behaviour=f"bytes {encoding}; Content-Type: {ctype}; <meta>: {meta or 'none'}")
    catalog.obstacle("redirect_302", HOST, url=next(e for e in catalog.reports if e.host == HOST and e.attachments).attachments[0],
                     behaviour="downfile.jsp answers 302 Location: /attach/0/<file>")
    return [site]
