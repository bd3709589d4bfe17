"""www.pingtan.gov.cn: the real pages of ../shared/corpus/pingtan/ (copied into replica/data/pingtan/), byte for
byte, under their real paths.

    /zwgk/zfxxgk/zfxxgknb/  (also index.htm, nlist.htm)   the real list page: its 10 static rows (2016-2025) and
                                                           recordCount '20', prepage 10, maxStaticIndex 1
    POST /fjdzapp/search                                  the list API (platforms.md §1.3): channelid 200210,
        classsql chnlid=1813, page (1-based), prepage -> {"data": [rows], "pageCount": n}; page 1 = the
        static rows, page 2 = the ten that only the API gives (older reports, department reports whose pages
        sit in other columns, and rows that point straight at a PDF or a DOCX with no HTML page)
    /zwgk/zfxxgk/zfxxgknb/YYYYMM/tYYYYMMDD_<id>.htm       4 real report pages (2017, 2019, 2021, 2023);
                                                           the others are generated reports in the real page's chrome
The list links are relative (./202403/t20240308_87885.htm); report body: div.article_content > div.TRS_Editor
(the 2017 and 2021 real pages have no TRS_Editor wrapper); meta ArticleTitle, PubDate, ContentSource, Url.
"""
import html
import json
import math
import re
from datetime import date, datetime

from replica.catalog import ReportEntry
from replica.sites.base import Column, Item, Site, attachment_name
from replica.sites.common import (CST, DATA, Resource, generated, json_response, report_fragment, truth_of,
                                  variation_for)

HOST = "www.pingtan.gov.cn"
BASE = "/zwgk/zfxxgk/zfxxgknb/"
CORPUS = DATA / "pingtan"
AGENCY = "平潭综合实验区管理委员会"
SEARCH_ID = "200210"      # SiteInfo.searchId: the list API's channelid
CHNLID = "1813"           # the column's ChnlId
API = "/fjdzapp/search"
# The rows only the API gives (page 2 of the column): (agency, year, where its document is, format).
# A column is a query over the document library: department reports live in their own columns' folders.
API_ONLY = [
    (AGENCY, 2015, BASE, "html"), (AGENCY, 2014, BASE, "html"), (AGENCY, 2013, BASE, "html"),
    (AGENCY, 2012, BASE, "html"), (AGENCY, 2011, BASE, "html"),
    ("平潭综合实验区公安局", 2024, "/zwgk/zfxxgk/dfbmptlj/ptzhsyqgaj/zfxxgknb/", "html"),
    ("平潭综合实验区公安局", 2023, "/zwgk/zfxxgk/dfbmptlj/ptzhsyqgaj/zfxxgknb/", "html"),
    ("平潭综合实验区教育与体育局", 2024, "/zwgk/zfxxgk/dfbmptlj/ptzhsyqjytyj/zfxxgknb/", "pdf"),
    ("平潭综合实验区财政金融局", 2024, "/zwgk/zfxxgk/dfbmptlj/ptzhsyqczjrj/zfxxgknb/", "docx"),
    ("平潭综合实验区自然资源与规划局", 2024, "/zwgk/zfxxgk/dfbmptlj/ptzhsyqzrzyghj/zfxxgknb/", "html"),
]
LIST_LINK = re.compile(r'<a href="\./(\d{6}/t(\d{8})_(\d+)\.htm)" target="_blank" title="([^"]+)">.*?</a>\s*</dd>\s*'
                       r'<dd[^>]*>\s*(\d{4}-\d{2}-\d{2})', re.S)
BODY = re.compile(r'(<div class="article_content article_content_01 font_family_cn">)(.*?)'
                  r'(\s*</div>\s*</div>\s*<div class="article_attachment")', re.S)


def _meta(page, name):
    m = re.search(rf'<meta name="{name}" content="([^"]*)"', page)
    return html.unescape(m.group(1)) if m else ""


def swap_article(chrome, title, pubdate, doc_id, url, source, fragment):
    """A real page with another article in it: title, meta tags, date line and body replaced."""
    def sub(pattern, value, text):
        return re.sub(pattern, lambda m: m.group(1) + value + m.group(2), text, count=1, flags=re.S)
    t = chrome
    esc = html.escape(title)
    t = sub(r'(<meta name="ArticleTitle" content=")[^"]*(")', esc, t)
    t = sub(r'(<meta name="PubDate" content=")[^"]*(")', pubdate, t)
    t = sub(r'(<meta name="ContentSource" content=")[^"]*(")', html.escape(source), t)
    t = sub(r'(<meta name="Url" content=")[^"]*(")', url, t)
    t = sub(r'(<meta name="DocId" content=")[^"]*(")', str(doc_id), t)
    t = sub(r"(<title>)[^_<]*(_)", esc, t)
    t = sub(r'(<div class="article_title text_align_center">\s*)[^<]*?(\s*</div>)', esc, t)
    t = sub(r'(<span class="article_source">来源：)[^<]*(</span>)', html.escape(source), t)
    t = sub(r'(<span class="article_time bf-pass">时间：)[^<]*(</span>)', pubdate, t)
    return BODY.sub(lambda m: m.group(1) + "<div class=TRS_Editor>" + fragment + "</div>" + m.group(3), t, count=1)


class PingtanSite(Site):
    platform = "pingtan"

    def __init__(self, catalog):
        super().__init__(HOST, catalog)
        self.columns["zfxxgknb"] = Column("zfxxgknb", "政府信息公开年报")
        self.api_rows = []    # the column as its list API gives it, in list order

    def handle(self, req):
        if req.path == API:
            return self.search(req)
        if req.path == BASE.rstrip("/"):
            from replica.sites.common import redirect
            return redirect(BASE, 301)
        doc = self.docs.get(req.path)
        return doc.response() if doc else None

    def search(self, req):
        """The list API: the column's rows in list order, `prepage` a page; other channels or columns: none."""
        q = req.query
        if req.method != "POST":
            return json_response({"data": [], "pageCount": 0, "error": "POST only"}, 405)
        rows = self.api_rows if q.get("channelid") == SEARCH_ID and q.get("classsql", "chnlid=" + CHNLID) == (
            "chnlid=" + CHNLID) else []
        prepage = max(1, int(q["prepage"])) if q.get("prepage", "").isdigit() else 15
        page = max(1, int(q["page"])) if q.get("page", "").isdigit() else 1
        return json_response({"data": rows[(page - 1) * prepage: page * prepage],
                              "pageCount": math.ceil(len(rows) / prepage)})


def _api_row(title, url, listed, doc_id, source):
    return {"docid": doc_id, "chnlid": int(CHNLID), "doctitle": title, "doctitle_cp": title, "docpuburl": url,
            "chnldocurl": url, "docreltime": f"{listed} 00:00:00", "pubdate": f"{listed} 00:00:00",
            "docsourcename": source, "puborg": source, "idxid": "", "fileno": "", "rels": []}


def build(catalog):
    site = PingtanSite(catalog)
    listing = (CORPUS / "list-index.html").read_bytes()
    list_doc = Resource(lambda: listing, "text/html; charset=utf-8", datetime(2026, 3, 13, 9, 0, tzinfo=CST))
    for path in ("", "index.htm", "nlist.htm"):
        site.docs[BASE + path] = list_doc

    real = {}
    for meta_file in CORPUS.glob("*/meta.json"):
        page = (meta_file.parent / "source.html").read_bytes()
        url = _meta(page.decode("utf-8"), "Url")
        real[url] = (meta_file.parent, page)
    chrome = (CORPUS / "2023" / "source.html").read_text(encoding="utf-8")

    for rel, day, doc_id, title, listed in LIST_LINK.findall(listing.decode("utf-8")):
        url = f"https://{HOST}{BASE}{rel}"
        path = BASE + rel
        year = int(re.search(r"(\d{4})年度", title).group(1))
        if url in real:
            folder, page = real[url]
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
            text = page.decode("utf-8")
            pubdate = _meta(text, "PubDate")
            source = re.search(r'<span class="article_source">来源：([^<]*)</span>', text).group(1)
            report = {"meta": {k: meta[k] for k in ("title", "agency", "year", "template")},
                      "proactive": truth.get("proactive", {}), "applications": truth.get("applications", {}),
                      "review_litigation": truth.get("review_litigation", {})}
            body, origin = (lambda page=page: page), f"corpus:{folder.name}"
        else:
            report = generated(AGENCY, year, seed=0)
            report["meta"]["title"] = title
            pubdate = f"{day[:4]}-{day[4:6]}-{day[6:]} 10:00"
            source = "平潭综合实验区管委会办公室"
            body = (lambda report=report, pubdate=pubdate, doc_id=doc_id, url=url, source=source, title=title:
                    swap_article(chrome, title, pubdate, doc_id, url, source,
                                 report_fragment(report, catalog.render_variations)).encode("utf-8"))
            origin = "generated"
        modified = datetime.strptime(pubdate, "%Y-%m-%d %H:%M").replace(tzinfo=CST)
        site.docs[path] = Resource(body, "text/html; charset=utf-8", modified)
        entry = ReportEntry(key=f"{HOST}{path}", url=url, host=HOST, column="zfxxgknb", platform="pingtan",
                            format="html", formats=["html"], agency=report["meta"]["agency"], year=year,
                            template=report["meta"]["template"], title=title, truth=truth_of(report), urls=[url],
                            page_meta={"索引号": None, "发布机构": source, "成文日期": None,
                                       "发布日期": pubdate[:10], "title": title},
                            published=pubdate[:10], source=origin,
                            render=variation_for(report) if origin == "generated" and catalog.render_variations else {})
        catalog.add(entry)
        d = date.fromisoformat(listed)
        site.columns["zfxxgknb"].add(Item(title, f"./{rel}", listed, entry, None, (d, int(doc_id))))
        site.api_rows.append(_api_row(title, url, listed, int(doc_id), source))
    for n, (agency, year, folder, fmt) in enumerate(API_ONLY):
        site.api_rows.append(_api_only(site, catalog, chrome, agency, year, folder, fmt, 80400 - 7 * n))
    catalog.columns.append(site.column_info("zfxxgknb", f"https://{HOST}{BASE}", 10))
    return [site]


def _api_only(site, catalog, chrome, agency, year, folder, fmt, doc_id):
    """A report the column lists only through its API: a page in the real chrome, or a bare file."""
    report = generated(agency, year, seed=1)
    title = f"{agency.replace('管理委员会', '')}{year}年度政府信息公开工作年度报告"
    report["meta"]["title"] = title
    day = date(year + 1, 1, 20 + doc_id % 7)
    source = agency if agency != AGENCY else "平潭综合实验区管委会办公室"
    pubdate = f"{day.isoformat()} 09:30"
    if fmt == "html":
        path = f"{folder}{day:%Y%m}/t{day:%Y%m%d}_{doc_id}.htm"
        url = f"https://{HOST}{path}"
        site.docs[path] = Resource(
            lambda: swap_article(chrome, title, pubdate, doc_id, url, source,
                                 report_fragment(report, False)).encode("utf-8"),
            "text/html; charset=utf-8", datetime(day.year, day.month, day.day, 9, 30, tzinfo=CST))
    else:
        path = f"{folder}{day:%Y%m}/P0{day:%Y%m%d}{doc_id:013d}.{fmt}"
        url = f"https://{HOST}{path}"
        site.attachment(path, report, fmt, day, attachment_name(title, fmt))
    catalog.add(ReportEntry(key=f"{HOST}{path}", url=url, host=HOST, column="zfxxgknb", platform="pingtan",
                            format=fmt, formats=[fmt], agency=report["meta"]["agency"], year=year,
                            template=report["meta"]["template"], title=title, truth=truth_of(report), urls=[url],
                            page_meta={"索引号": None, "发布机构": source, "成文日期": None,
                                       "发布日期": day.isoformat(), "title": title} if fmt == "html" else {},
                            published=day.isoformat(), source="generated", quirks=["api_only"]))
    site.columns["zfxxgknb"].add(Item(title, url, day.isoformat(), None, None, (date(1900, 1, 1), doc_id)))
    return _api_row(title, url, day.isoformat(), doc_id, source)
