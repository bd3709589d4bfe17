"""A Guangdong gkmlpt site (platforms.md §3): www.sz.gov.cn (深圳市, SID 755001).

    /gkmlpt/index                            SPA shell: window._CONFIG = {… SID: '755001', … TREE: [nodes] …}
                                             (id, name, children, jump_url, post_count)
    /gkmlpt/api/all/<columnId>?page=N&sid=   JSON {"total", "classify": {…, "post_count"}, "articles": [...]}, 100 a
                                             page; page=0 and page=1 give the same batch; past the last page: 404
    /gkmlpt/content/<a>/<b>/post_<id>.html   a = id // 1,000,000, b = id // 1,000; the metadata table in HTML, the
                                             body only in window._CONFIG.DETAIL.content (escaped \\u003C …)
    /attachment/<x>/<y>/<attId>/<postId>.<ext>   attachments, listed in the article's `attachment` and in the body
                                             as a.nfw-cms-attachment

The 年度报告 column (id 5021) holds the reports; 通知公告 (5022) and an external link node are other columns.
"""
import json
import math
import re
from datetime import date, datetime

from replica.sites.base import Column, Item, Site, attachment_name, new_entry
from replica.sites.common import (CST, Resource, esc, generated, html_response, json_response, not_found, org_code,
                                  publication_day, published_at, report_fragment)

HOST = "www.sz.gov.cn"
SID = "755001"
SITE_NAME = "深圳市人民政府"
PER_PAGE = 100
REPORT_COLUMN = 5021
TREE = [{"id": 5020, "name": "政府信息公开", "post_count": 0, "children": [
    {"id": REPORT_COLUMN, "name": "政府信息公开年度报告", "children": []},
    {"id": 5022, "name": "通知公告", "children": []},
    {"id": 5023, "name": "政务服务", "jump_url": "https://www.gdzwfw.gov.cn/", "children": []}]}]
AGENCIES = ["深圳市人民政府", "深圳市教育局", "深圳市财政局", "深圳市交通运输局"]
YEARS = range(2021, 2025)


def escape_js(text):
    """As the platform writes HTML into its config object: <, >, ", & as \\u escapes."""
    return json.dumps(text, ensure_ascii=False).replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


class GkmlptSite(Site):
    platform = "gkmlpt"

    def __init__(self, catalog):
        super().__init__(HOST, catalog)
        self.columns[REPORT_COLUMN] = Column(str(REPORT_COLUMN), "政府信息公开年度报告")
        self.columns[5022] = Column("5022", "通知公告", "non-report")
        self.articles = {REPORT_COLUMN: [], 5022: []}

    def handle(self, req):
        if req.path in ("/gkmlpt/index", "/gkmlpt/index.html"):
            tree = json.loads(json.dumps(TREE))
            for node in tree[0]["children"]:
                node["post_count"] = len(self.articles.get(node["id"], []))
            return html_response(self.shell(tree))
        m = re.fullmatch(r"/gkmlpt/api/all/(\d+)", req.path)
        if m:
            return self.api(int(m.group(1)), req.query)
        doc = self.docs.get(req.path)
        return doc.response() if doc else None

    def shell(self, tree, detail=None, body=""):
        config = (f"window._CONFIG = {{SID: '{SID}', SITE_NAME: '{SITE_NAME}', "
                  + (f"DETAIL: {detail}, " if detail else "")
                  + f"TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 1}};")
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{SITE_NAME}政府信息公开</title>'
                f'<script>{config}</script><script src="/gkmlpt/gkml/pc/js/chunk-common.3f2a1b.js"></script></head>'
                f'<body><div id="app">{body}</div></body></html>')

    def api(self, column, q):
        articles = [a for c, arts in self.articles.items() for a in arts] if column == 0 else self.articles.get(column)
        if articles is None:
            return not_found()
        page = int(q["page"]) if q.get("page", "").isdigit() else 1
        page = max(page, 1)  # page 0 is page 1
        pages = max(1, math.ceil(len(articles) / PER_PAGE))
        if page > pages:
            return not_found()
        return json_response({"total": len(articles), "classify": {"id": column, "post_count": len(articles)},
                              "articles": articles[(page - 1) * PER_PAGE: page * PER_PAGE]})

    def publish(self, column, post_id, title, agency, day, report=None, attachments=()):
        path = f"/gkmlpt/content/{post_id // 1000000}/{post_id // 1000}/post_{post_id}.html"
        url = f"http://{HOST}{path}"
        index_no = f"{org_code(agency)}/{day.year}-{post_id % 100000:05d}"
        atts = []
        for n, fmt in enumerate(attachments):
            att_id = post_id * 10 + n
            apath = f"/attachment/{att_id // 1000000}/{att_id // 1000}/{att_id}/{post_id}.{fmt}"
            self.attachment(apath, report, fmt, day, attachment_name(title, fmt))
            atts.append({"id": att_id, "name": attachment_name(title, fmt), "type": fmt, "mime": "", "size": "0",
                         "url": f"http://{HOST}{apath}"})
        written = day.isoformat()

        def page():
            content = report_fragment(report, False) if report else f"<p>{esc(title)}。</p>"
            content += "".join(f'<p><a class="nfw-cms-attachment" href="{a["url"]}">{esc(a["name"])}</a></p>' for a in atts)
            detail = "{" + f'"id": {post_id}, "title": {escape_js(title)}, "abstract": "", "content": {escape_js(content)}' + "}"
            table = ('<table class="classify">'
                     f"<tr><td>索引号：</td><td>{index_no}</td><td>分类：</td><td>综合政务</td></tr>"
                     f"<tr><td>发布机构：</td><td>{esc(agency)}</td><td>成文日期：</td><td>{written}</td></tr>"
                     f"<tr><td>名称：</td><td>{esc(title)}</td></tr>"
                     f"<tr><td>文号：</td><td></td><td>发布日期：</td><td>{day.isoformat()}</td></tr></table>")
            return self.shell(TREE, detail, f'<div class="content-container">{table}</div>').encode("utf-8")

        self.docs[path] = Resource(page, "text/html; charset=utf-8", published_at(day))
        stamp = int(datetime(day.year, day.month, day.day, tzinfo=CST).timestamp())
        self.articles[column].append({
            "id": post_id, "title": title, "document_number": "", "identifier": index_no, "publisher": agency,
            "keywords": "", "abstract": "", "date": stamp, "created_at": f"{day.isoformat()} 16:25:04",
            "create_time": stamp, "display_publish_time": stamp, "classify_main": column,
            "url": url, "post_url": url, "is_expired": 0, "is_abolished": 0, "relation": "[]", "attachment": atts})
        return url, index_no, [a["url"] for a in atts]


def build(catalog):
    from replica.generate import agency_kind
    site = GkmlptSite(catalog)
    post_id = 9103540
    for agency in AGENCIES:
        for year in YEARS:
            post_id += 1733
            report = generated(agency, year, seed=2)
            day = publication_day(agency, year, agency_kind(agency))
            title = report["meta"]["title"]
            fmts = ("pdf",) if (agency, year) == ("深圳市财政局", 2023) else ()
            url, index_no, atts = site.publish(REPORT_COLUMN, post_id, title, agency, day, report, fmts)
            entry = new_entry(key=f"{HOST}/post_{post_id}", url=url.replace("http://", "https://"), host=HOST,
                              column=str(REPORT_COLUMN), platform="gkmlpt", formats=("html", *fmts), report=report,
                              page_meta={"索引号": index_no, "发布机构": agency, "成文日期": day.isoformat(),
                                         "发布日期": day.isoformat(), "title": title}, published=day.isoformat())
            entry.attachments = entry.attachment_files = [a.replace("http://", "https://") for a in atts]
            catalog.add(entry)
            site.columns[REPORT_COLUMN].add(Item(title, url, day.isoformat(), entry, None, (day, post_id)))
    for n in range(7):
        post_id += 911
        day = date(2024, 1 + n, 3)
        url, _, _ = site.publish(5022, post_id, f"关于{day.year}年第{n + 1}批政务服务事项调整的通知", SITE_NAME + "办公厅", day)
        catalog.non_reports.add(url.replace("http://", "https://"))
    for arts in site.articles.values():
        arts.sort(key=lambda a: -a["date"])
    catalog.columns.append(site.column_info(REPORT_COLUMN, f"https://{HOST}/gkmlpt/index", PER_PAGE))
    return [site]
