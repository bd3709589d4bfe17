"""The Zhengzhou family (portals.md §1): the public.* 政务公开 platforms and the www portal.

One CMS behind all hosts, so content ids are global: the same department report can sit under the same
`/D42Y/<id>.jhtml` on two hosts (public.dengfeng.gov.cn and df.public.zhengzhou.gov.cn).

public.* URLs (query-string views on the host root):
    /?a=platform                          platform home, links every column
    /?a=dir&h=1&p=D42Y                    department directory (links /?a=path&d=<id>&p=D42Y)
    /?a=path&p=<COL>[&d=<id>]&page=N      list, 15 a page, newest first (D42Y without d= lists every department)
    /?d=<id>                              department home
    /<COL>/<id>.jhtml                     detail; an unknown id answers 200 "页面不存在" (soft 404)
    /u/cms/www/YYYYMM/<name>.pdf|docx     attachments
www.zhengzhou.gov.cn:
    /news1/index.jhtml, /news1/index_N.jhtml (N >= 2; past the end: 404), /news1/<id>.jhtml
"""
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from replica.sites.base import Column, Item, Site, attachment_name, new_entry
from replica.sites.common import (Resource, doc_supported, esc, generated, html_response, inject_spam,
                                        not_found, org_code, publication_day, published_at, report_fragment,
                                        rng_for, seed_report, truncate)

PER_PAGE = 15
COLUMN_NAMES = {"D41X": "本级政府信息公开年度报告", "D42Y": "部门信息公开年度报告",
                "D0104X": "政府文件", "02MC": "政府信息公开年报"}


@dataclass
class Spec:
    """A report to publish on one or more public.* hosts (the first host is canonical)."""
    hosts: tuple
    column: str
    agency: str
    year: int
    dept: str | None = None
    formats: tuple = ("html",)
    seed: str | None = None          # "001": the seed's truth instead of a generated report
    meta_variant: int = 1            # 1 values-only list, 2 labelled list, 3 old table
    quirks: tuple = ()               # broken, spam, no-written-date, keyword-title, no-org-code, http-dup
    fixed_id: int | None = None
    fixed_index: str | None = None
    fixed_days: tuple | None = None  # (成文日期, 发布日期)
    portal_copy: bool = False        # also published on www.zhengzhou.gov.cn/news1 (a duplicate)
    obstacle: str | None = None
    extra: dict = field(default_factory=dict)


def _kind(agency):
    from replica.generate import agency_kind
    return agency_kind(agency)


def _variant_for_year(year):
    return 3 if year <= 2019 else 2 if year <= 2021 else 1


# -- the content --------------------------------------------------------------------------------------------

ZZ = "public.zhengzhou.gov.cn"
XZ = "public.xinzheng.gov.cn"
DF = "public.dengfeng.gov.cn"
DFZ = "df.public.zhengzhou.gov.cn"
WWW = "www.zhengzhou.gov.cn"

HOSTS = {  # host -> (site name, list markup, how list links are written)
    ZZ: ("郑州市人民政府", "common-list", "absolute"),
    XZ: ("新郑市人民政府", "page-list", "root"),
    DF: ("登封市人民政府", "page-list", "root"),
    DFZ: ("登封市人民政府", "common-list", "absolute"),
}

DEPTS = {
    ZZ: {"4": "郑州市自然资源和规划局", "7": "郑州市教育局", "9": "郑州市财政局", "12": "郑州市生态环境局",
         "15": "郑州市交通运输局", "19": "郑州市卫生健康委员会", "21": "郑州市市场监督管理局",
         "60": "郑州市金水区人民政府", "61": "郑州市二七区人民政府"},
    XZ: {"31": "新郑市人民政府办公室", "33": "新郑市城关乡人民政府", "35": "新郑市和庄镇人民政府",
         "36": "新郑市龙湖镇人民政府", "38": "新郑市新建路街道办事处", "41": "新郑市教育局", "44": "新郑市财政局"},
    DF: {"350": "登封市发展和改革委员会", "352": "登封市教育局", "360": "登封市大冶镇人民政府"},
    DFZ: {"350": "登封市发展和改革委员会"},
}


def specs():
    """Every report of the family. Formats and quirks are placed by hand so each kind appears."""
    out = []
    # 郑州市人民政府 (D41X): free-form 2017/2018, 2019 template 2019/2020, 2021 template after.
    zz_formats = {2020: ("html", "pdf"), 2021: ("pdf",), 2022: ("html", "pdf", "docx")}
    for year in range(2017, 2025):
        out.append(Spec((ZZ,), "D41X", "郑州市人民政府", year, formats=zz_formats.get(year, ("html",)),
                        seed="001" if year == 2022 else None, meta_variant=_variant_for_year(year),
                        portal_copy=year == 2022))
    special = {  # (dept, year) -> spec overrides
        ("4", 2023): dict(fixed_id=8187641, fixed_index="005252370/2024-00005",
                          fixed_days=(date(2024, 1, 29), date(2024, 1, 30))),
        ("4", 2021): dict(formats=("docx",)),
        ("7", 2020): dict(formats=("image-pdf",)),
        ("7", 2022): dict(formats=("pdf",)),
        ("9", 2019): dict(formats=("docx",)),
        ("9", 2023): dict(formats=("html", "docx")),
        ("12", 2022): dict(formats=("doc",) if doc_supported() else ("docx",)),
        ("15", 2021): dict(quirks=("broken",)),
        ("19", 2023): dict(obstacle="rate_429"),
        ("21", 2020): dict(quirks=("keyword-title",)),
        ("21", 2022): dict(quirks=("no-org-code",)),
    }
    for dept, agency in DEPTS[ZZ].items():
        first = {"15": 2018, "21": 2018, "60": 2021, "61": 2022}.get(dept, 2017)
        for year in range(first, 2025):
            kw = dict(meta_variant=_variant_for_year(year))
            kw.update(special.get((dept, year), {}))
            out.append(Spec((ZZ,), "D42Y", agency, year, dept=dept, **kw))

    # 新郑市 (county): D41X, departments and townships in D42Y, the legacy 02MC column.
    for year in range(2017, 2025):
        out.append(Spec((XZ,), "D41X", "新郑市人民政府", year, meta_variant=3 if year <= 2019 else 1,
                        formats=("html", "pdf") if year == 2020 else ("html",),
                        quirks=("http-dup",) if year == 2023 else ()))
    xz_years = {"31": range(2019, 2025), "33": range(2017, 2025), "35": range(2017, 2025), "36": range(2019, 2025),
                "38": range(2020, 2025), "41": range(2018, 2025), "44": range(2021, 2025)}
    xz_special = {
        ("31", 2023): dict(seed="000", formats=("html", "pdf", "docx")),
        ("33", 2020): dict(seed="002", formats=("html", "pdf", "docx")),
        ("35", 2017): dict(fixed_id=2090357),
        ("35", 2022): dict(quirks=("spam",)),
        ("41", 2021): dict(formats=("pdf",)),
        ("44", 2022): dict(formats=("docx",), quirks=("no-written-date",)),
    }
    for dept, years in xz_years.items():
        for year in years:
            kw = dict(meta_variant=3 if year <= 2019 else 1)
            kw.update(xz_special.get((dept, year), {}))
            out.append(Spec((XZ,), "D42Y", DEPTS[XZ][dept], year, dept=dept, **kw))
    out.append(Spec((XZ,), "02MC", "新郑市黄帝故里景区管理委员会", 2017, meta_variant=3, fixed_id=2090413))

    # 登封市: its own platform, and the city platform's county sub-site carrying the same 发改委 reports.
    for year in range(2019, 2024):
        out.append(Spec((DF,), "D41X", "登封市人民政府", year, meta_variant=2,
                        quirks=("no-written-date",) if year == 2020 else ()))
    for dept in ("350", "352", "360"):
        for year in range(2021, 2024):
            hosts = (DF, DFZ) if dept == "350" else (DF,)
            out.append(Spec(hosts, "D42Y", DEPTS[DF][dept], year, dept=dept, meta_variant=2))
    return out


NOTICES = [  # D0104X 政府文件: not reports, though some titles say 年度报告 or 政务公开
    "{gov}关于做好{y}年度政府信息公开工作年度报告编制发布工作的通知",
    "{gov}关于印发{y}年政务公开工作要点的通知",
    "{gov}关于公布{y}年度行政规范性文件清理结果的决定",
    "{gov}关于{y}年国民经济和社会发展计划执行情况的报告",
    "{gov}办公室关于印发{y}年度政府工作报告重点任务分工方案的通知",
]


# -- the public.* host ------------------------------------------------------------------------------------

class PublicHost(Site):
    platform = "zhengzhou"

    def __init__(self, host, catalog):
        super().__init__(host, catalog)
        self.name, self.list_style, self.link_style = HOSTS[host]
        self.depts = dict(DEPTS[host])
        cols = ["D41X", "D42Y", "D0104X"] + (["02MC"] if host == XZ else [])
        if host == DFZ:
            cols = ["D42Y"]
        for code in cols:
            self.columns[code] = Column(code, COLUMN_NAMES[code], "non-report" if code == "D0104X" else "report")
        self.robots = {ZZ: "User-agent: *\nAllow: /\n"}.get(host)
        self.addable = [c for c in ("D41X", "D42Y") if c in self.columns]
        self.added = 0

    # -- serving --

    def handle(self, req):
        if req.path in ("/", "/index.jhtml"):
            q = req.query
            a = q.get("a", "")
            if a == "path":
                return self.list_page(q.get("p", ""), q.get("d") or None, q.get("page", "1"))
            if a == "dir":
                return self.dir_page(q.get("p", ""))
            if not a and q.get("d"):
                return self.dept_home(q["d"])
            if a in ("", "platform"):
                return self.home()
            return not_found()
        doc = self.docs.get(req.path)
        if doc:
            return doc.response()
        if re.fullmatch(r"/[A-Za-z0-9]+/\d+\.jhtml", req.path):
            return self.soft_404()
        return None

    def link(self, path):
        return f"https://{self.host}{path}" if self.link_style == "absolute" else path

    def chrome(self, title, body, crumbs=()):
        crumb = "".join(f' &gt; <a href="{esc(h)}">{esc(t)}</a>' for t, h in crumbs)
        return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{esc(title)}</title>\n'
                '<link rel="stylesheet" href="/r/cms/www/default/css/public.css">\n</head>\n<body>\n'
                f'<div class="header"><div class="logo"><a href="/?a=platform">{esc(self.name)}政务公开平台</a></div>'
                '<div class="nav"><a href="/?a=platform">首页</a><a href="/?a=platform&k=law&t=paths&i=01">法定主动公开内容</a>'
                '<a href="/?a=dir&h=1&p=D42Y">部门公开</a></div></div>\n'
                f'<div class="location">当前位置：<a href="/?a=platform">首页</a>{crumb}</div>\n'
                f'{body}\n<div class="footer">主办：{esc(self.name)}办公室　技术支持：郑州市大数据管理局</div>\n'
                '</body>\n</html>\n')

    def home(self):
        links = [f'<li><a href="/?a=path&p={code}">{esc(col.name)}</a></li>' for code, col in self.columns.items()
                 if code != "D42Y"]
        if "D42Y" in self.columns:
            links.insert(1, f'<li><a href="/?a=dir&h=1&p=D42Y">{COLUMN_NAMES["D42Y"]}</a></li>')
        depts = "".join(f'<li><a href="/?d={d}">{esc(n)}</a></li>' for d, n in self.depts.items())
        body = (f'<div class="platform"><h2>政府信息公开</h2><ul class="column-list">{"".join(links)}</ul>'
                f'<h2>部门和乡镇（街道）</h2><ul class="dept-list">{depts}</ul></div>')
        return html_response(self.chrome(f"{self.name}政务公开平台", body))

    def dept_home(self, dept):
        name = self.depts.get(dept)
        if not name:
            return self.soft_404()
        body = (f'<div class="dept-home"><h2>{esc(name)}</h2><ul class="column-list">'
                f'<li><a href="/?a=path&d={dept}&p=D42Y">政府信息公开年度报告</a></li></ul></div>')
        return html_response(self.chrome(name, body))

    def dir_page(self, code):
        if code == "D42Y" and code in self.columns:
            lis = "".join(f'<li><a href="/?a=path&d={d}&p=D42Y">{esc(n)}</a></li>' for d, n in self.depts.items())
            body = f'<div class="dir"><h2>{COLUMN_NAMES["D42Y"]}</h2><ul class="dept-list">{lis}</ul></div>'
            return html_response(self.chrome(COLUMN_NAMES["D42Y"], body))
        if code in self.columns:
            return self.list_page(code, None, "1")
        return not_found()

    def items_of(self, code, dept):
        col = self.columns.get(code)
        if col is None:
            return None
        return [i for i in col.items if dept is None or i.dept == dept]

    def list_page(self, code, dept, page):
        items = self.items_of(code, dept)
        if items is None:
            return self.soft_404()
        try:
            page = max(1, int(page))
        except ValueError:
            page = 1
        pages = max(1, -(-len(items) // PER_PAGE))
        # Past the last page the CMS answers an empty list, not an error.
        shown = items[(page - 1) * PER_PAGE: page * PER_PAGE]
        anchors = "\n".join(
            f'<a href="{esc(i.href)}" title="{esc(i.title)}" target="_blank"><span>{esc(truncate(i.title, 24))}</span>'
            f'<em>{i.date}</em></a>' for i in shown)
        base = "/?a=path" + (f"&d={dept}" if dept else "") + f"&p={code}"
        name = self.columns[code].name + (f"（{self.depts.get(dept, '')}）" if dept else "")
        body = (f'<div class="list-wrap"><div class="list-title">{esc(name)}</div>\n'
                f'<ul class="{self.list_style}">\n{anchors}\n</ul>\n{pager(base, page, pages, len(items))}</div>')
        return html_response(self.chrome(name, body, [(self.columns[code].name, base)]))

    def soft_404(self):
        body = '<div class="error-page"><p>页面不存在</p><p>您访问的页面不存在或已被删除。</p><a href="/?a=platform">返回首页</a></div>'
        return html_response(self.chrome("页面不存在", body))

    def add_report(self, column="D42Y"):
        """A new newest report at the top of `column` (the incremental-crawl test's "one new report")."""
        if column not in ("D41X", "D42Y") or column not in self.columns:
            raise ValueError(f"{self.host} has no report column {column!r} to add to")
        with self.lock:
            self.added += 1
            dept = next(iter(self.depts)) if column == "D42Y" else None
            agency = self.depts[dept] if dept else self.name
            year = 2024 + self.added
            day = date(year + 1, 2, 1)
            spec = Spec((self.host,), column, agency, year, dept=dept, meta_variant=1)
            report = generated(agency, year, seed=0)
            sites, portal, ids, seq = self.ctx
            entry = publish_spec(sites, portal, ids, self.catalog, spec, report, ids.near(day), day, day, seq)
            entry.added = True
            self.columns[column].sort()
            return entry

    # -- publishing --

    def publish_report(self, spec, report, doc_id, written, day, page_meta, entry=None):
        """Serve `report` as /<COL>/<id>.jhtml (and its attachments) and list it; returns the detail path."""
        path = f"/{spec.column}/{doc_id}.jhtml"
        links = []
        for n, fmt in enumerate(f for f in spec.formats if f != "html"):
            ext = {"image-pdf": "pdf"}.get(fmt, fmt)
            apath = f"/u/cms/www/{day:%Y%m}/{day:%d}{9 + n:02d}{doc_id % 10000:04d}{n}.{ext}"
            self.attachment(apath, report, fmt, day, attachment_name(report["meta"]["title"], fmt))
            links.append((apath, attachment_name(report["meta"]["title"], fmt)))
        inline = "html" in spec.formats
        spam = "spam" in spec.quirks

        def page():
            title = report["meta"]["title"]
            if inline:
                text = report_fragment(report, self.catalog.render_variations)
                if spam:
                    text = inject_spam(text)
            else:
                text = f"<p>{esc(title)}详见附件。</p>"
            if links:
                text += '\n<div class="attachment"><p>附件：</p>' + "".join(
                    f'<p><a href="{esc(self.link(a))}" target="_blank">{esc(name)}</a></p>' for a, name in links) + "</div>"
            body = ('<div class="content-wrap">\n' + metadata_block(spec.meta_variant, page_meta) +
                    f'\n<div class="content-title">{esc(title)}</div>\n<div class="content-txt">\n{text}\n</div>\n</div>')
            return self.chrome(title, body, [(self.columns[spec.column].name, f"/?a=path&p={spec.column}")]).encode("utf-8")

        self.docs[path] = Resource(page, "text/html; charset=utf-8", published_at(day))
        item = Item(report["meta"]["title"], self.link(path), f"{day:%Y-%m-%d}", entry, spec.dept, (day, doc_id))
        self.columns[spec.column].add(item)
        if "http-dup" in spec.quirks:
            # The same report listed a second time with an http:// link (a re-push a day later).
            self.columns[spec.column].add(
                Item(report["meta"]["title"], f"http://{self.host}{path}", f"{day + timedelta(days=1):%Y-%m-%d}",
                     entry, spec.dept, (day + timedelta(days=1), doc_id)))
        return path, [a for a, _ in links]

    def publish_notice(self, title, doc_id, day):
        path = f"/D0104X/{doc_id}.jhtml"
        meta = {"索引号": f"{org_code(self.name + '办公室')}/{day.year}-{doc_id % 997:05d}", "发布机构": self.name,
                "关键词": "政府文件", "成文日期": f"{day - timedelta(days=2):%Y-%m-%d}", "发布日期": f"{day:%Y-%m-%d}"}

        def page():
            text = (f"<p>各县（市、区）人民政府，市人民政府各部门：</p><p>现将有关事项通知如下。{esc(title)}，请认真贯彻执行。</p>"
                    f"<p style=\"text-align:right\">{esc(self.name)}</p><p style=\"text-align:right\">{day:%Y年%-m月%-d日}</p>")
            body = ('<div class="content-wrap">\n' + metadata_block(1, meta) +
                    f'\n<div class="content-title">{esc(title)}</div>\n<div class="content-txt">{text}</div>\n</div>')
            return self.chrome(title, body, [("政府文件", "/?a=path&p=D0104X")]).encode("utf-8")

        self.docs[path] = Resource(page, "text/html; charset=utf-8", published_at(day))
        self.columns["D0104X"].add(Item(title, self.link(path), f"{day:%Y-%m-%d}", None, None, (day, doc_id)))
        return path


def metadata_block(variant, m):
    """The three metadata blocks seen on the platform (portals.md §1.3), placed before the title."""
    written = m.get("成文日期") or ""
    if variant == 1:   # values only; labels come from CSS
        values = [m["索引号"], m["发布机构"], m.get("关键词", ""), written, m["发布日期"]]
        return '<div class="content-info"><ul>' + "".join(f"<li>{esc(v)}</li>" for v in values) + "</ul></div>"
    if variant == 2:   # labelled list
        pairs = [("索引号", m["索引号"]), ("发布机构", m["发布机构"]), ("关键词", m.get("关键词", "")),
                 ("成文日期", written), ("发布日期", m["发布日期"])]
        return '<div class="content-info"><ul>' + "".join(f"<li>{k}:{esc(v)}</li>" for k, v in pairs) + "</ul></div>"
    cells = [("索 引 号", m["索引号"]), ("主题分类", "综合政务/公报公示/政府信息公开年报"), ("发布机构", m["发布机构"]),
             ("关 键 词", m.get("关键词", "")), ("文 号", ""), ("成文日期", written), ("发布日期", m["发布日期"]),
             ("体 裁", "报告"), ("生效日期", ""), ("废止日期", "")]
    rows = "".join("<tr>" + "".join(f'<td class="label">{k}:</td><td>{esc(v)}</td>' for k, v in cells[i:i + 2]) + "</tr>"
                   for i in range(0, len(cells), 2))
    return f'<table class="content-table" border="1" cellspacing="0">{rows}</table>'


def pager(base, page, pages, total):
    """`.page-tile`: 首页 上一页 numbers 下一页 尾页. On the last page 下一页/尾页 are javascript: links."""
    def a(label, n, cls=""):
        if n is None:
            return f'<a class="disabled" href="javascript:void(0);">{label}</a>'
        attr = f' class="{cls}"' if cls else ""
        return f'<a{attr} href="{esc(base)}&amp;page={n}">{label}</a>'
    parts = [a("首页", 1 if page > 1 else None), a("上一页", page - 1 if page > 1 else None)]
    lo = max(1, min(page - 4, pages - 9))
    for n in range(lo, min(pages, lo + 9) + 1):
        parts.append(a(str(n), n, "active" if n == page else ""))
    parts += [a("下一页", page + 1 if page < pages else None), a("尾页", pages if page < pages else None)]
    return (f'<div class="page-tile">{"".join(parts)}<span class="page-info">共{total}条 {page}/{pages}页</span></div>')


# -- www.zhengzhou.gov.cn ----------------------------------------------------------------------------------

NEWS = ["郑州市召开{y}年政务公开工作推进会", "郑州市{y}年国民经济和社会发展统计公报", "郑州市人民政府{y}年政府工作报告",
        "市政府常务会议研究部署{y}年重点工作", "郑州市发布{y}年十大民生实事", "郑州市{y}年度法治政府建设情况报告",
        "我市开展政府开放日活动", "郑州市优化营商环境新闻发布会召开", "市领导调研城市更新项目", "郑州市防汛工作会议召开"]


class PortalHost(Site):
    """www.zhengzhou.gov.cn: news column /news1/ with JEECMS index_N paging; robots.txt forbids all."""
    platform = "zhengzhou"
    robots = "User-agent: *\nDisallow: /\n"

    def __init__(self, catalog):
        super().__init__(WWW, catalog)
        self.columns["news1"] = Column("news1", "郑州要闻", "non-report")

    def handle(self, req):
        if req.path in ("/", "/index.jhtml"):
            body = '<div class="home"><a href="/news1/index.jhtml">郑州要闻</a></div>'
            return html_response(self.chrome("郑州市人民政府门户网站", body))
        m = re.fullmatch(r"/news1/index(?:_(\d+))?\.jhtml", req.path)
        if m:
            return self.list_page(int(m.group(1) or 1))
        doc = self.docs.get(req.path)
        return doc.response() if doc else None

    def chrome(self, title, body):
        return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{esc(title)}</title>\n</head>\n<body>\n'
                '<div class="header"><a href="/">郑州市人民政府</a></div>\n'
                f'{body}\n<div class="footer">郑州市人民政府办公厅主办</div>\n</body>\n</html>\n')

    def list_page(self, page):
        items = self.columns["news1"].items
        pages = max(1, -(-len(items) // PER_PAGE))
        if page < 1 or page > pages:   # static files: past the end there is nothing
            return not_found()
        shown = items[(page - 1) * PER_PAGE: page * PER_PAGE]

        def href(n):
            return "index.jhtml" if n == 1 else f"index_{n}.jhtml"
        anchors = "\n".join(f'<a href="{esc(i.href)}" title="{esc(i.title)}"><span>{esc(truncate(i.title, 30))}</span>'
                            f'<em>{i.date}</em></a>' for i in shown)
        # Pager as RSSHub reads it: total pages = the second-to-last anchor.
        parts = [f'<a href="{href(page - 1)}">上一页</a>' if page > 1 else '<a href="javascript:;">上一页</a>']
        active = ' class="active"'
        parts += [f'<a href="{href(n)}"{active if n == page else ""}>{n}</a>' for n in range(1, pages + 1)]
        parts.append(f'<a href="{href(page + 1)}">下一页</a>' if page < pages else '<a href="javascript:;">下一页</a>')
        body = (f'<div class="list-wrap"><div class="list-title">郑州要闻</div>\n<ul class="page-list">\n{anchors}\n</ul>\n'
                f'<div class="page-tile">{"".join(parts)}</div></div>')
        return html_response(self.chrome("郑州要闻", body))

    def publish(self, title, doc_id, day, fragment=None):
        """A news page, or (fragment given) a copy of a report."""
        path = f"/news1/{doc_id}.jhtml"

        def page():
            text = fragment() if fragment else f"<p>{esc(title)}。</p><p>（记者 王静）</p>"
            body = (f'<div class="content-wrap"><div class="content-title">{esc(title)}</div>'
                    f'<div class="content-info">发布时间：{day:%Y-%m-%d} 来源：郑州市人民政府办公厅</div>'
                    f'<div class="content-txt">\n{text}\n</div></div>')
            return self.chrome(title, body).encode("utf-8")
        self.docs[path] = Resource(page, "text/html; charset=utf-8", published_at(day))
        self.columns["news1"].add(Item(title, path, f"{day:%Y-%m-%d}", None, None, (day, doc_id)))
        return path


# -- building ------------------------------------------------------------------------------------------------

class Ids:
    """Content ids grow with time (one CMS for every host); a few real ids are pinned."""

    def __init__(self):
        self.used = set()
        self.rng = rng_for("zhengzhou-ids")

    def near(self, day):
        guess = 2090000 + (day - date(2018, 1, 1)).days * 2700 + self.rng.randint(0, 2500)
        while guess in self.used:
            guess += 1
        self.used.add(guess)
        return guess


def build(catalog):
    sites = {host: PublicHost(host, catalog) for host in HOSTS}
    portal = PortalHost(catalog)
    ids = Ids()
    plan = []
    for spec in specs():
        report = seed_report(spec.seed) if spec.seed else generated(
            spec.agency, spec.year, seed=0, broken="broken" in spec.quirks)
        if spec.fixed_days:
            written, day = spec.fixed_days
        else:
            day = publication_day(spec.agency, spec.year, _kind(spec.agency))
            written = day - timedelta(days=rng_for("written", spec.agency, spec.year).randint(0, 4))
        plan.append((spec, report, written, day))
    for site in sites.values():
        site.ctx = (sites, portal, ids, {})
    for spec, *_ in plan:
        if spec.fixed_id:
            ids.used.add(spec.fixed_id)
    seq = {}
    for spec, report, written, day in sorted(plan, key=lambda p: p[3]):
        doc_id = spec.fixed_id or ids.near(day)
        publish_spec(sites, portal, ids, catalog, spec, report, doc_id, written, day, seq)

    # Non-report columns, and a dead list link.
    for host in (ZZ, XZ, DF):
        site = sites[host]
        for n in range(18 if host != DF else 6):
            y = 2018 + n % 7
            day = date(y, 2 + n % 9, 3 + n)
            title = NOTICES[n % len(NOTICES)].format(gov=site.name, y=y)
            path = site.publish_notice(title, ids.near(day), day)
            catalog.non_reports.add(f"https://{host}{path}")
    dead = ids.near(date(2023, 1, 20))
    xz = sites[XZ]
    xz.columns["D42Y"].add(Item("新郑市梨河镇人民政府2022年政府信息公开工作年度报告", f"/D42Y/{dead}.jhtml",
                                         "2023-01-20", None, "35", (date(2023, 1, 20), dead)))
    catalog.dead_links.add(f"https://{XZ}/D42Y/{dead}.jhtml")
    catalog.obstacle("soft_404", XZ, url=f"https://{XZ}/D42Y/{dead}.jhtml",
                     behaviour="a D42Y list links a dead id: 200 text/html '页面不存在' (also for any unknown .jhtml id)")

    for n in range(40):
        day = date(2024, 3, 1) + timedelta(days=n * 5)
        title = NEWS[n % len(NEWS)].format(y=2023 + n // 10)
        path = portal.publish(title, ids.near(day), day)
        catalog.non_reports.add(f"https://{WWW}{path}")

    for site in [*sites.values(), portal]:
        for col in site.columns.values():
            col.sort()
    for host, site in sites.items():
        for code in site.columns:
            catalog.columns.append(site.column_info(code, f"https://{host}/?a=path&p={code}", PER_PAGE))
    catalog.columns.append(portal.column_info("news1", f"https://{WWW}/news1/index.jhtml", PER_PAGE))
    catalog.obstacle("burst_503", XZ, url=f"https://{XZ}/?a=path&p=D42Y&page=2", times=3,
                     behaviour="first 3 requests (any parameter order): 503 without Retry-After, then the page")
    catalog.obstacle("robots_disallow", WWW, url=f"https://{WWW}/robots.txt", behaviour="User-agent: * / Disallow: /")
    catalog.obstacle("robots_allow", ZZ, url=f"https://{ZZ}/robots.txt", behaviour="User-agent: * / Allow: /")
    catalog.obstacle("robots_404", XZ, url=f"https://{XZ}/robots.txt", behaviour="404")
    http_dup = [e for e in catalog.reports if "http-dup" in e.quirks]
    catalog.obstacle("http_https_duplicate", XZ, url=f"https://{XZ}/?a=path&p=D41X",
                     behaviour="the same report is listed twice on page 1: root-relative link and absolute http:// link",
                     reports=[e.url for e in http_dup])
    return [*sites.values(), portal]


def page_meta_for(spec, report, written, day, seq):
    agency = report["meta"]["agency"]
    publisher = agency + "办公室" if spec.column == "D41X" and agency.endswith("人民政府") else agency
    n = seq[(agency, day.year)] = seq.get((agency, day.year), 0) + 1
    index = spec.fixed_index or f"{org_code(agency)}/{day.year}-{n:05d}"
    if "no-org-code" in spec.quirks:
        index = f"{day.year}-{n:05d}"
    keyword = rng_for("kw", agency, spec.year).choice(["政府信息公开年度报告", "年报", "政务公开,年报", "信息,年报",
                                                       "政府信息公开、年度、报告"])
    if "keyword-title" in spec.quirks:
        keyword = report["meta"]["title"]
    return {"索引号": index, "发布机构": publisher, "关键词": keyword,
            "成文日期": None if "no-written-date" in spec.quirks else f"{written:%Y-%m-%d}",
            "发布日期": f"{day:%Y-%m-%d}", "title": report["meta"]["title"]}


def publish_spec(sites, portal, ids, catalog, spec, report, doc_id, written, day, seq):
    meta = page_meta_for(spec, report, written, day, seq)
    entry = None
    for host in spec.hosts:
        site = sites[host]
        path, attachments = site.publish_report(spec, report, doc_id, written, day, meta)
        url = f"https://{host}{path}"
        if entry is None:
            entry = new_entry(key=f"{host}{path}", url=url, host=host, column=spec.column, platform="zhengzhou",
                              formats=spec.formats, report=report, page_meta=meta, published=f"{day:%Y-%m-%d}",
                              source=f"seed:{spec.seed}" if spec.seed else "generated", dept_id=spec.dept,
                              quirks=[q for q in spec.quirks], varied=catalog.render_variations)
            entry.attachments = [f"https://{host}{a}" for a in attachments]
            entry.attachment_files = list(entry.attachments)
            entry.obstacle = spec.obstacle
            catalog.add(entry)
        else:
            catalog.add_url(entry, url)
        # The list items were created before the entry existed: point them at it.
        for item in site.columns[spec.column].items:
            if item.entry is None and item.href.endswith(path):
                item.entry = entry
    if spec.portal_copy:
        copy_id = ids.near(day + timedelta(days=1))
        path = portal.publish(report["meta"]["title"], copy_id, day + timedelta(days=1),
                              fragment=lambda: report_fragment(report, catalog.render_variations))
        catalog.add_url(entry, f"https://{WWW}{path}")
    if spec.obstacle == "rate_429":
        catalog.obstacle("rate_429", spec.hosts[0], url=entry.url, times=2, retry_after=1,
                         behaviour="first 2 requests: 429 with Retry-After: 1, then the page")
    return entry
