"""A TRS WCM district site (portals.md §2.2): www.chanhe.gov.cn (洛阳市瀍河回族区), an old GBK site.

Every page is GBK bytes declared gb2312 (header and <meta>): the agency name's 瀍 is in GBK, not in GB2312.

    /zwgk/zfxxgk/zfxxgknb/ (= index.html), index_1.html, index_2.html   10 a page, 0-based suffix, the
        inline-variable pager (`var currentPage = 0;//所在页从0开始`, `var countPage = N//共多少页`, a commented
        `//var record_count = N;` and a stale commented `//createPageHTML(9, 0, "index", "html");`, then the live
        createPageHTML(countPage, currentPage, "index", "html")); past the end: 404
    one report of that column is split over two pages (t…_<id>.html, t…_<id>_1.html), each with its own pager
    /zwgk/zfxxgk/zfxxgknb/YYYYMM/tYYYYMMDD_<id>.html                   detail, div.TRS_Editor, meta tags
    /zwgk/zfxxgk/bmnb/bmnb_list.shtml, bmnb_list_2.shtml                second section: page 2 is _2 (1-based),
        createPageHTML('page_div', <pages>, <current 1-based>, 'bmnb_list', 'shtml', <records>); bmnb_list_1.shtml is 404
    /zwgk/zfxxgk/jdnb/...                                               behind a 412 challenge (see server.py)
"""
import re
from datetime import date, timedelta

from replica.sites.base import Column, Item, Site, attachment_name, new_entry
from replica.sites.common import (Resource, esc, generated, not_found, org_code, publication_day,
                                        published_at, redirect, report_fragment, rng_for, seed_report, truncate, Response)

HOST = "www.chanhe.gov.cn"
SITE_NAME = "洛阳市瀍河回族区人民政府"
CHARSET = "gb2312"          # what the site declares; the bytes are GBK
PER_PAGE = 10
SECTIONS = {  # code -> (base path, list style, name, detail extension)
    "zfxxgknb": ("/zwgk/zfxxgk/zfxxgknb/", "index", "政府信息公开年报", "html"),
    "bmnb": ("/zwgk/zfxxgk/bmnb/", "list", "部门信息公开年报", "shtml"),
    "jdnb": ("/zwgk/zfxxgk/jdnb/", "index", "街道信息公开年报", "html"),
}
CHALLENGE_PREFIX = "/zwgk/zfxxgk/jdnb/"

REPORTS = [  # (section, agency, years, {year: overrides})
    ("zfxxgknb", "瀍河回族区人民政府", range(2017, 2025), {}),
    ("zfxxgknb", "瀍河回族区人民政府办公室", range(2021, 2025), {2023: dict(seed="003", formats=("html", "pdf", "docx"))}),
    ("zfxxgknb", "瀍河回族区教育局", range(2020, 2025), {}),
    ("zfxxgknb", "瀍河回族区财政局", range(2020, 2025), {2022: dict(formats=("pdf",))}),
    ("bmnb", "瀍河回族区民政局", range(2021, 2025), {}),
    ("bmnb", "瀍河回族区卫生健康委员会", range(2021, 2025), {}),
    ("bmnb", "瀍河回族区市场监督管理局", range(2021, 2025), {}),
    ("jdnb", "瀍河回族区东关街道办事处", range(2023, 2024), {}),
    ("jdnb", "瀍河回族区西关街道办事处", range(2023, 2024), {}),
]

PAGER_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  function name(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  if(nCurrIndex > 0){ document.write("<a href=\\"" + name(0) + "\\">首页</a> <a href=\\"" + name(nCurrIndex - 1) + "\\">上一页</a> "); }
  if(nCurrIndex < _nPageCount - 1){ document.write("<a href=\\"" + name(nCurrIndex + 1) + "\\">下一页</a> <a href=\\"" + name(_nPageCount - 1) + "\\">尾页</a>"); }
  document.write(" 共" + _nPageCount + "页");
}"""


def _kind(agency):
    from replica.generate import agency_kind
    return agency_kind(agency)


class TrsSite(Site):
    platform = "trs"
    addable = ("zfxxgknb", "bmnb")

    def __init__(self, catalog):
        super().__init__(HOST, catalog)
        for code, (_, _, name, _) in SECTIONS.items():
            self.columns[code] = Column(code, name)
        self.rng = rng_for("trs-ids")
        self.last_id = 6500000
        self.added = 0
        self.seq = {}

    def next_id(self):
        self.last_id += self.rng.randint(40, 3000)
        return self.last_id

    def page(self, text, status=200):
        return Response(status, text.encode("gbk", "xmlcharrefreplace"), f"text/html; charset={CHARSET}")

    def chrome(self, title, body, meta=""):
        return (f'<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={CHARSET}">\n'
                f'<title>{esc(title)}</title>\n{meta}</head>\n<body>\n'
                f'<div class="top"><a href="/">{SITE_NAME}</a></div>\n<div class="nav"><a href="/">首页</a> '
                '<a href="/zwgk/">政务公开</a> <a href="/zwgk/zfxxgk/zfxxgknb/">政府信息公开年报</a></div>\n'
                f'{body}\n<div class="foot">{SITE_NAME}办公室 主办　豫ICP备05012345号</div>\n</body>\n</html>\n')

    # -- serving --

    def handle(self, req):
        if req.path in ("/", "/index.html"):
            links = "".join(f'<li><a href="{b}">{esc(n)}</a></li>' for b, _, n, _ in SECTIONS.values())
            return self.page(self.chrome(SITE_NAME, f'<ul class="xxgk-nav">{links}</ul>'))
        for code, (base, style, _, _) in SECTIONS.items():
            if req.path == base.rstrip("/"):
                return redirect(base, 301)   # relative list links need the trailing slash
            if not req.path.startswith(base):
                continue
            rest = req.path[len(base):]
            if style == "index":
                m = re.fullmatch(r"(?:index(?:_(\d+))?\.html)?", rest)
                if m:
                    return self.list_page(code, int(m.group(1) or 0), m.group(1) is None)
            else:
                m = re.fullmatch(rf"{code}_list(?:_(\d+))?\.shtml", rest)
                if m:
                    return self.list_page(code, int(m.group(1) or 1), m.group(1) is None)
        doc = self.docs.get(req.path)
        return doc.response() if doc else None

    def list_page(self, code, n, first):
        base, style, name, _ = SECTIONS[code]
        items = self.columns[code].items
        pages = max(1, -(-len(items) // PER_PAGE))
        if style == "index":
            index = n                      # index.html = 0, index_1.html = 1, ...
            call = (f"var currentPage = {index};//所在页从0开始\nvar countPage = {pages}//共多少页\n"
                    f"//var record_count = {len(items)};\n"
                    '//createPageHTML(9, 0, "index", "html");\n'   # stale: a live count sits beside it
                    'createPageHTML(countPage, currentPage, "index", "html");')
        else:
            # page 2 is _2: "_1" does not exist; the first page has no suffix
            if not first and n < 2:
                return not_found()
            index = n - 1
            call = f"createPageHTML('page_div',{pages},{n},'{code}_list','shtml',{len(items)});"
        if index >= pages:
            return not_found()
        shown = items[index * PER_PAGE:(index + 1) * PER_PAGE]
        lis = "\n".join(f'<li><a href="{esc(i.href)}" target="_blank" title="{esc(i.title)}">{esc(truncate(i.title, 24))}'
                        f'</a><span>{i.date}</span></li>' for i in shown)
        script = (f'<script type="text/javascript">\n{PAGER_JS}\n{call}\n</script>' if style == "index" else
                  f'<div id="page_div"></div><script type="text/javascript" src="/common/js/page.js"></script>\n'
                  f'<script type="text/javascript">{call}</script>')
        body = (f'<div class="list-box"><div class="list-tit">{esc(name)}</div>\n<ul class="list">\n{lis}\n</ul>\n'
                f'<div class="page">{script}</div></div>')
        return self.page(self.chrome(f"{name}_{SITE_NAME}", body))

    # -- publishing --

    def publish_report(self, code, report, day, written, formats=("html",), source="generated", split=False):
        base, style, _, ext = SECTIONS[code]
        doc_id = self.next_id()
        rel = f"{day:%Y%m}/t{day:%Y%m%d}_{doc_id}.{ext}"
        path = base + rel
        title = report["meta"]["title"]
        agency = report["meta"]["agency"]
        key = (agency, day.year)
        self.seq[key] = n = self.seq.get(key, 0) + 1
        meta = {"索引号": f"{org_code(agency)}/{day.year}-{n:05d}", "发布机构": agency,
                "成文日期": f"{written:%Y-%m-%d}", "发布日期": f"{day:%Y-%m-%d}", "title": title}
        links = []
        for k, fmt in enumerate(f for f in formats if f != "html"):
            name = f"P0{day:%Y%m%d}{doc_id % 1000000:06d}{k}{rng_for('trsfile', doc_id, k).randint(100000, 999999)}.{fmt}"
            self.attachment(f"{base}{day:%Y%m}/{name}", report, fmt, day, attachment_name(title, fmt))
            links.append(name)

        def page():
            text = report_fragment(report, self.catalog.render_variations) if "html" in formats else f"<p>{esc(title)}详见附件。</p>"
            if links:
                text += '<div class="fj">附件：' + "".join(
                    f'<p><a href="./{l}" target="_blank">{esc(attachment_name(title, l.rsplit(".", 1)[1]))}</a></p>'
                    for l in links) + "</div>"
            info = ('<table class="xxgk-info" width="100%">'
                    f'<tr><td>索引号：{esc(meta["索引号"])}</td><td>发布机构：{esc(agency)}</td></tr>'
                    f'<tr><td>成文日期：{meta["成文日期"]}</td><td>发布日期：{meta["发布日期"]}</td></tr></table>')
            body = (f'<div class="detail">{info}\n<h1 class="article-title">{esc(title)}</h1>\n'
                    f'<div class="article-info">发布时间：{day:%Y-%m-%d} 来源：{esc(agency)}</div>\n'
                    f'<div class="view TRS_UEDITOR trs_paper_default trs_web"><div class="TRS_Editor">\n{text}\n</div></div></div>')
            head = (f'<meta name="ArticleTitle" content="{esc(title)}">\n<meta name="PubDate" content="{day:%Y-%m-%d} 10:32">\n'
                    f'<meta name="ContentSource" content="{esc(agency)}">\n')
            return self.chrome(title, body, head).encode("gbk", "xmlcharrefreplace")

        if split:  # the article continues on t…_<id>_1.html: each page carries its part and the pager
            whole = report_fragment(report, False)
            cut = split_point(whole)
            stem = rel.rsplit("/", 1)[1].rsplit(".", 1)[0]
            parts = (whole[:cut], whole[cut:])
            for k, part in enumerate(parts):
                def piece(part=part, k=k):
                    pager = (f'<script type="text/javascript">var currentPage = {k};var countPage = 2;\n'
                             f'createPageHTML(countPage, currentPage, "{stem}", "{ext}");</script>')
                    body = (f'<div class="detail"><h1 class="article-title">{esc(title)}</h1>\n'
                            f'<div class="article-info">发布时间：{day:%Y-%m-%d} 来源：{esc(agency)}</div>\n'
                            f'<div class="TRS_Editor">\n{part}\n</div><div class="page">{pager}</div></div>')
                    head = (f'<meta name="ArticleTitle" content="{esc(title)}">\n'
                            f'<meta name="PubDate" content="{day:%Y-%m-%d} 10:32">\n')
                    return self.chrome(title, body, head).encode("gbk", "xmlcharrefreplace")
                self.docs[path if k == 0 else f"{base}{day:%Y%m}/{stem}_{k}.{ext}"] = Resource(
                    piece, f"text/html; charset={CHARSET}", published_at(day, 10, 32))
        else:
            self.docs[path] = Resource(page, f"text/html; charset={CHARSET}", published_at(day, 10, 32))
        url = f"https://{HOST}{path}"
        entry = new_entry(key=f"{HOST}{path}", url=url, host=HOST, column=code, platform="trs", formats=formats,
                          report=report, page_meta=meta, published=f"{day:%Y-%m-%d}", source=source, charset="gbk",
                          varied=self.catalog.render_variations)
        entry.attachments = [f"https://{HOST}{base}{day:%Y%m}/{l}" for l in links]
        entry.attachment_files = list(entry.attachments)
        if split:
            entry.quirks.append("split_article")
        if path.startswith(CHALLENGE_PREFIX):
            entry.obstacle, entry.reachable = "challenge_412", False
        self.catalog.add(entry)
        self.columns[code].add(Item(title, f"./{rel}", f"{day:%Y-%m-%d}", entry, None, (day, doc_id)))
        return entry

    def add_report(self, column="zfxxgknb"):
        if column not in ("zfxxgknb", "bmnb"):
            raise ValueError(f"{HOST} has no report column {column!r} to add to")
        with self.lock:
            self.added += 1
            agency = "瀍河回族区人民政府" if column == "zfxxgknb" else "瀍河回族区民政局"
            year = 2024 + self.added
            day = date(year + 1, 2, 1)
            entry = self.publish_report(column, generated(agency, year, seed=0), day, day)
            entry.added = True
            self.columns[column].sort()
            return entry


def split_point(fragment):
    """Where a report's HTML can be cut in two between top-level blocks: the first table start past
    the middle that is not inside another table."""
    for m in re.finditer(r"<table", fragment):
        if m.start() > len(fragment) // 3 and fragment.count("<table", 0, m.start()) == fragment.count("</table>", 0, m.start()):
            return m.start()
    return len(fragment)


SPLIT = ("瀍河回族区教育局", 2022)  # the report served as an article split over two pages


def build(catalog):
    site = TrsSite(catalog)
    plan = []
    for code, agency, years, special in REPORTS:
        for year in years:
            opts = dict(special.get(year, {}))
            seed = opts.pop("seed", None)
            report = seed_report(seed) if seed else generated(agency, year, seed=0)
            day = publication_day(agency, year, _kind(agency))
            written = day - timedelta(days=rng_for("written", agency, year).randint(0, 3))
            plan.append((day, code, report, written, opts.get("formats", ("html",)), f"seed:{seed}" if seed else "generated"))
    for day, code, report, written, formats, source in sorted(plan, key=lambda p: (p[0], p[2]["meta"]["agency"])):
        split = (report["meta"]["agency"], report["meta"]["year"]) == SPLIT
        site.publish_report(code, report, day, written, formats, source, split=split)
    for code, col in site.columns.items():
        col.sort()
        base, style = SECTIONS[code][:2]
        start = base if style == "index" else f"{base}{code}_list.shtml"
        catalog.columns.append(site.column_info(code, f"https://{HOST}{start}", PER_PAGE))
    seed = next(e for e in catalog.reports if e.source == "seed:003")
    catalog.obstacle("gbk_declared_gb2312", HOST, url=seed.url,
                     behaviour="every page of the host: GBK bytes, Content-Type and <meta> say gb2312; 瀍 (0xEB 0xA3) is "
                               "not in GB2312 — decode with gbk/gb18030")
    catalog.obstacle("challenge_412", HOST, prefix=CHALLENGE_PREFIX, url=f"https://{HOST}{CHALLENGE_PREFIX}",
                     behaviour="every path under the prefix: 412 + tiny RS-style page ($_ts, <meta r=\"m\">) and "
                               "Set-Cookie FSSBBIl1UgzbN7N80S; content only with a valid FSSBBIl1UgzbN7N80T cookie",
                     reports=[e.url for e in catalog.reports if e.obstacle == "challenge_412"])
    catalog.obstacle("page_suffix_ambiguity", HOST, url=f"https://{HOST}/zwgk/zfxxgk/bmnb/bmnb_list.shtml",
                     behaviour="page 2 is bmnb_list_2.shtml; bmnb_list_1.shtml is 404 (the zfxxgknb column is 0-based)")
    return [site]
