"""A JPaaS page-build site (platforms.md §4): www.hangzhou.gov.cn (杭州市, webId 149).

    /col/col1229063389/index.html            the column page: no rows, a pager element carrying count, rows, pageNo,
                                             unitUrl and queryData="{'webId':'149','pageId':…,'tagId':…,'tplSetId':…}"
    /api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=&tplSetId=&pageType=column
        &tagId=&editType=null&pageId=&paramJson={"pageNo":N,"pageSize":15}
                                             {"success":true,"data":{"html":"…"}}: the rows (ul.ajax-ul > li >
                                             a.fl[href][title] + span.fr date) and a pager with count="N" pageNo="N";
                                             paging only inside paramJson (bare pageNo/page/rows: page 1 again); the JSON
                                             text holds raw newlines inside the fragment (strict JSON parsers fail)
    /art/YYYY/art_<32 hex>.html              detail: <td> label/value pairs (索引号, 发布机构, 生成日期, …), body div#zoom;
                                             some list rows link protocol-relative (//www.hangzhou.gov.cn/art/…)
"""
import hashlib
import json

from replica.sites.base import Column, Item, Site, new_entry
from replica.sites.common import (Resource, Response, esc, generated, html_response, json_response, org_code, publication_day,
                                  published_at, report_fragment)

HOST = "www.hangzhou.gov.cn"
SITE_NAME = "杭州市人民政府"
WEB_ID = "149"
TPL_SET = "LWYUCb5AkzKrVm7WODRpT"
COLUMN_ID = "1229063389"
TAG = "信息列表"
UNIT = "/api-gateway/jpaas-publish-server/front/page/build/unit"
PAGE_SIZE = 15
AGENCIES = ["杭州市人民政府", "杭州市发展和改革委员会", "杭州市教育局", "杭州市民政局", "杭州市财政局"]
YEARS = range(2021, 2025)


class JpaasSite(Site):
    platform = "jpaas"

    def __init__(self, catalog):
        super().__init__(HOST, catalog)
        self.columns[COLUMN_ID] = Column(COLUMN_ID, "政府信息公开年度报告")

    def handle(self, req):
        if req.path in (f"/col/col{COLUMN_ID}/index.html", f"/col/col{COLUMN_ID}/"):
            return html_response(self.column_page())
        if req.path == UNIT:
            return self.unit(req.query)
        doc = self.docs.get(req.path)
        return doc.response() if doc else None

    def column_page(self):
        query = f"{{'webId':'{WEB_ID}','pageId':'{COLUMN_ID}','tagId':'{TAG}','tplSetId':'{TPL_SET}'}}"
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年度报告 {SITE_NAME}</title></head>'
                f'<body><div class="main"><div class="list-title">政府信息公开年度报告</div>'
                f'<div id="{COLUMN_ID}-list"></div>'
                f'<div class="jpaas-pager" count="{len(self.columns[COLUMN_ID].items)}" rows="{PAGE_SIZE}" pageNo="1" '
                f'unitUrl="{UNIT}" queryData="{esc(query)}"></div>'
                '<script src="/module/jpaas/pager.js"></script></div></body></html>')

    def unit(self, q):
        if (q.get("webId"), q.get("pageId"), q.get("tagId")) != (WEB_ID, COLUMN_ID, TAG):
            return json_response({"success": False, "message": "unit not found"})
        try:
            params = json.loads(q.get("paramJson") or "{}")
        except ValueError:
            params = {}
        page = int(params.get("pageNo") or 1)          # bare pageNo / page / rows: ignored
        size = int(params.get("pageSize") or PAGE_SIZE)
        items = self.columns[COLUMN_ID].items
        shown = items[(page - 1) * size: page * size]
        rows = "\n".join(f'<li class="cf border-line"><a class="fl" href="{esc(i.href)}" title="{esc(i.title)}" '
                         f'target="_blank">{esc(i.title)}</a><span class="fr">{i.date}</span></li>' for i in shown)
        fragment = (f'<ul class="ajax-ul">\n{rows}\n</ul>\n'
                    f'<div class="jpaas-pager" count="{len(items)}" pageNo="{page}" rows="{size}"></div>')
        # as the platform sends it: the fragment's newlines raw inside the JSON string
        text = '{"success":true,"data":{"html":' + json.dumps(fragment, ensure_ascii=False).replace("\\n", "\n") + "}}"
        return Response(200, text.encode("utf-8"), "application/json;charset=UTF-8")

    def publish(self, report, day, n):
        title = report["meta"]["title"]
        agency = report["meta"]["agency"]
        token = hashlib.md5(f"jpaas|{title}".encode()).hexdigest()
        path = f"/art/{day.year}/art_{token}.html"
        index_no = f"{org_code(agency)}/{day.year}-{n:05d}"
        meta = {"索引号": index_no, "发布机构": agency, "成文日期": None, "发布日期": day.isoformat(), "title": title}

        def page():
            table = ('<table class="xxgk-table">'
                     f"<tr><td>索引号</td><td>{index_no}</td><td>组配分类</td><td>政府信息公开年报</td></tr>"
                     f"<tr><td>发布机构</td><td>{esc(agency)}</td><td>生成日期</td><td>{day.isoformat()}</td></tr>"
                     "<tr><td>文件编号</td><td></td><td>有效性</td><td>有效</td></tr></table>")
            return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title>'
                    f'<meta name="ArticleTitle" content="{esc(title)}"><meta name="PubDate" content="{day.isoformat()} 09:00">'
                    f'</head><body>{table}<h1>{esc(title)}</h1><div id="zoom">{report_fragment(report, False)}</div>'
                    "</body></html>").encode("utf-8")

        self.docs[path] = Resource(page, "text/html; charset=utf-8", published_at(day))
        url = f"https://{HOST}{path}"
        href = f"//{HOST}{path}" if n % 3 == 0 else path   # some rows protocol-relative
        return url, href, meta


def build(catalog):
    from replica.generate import agency_kind
    site = JpaasSite(catalog)
    n = 0
    for agency in AGENCIES:
        for year in YEARS:
            n += 1
            report = generated(agency, year, seed=3)
            day = publication_day(agency, year, agency_kind(agency))
            url, href, meta = site.publish(report, day, n)
            entry = new_entry(key=f"{HOST}{url[len('https://' + HOST):]}", url=url, host=HOST, column=COLUMN_ID,
                              platform="jpaas", formats=("html",), report=report, page_meta=meta,
                              published=day.isoformat())
            catalog.add(entry)
            site.columns[COLUMN_ID].add(Item(meta["title"], href, day.isoformat(), entry, None, (day, n)))
    catalog.columns.append(site.column_info(COLUMN_ID, f"https://{HOST}/col/col{COLUMN_ID}/index.html", PAGE_SIZE))
    return [site]
