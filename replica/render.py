"""Render a report as a portal serves it: the article's HTML, a whole page in a given charset, text exports.

A *report* is a dict in the truth-file shape plus meta (see replica/generate.py):
`{"meta": {"title", "agency", "year", "template"}, "proactive": ..., "applications": ...,
"review_litigation": ...}`; a value of None renders as an empty cell.

Public API (other helpers import exactly these names):
    render_report_html(report, **variation) -> str     article body: title, prose 一…六, the three tables
    render_page_html(report, *, charset="utf-8", site_chrome=True, **variation) -> bytes
    render_report_text(report, layout="tabs" | "cells") -> str
    Variation                                          the variation options, with their defaults

Variations are keyword arguments (render_page_html(report, rowspans=False, none_text="/")) or one
`variation=Variation(...)`; an unknown name is a TypeError, so a typo cannot silently test nothing.

The official layout (template.md §2-§4) is the default, as pasted from Word. Each `Variation` field turns
on one real-world deviation of template.md §6; each is exercised by a test in tests/test_parse_variations.py.
Labels are written out here, not imported from pipelines.template, so the replica cannot share a
mistake with the parser it tests.
"""
import html
import json
from dataclasses import dataclass, field, fields

# -- the template's labels ---------------------------------------------------------------------------

COLUMNS = ["natural_person", "commercial_enterprise", "research_institution",
           "social_welfare_org", "legal_service_org", "other_org", "total"]
REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_MEASURES = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# section 二: (caption clause, [(item, label)], [(measure, label)]) per template
PROACTIVE_BLOCKS = {
    "2021": [
        ("一", [("rules", "规章"), ("normative_documents", "行政规范性文件")],
         [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]),
        ("五", [("licensing", "行政许可")], [("decisions", "本年处理决定数量")]),
        ("六", [("penalty", "行政处罚"), ("enforcement", "行政强制")], [("decisions", "本年处理决定数量")]),
        ("八", [("fees", "行政事业性收费")], [("fee_amount_10k_yuan", "本年收费金额（单位：万元）")]),
    ],
    "2019": [
        ("一", [("rules", "规章"), ("normative_documents", "规范性文件")],
         [("new_made", "本年新制作数量"), ("new_published", "本年新公开数量"), ("total_published", "对外公开总数量")]),
        ("五", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         [("prev_year_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("六", [("penalty", "行政处罚"), ("enforcement", "行政强制")],
         [("prev_year_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("八", [("fees", "行政事业性收费")], [("prev_year_items", "上一年项目数量"), ("change", "本年增/减")]),
        ("九", [("procurement", "政府集中采购")],
         [("procurement_projects", "采购项目数量"), ("procurement_amount", "采购总金额")]),
    ],
}
# Hubei 2020 (2019 template): provincial guidance appended to labels (template.md §6.1)
HUBEI_NOTES = {
    "规章": "(设区的市、自治州人民政府应提供相关数据)",
    "规范性文件": "(行政机关制定发布的涉及公民、法人和其他组织权利义务的文件)",
    "其他对外管理服务事项": "(指行政许可以外的其他对外管理服务事项)",
    "上一年项目数量": "(指{prev}年事项数)",
    "本年增/减": "(指{year}年增加或减少的事项数,减用负值表示,如-8)",
    "处理决定数量": "(指{year}年办件量)",
}

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ORG_LABELS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
WITHHELD = ["属于国家秘密", "其他法律行政法规禁止公开", "危及{q0}三安全一稳定{q1}", "保护第三方合法权益",
            "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]
UNAVAILABLE = ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]
REJECTED = ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
            "要求行政机关确认或重新出具已获取信息"]
OTHER = ["申请人无正当理由逾期不补正{sep}行政机关不再处理其政府信息公开申请",
         "申请人逾期未按收费通知要求缴纳费用{sep}行政机关不再处理其政府信息公开申请", "其他"]
ROW_CODES = {
    "withheld": ["withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
                 "withheld_third_party_rights", "withheld_internal_affairs", "withheld_process_info",
                 "withheld_enforcement_file", "withheld_admin_query"],
    "unavailable": ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"],
    "rejected": ["rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
                 "rejected_confirmation"],
    "other": ["other_overdue_correction", "other_overdue_fee", "other_other"],
}
CN_NUM = "一二三四五六七八九十"


# -- variations --------------------------------------------------------------------------------------

@dataclass
class Variation:
    """One field per real-world deviation (template.md §6). The defaults give the official layout."""
    markup: str = "word"            # "word": MsoNormalTable, <p class=MsoNormal><span>, &nbsp;, <o:p>; "plain"
    rowspans: bool = True           # False: explicit empty cells instead of rowspan/colspan-3 header cells
    header_breaks: bool = False     # header labels broken with <br> ("本年新<br>制作数量", "结果<br>维持")
    halfwidth: bool = False         # "(一)", "(三) 不予公开", "1. 属于…" instead of "（一）", "1.属于…"
    quotes: str = "“”"              # around 三安全一稳定: "“”", '""' or "" (none)
    other_sep: str = "、"           # separator in （六）1./2.: "、" or "，"
    none_text: str = ""             # how a None value is printed: "", "/", "—", "-", "无"
    cell_text: dict = field(default_factory=dict)  # raw text for given cells: {"proactive.fees.change": "减4"}
    amount_unit: str = ""           # appended to procurement_amount ("元" as in Shanghai 2019: 251000元)
    change_sign: str = ""           # 2019 本年增/减: "" (-2), "+" (+173, -2) or "减" (+173, 减4)
    fullwidth_digits: bool = False  # １２３
    thousands: bool = False         # 1,608,911
    split_numbers: bool = False     # <span>10</span><span>037</span> (Word runs)
    shanghai_colspans: bool = False  # 2019 (五)(六)(八): header and data-row colspans disagree
    hubei: bool = False             # Hubei 2020 annotated labels; headings 二/三 with 行政机关
    table_intro: str = ""           # a paragraph between each section heading and its table (编写说明 …)
    ragged_rows: bool = False       # seed 003: a row missing its spacer cell, rows with a trailing empty cell
    review_sentence: str = ""       # a sentence under heading 四 before its table (未发生…复议、诉讼的情况)
    in_javascript: bool = False     # the article in a JavaScript string with escaped quotes (Shanghai 2019)
    split_tables: bool = False      # section 二 one <table> per 第二十条 block; section 三 broken over two
                                    # tables with its header rows repeated (a Word table across a page break)
    drop_sub_labels: tuple = ()     # groups ("withheld", "unavailable", "rejected", "other") whose numbered
                                    # sub-row labels are left empty: bare numbers under the group (owenbabies)
    legacy_table: bool = True       # free-form reports: include the old 统计表 when the report has one


def _variation(kw):
    if isinstance(kw.get("variation"), Variation):
        return kw["variation"]
    names = {f.name for f in fields(Variation)}
    unknown = set(kw) - names
    if unknown:
        raise TypeError(f"unknown variation(s): {sorted(unknown)}")
    return Variation(**kw)


# -- values --------------------------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def format_value(value, v, ref="", measure=""):
    """The text a portal prints for one value (before markup)."""
    if ref in v.cell_text:
        return v.cell_text[ref]
    if value is None:
        return v.none_text
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.6f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    if v.thousands:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + ("." + frac if frac else "")
    if measure == "change" and v.change_sign:
        if sign == "-" and v.change_sign == "减":
            sign = "减"
        elif not sign and value:
            sign = "+"
    if v.fullwidth_digits:
        text = text.translate(_FULLWIDTH)
    if measure == "procurement_amount" and v.amount_unit:
        text += v.amount_unit
    return sign + text


# -- markup ----------------------------------------------------------------------------------------------

_SPAN_STYLE = "font-size:10.5pt;font-family:宋体"


class Html:
    """Cells and paragraphs in the chosen markup style. Word markup is kept light (a real Word paste
    is 3-10x heavier) so a seed renders to a page of about 30 KB."""

    def __init__(self, v):
        self.v = v

    def cell(self, text, colspan=1, rowspan=1, number=False):
        attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
        inner = self._inner(text, number)
        if self.v.markup == "plain":
            return f"<td{attrs}>{inner}</td>"
        return f'<td{attrs}><p class="MsoNormal" align="center">{inner}</p></td>'

    def _inner(self, text, number):
        if text == "":
            return '<span lang="EN-US">&nbsp;<o:p></o:p></span>' if self.v.markup == "word" else ""
        if number and self.v.split_numbers and len(text) > 1:
            cut = (len(text) + 1) // 2
            parts = [text[:cut], text[cut:]]
        else:
            parts = [text]
        esc = [html.escape(p, quote=False).replace("\n", "<br />") for p in parts]
        if self.v.markup == "plain":
            return "".join(f"<span>{p}</span>" for p in esc) if len(esc) > 1 else esc[0]
        if number:
            return "".join(f'<span lang="EN-US">{p}</span>' for p in esc) + "<o:p></o:p>"
        return "".join(f'<span style="{_SPAN_STYLE}">{p}</span>' for p in esc) + "<o:p></o:p>"

    def row(self, cells):
        return "<tr>" + "".join(cells) + "</tr>"

    def table(self, rows):
        if self.v.markup == "plain":
            return '<table border="1" cellspacing="0" cellpadding="0" width="100%">' + "".join(rows) + "</table>"
        return ('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" align="center" '
                'style="border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;'
                'mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt"><tbody>'
                + "".join(rows) + "</tbody></table>")

    def para(self, text, bold=False, center=False):
        body = html.escape(text, quote=False)
        if bold:
            body = f"<b>{body}</b>"
        if self.v.markup == "plain":
            style = ' style="text-align:center"' if center else ' style="text-indent:2em"'
            return f"<p{style}>{body}</p>"
        align = ' align="center" style="text-align:center"' if center else ' style="text-indent:32.0pt"'
        return (f'<p class="MsoNormal"{align}><span style="font-size:16.0pt;font-family:仿宋_GB2312">'
                f'{body}</span><span lang="EN-US"><o:p></o:p></span></p>')


def _label(text, v):
    """A header label, broken with <br> when asked (marked with \\n, escaped to <br /> in markup)."""
    if v.header_breaks and len(text) >= 4 and "（" not in text:
        cut = len(text) // 2
        return text[:cut] + "\n" + text[cut:]
    return text


def _ord(n, v, paren=True):
    """（一） / (一) / 一、 ordinal prefixes."""
    cn = CN_NUM[n - 1]
    if not paren:
        return f"{cn}、"
    return f"({cn}) " if v.halfwidth else f"（{cn}）"


def _sub(n, v):
    return f"{n}. " if v.halfwidth else f"{n}."


# -- the three tables as logical rows: [(text, colspan, rowspan, is_number)] -------------------------------
# Built once as a grid description, then written as HTML or as text. A cell is a small tuple so both
# writers share the layout.

def _c(text, colspan=1, rowspan=1, number=False):
    return (text, colspan, rowspan, number)


def proactive_rows(report, v):
    tmpl = report["meta"]["template"]
    year = report["meta"].get("year") or 0
    data = report.get("proactive") or {}
    width = 5 if (v.shanghai_colspans and tmpl == "2019") else 4
    rows = []
    for clause, items, measures in PROACTIVE_BLOCKS[tmpl]:
        if clause == "一" and "other_documents" in data:
            items = items + [("other_documents", "其他主动公开文件")]  # Hubei 2020 extension row
        rows.append([_c(f"第二十条第（{clause}）项", width)])
        head_spans, data_spans = _block_spans(len(measures), width, v, tmpl, clause)
        head = [_c("信息内容")]
        for (m, label), span in zip(measures, head_spans):
            head.append(_c(_label(_hubei(label, v, year), v), span))
        rows.append(head)
        for item, label in items:
            row = [_c(_hubei(label, v, year))]
            for (m, _), span in zip(measures, data_spans):
                value = (data.get(item) or {}).get(m)
                row.append(_c(format_value(value, v, f"proactive.{item}.{m}", m), span, number=True))
            rows.append(row)
    return rows


def _block_spans(n, width, v, tmpl, clause):
    """Colspans of header and data cells of one block. Shanghai 2019 makes them disagree (§6.3)."""
    even = [1] * n
    even[-1] = width - 1 - (n - 1)
    if width == 5 and clause in ("五", "六"):
        return [1, 2, 1], [2, 1, 1]  # header 本年增/减 spans 2, data: the first value spans 2
    if width == 5 and clause == "八":
        return [2, 2], [3, 1]
    return even, list(even)


def _hubei(label, v, year):
    if not v.hubei:
        return label
    for key, note in HUBEI_NOTES.items():
        if label == key:
            return label + note.format(prev=year - 1, year=year)
    return label


def application_rows(report, v):
    tmpl = report["meta"]["template"]
    apps = report.get("applications") or {}

    def values(code):
        return [_c(format_value((apps.get(code) or {}).get(c), v, f"applications.{code}.{c}"), number=True)
                for c in COLUMNS]

    rows = []
    if v.rowspans:
        rows.append([_c(CORNER, 3, 3), _c("申请人情况", 7)])
        rows.append([_c("自然人", 1, 2), _c("法人或其他组织", 5), _c("总计", 1, 2)])
        rows.append([_c(_label(l, v)) for l in ORG_LABELS])
    else:  # explicit empty cells (KIROGOVCOMPARE fixture, seed text exports)
        rows.append([_c(CORNER, 3), _c("申请人情况", 7)])
        rows.append([_c("", 3), _c("自然人"), _c("法人或其他组织", 5), _c("总计")])
        rows.append([_c("", 3), _c("")] + [_c(_label(l, v)) for l in ORG_LABELS] + [_c("")])

    def l0(code, label):
        rows.append([_c(label, 3)] + values(code))

    l0("new_received", "一、本年新收政府信息公开申请数量")
    l0("carried_over", "二、上年结转政府信息公开申请数量")
    leaves = [("disclosed", _ord(1, v) + "予以公开", None),
              ("partially_disclosed", _ord(2, v) + "部分公开（区分处理的，只计这一情形，不计其他情形）", None)]
    q0, q1 = (v.quotes[0], v.quotes[1]) if len(v.quotes) == 2 else ("", "")
    groups = [(3, "不予公开", "withheld", [l.format(q0=q0, q1=q1) for l in WITHHELD]),
              (4, "无法提供", "unavailable", UNAVAILABLE),
              (5, "不予处理", "rejected", REJECTED)]
    if tmpl == "2021":
        groups.append((6, "其他处理", "other", [l.format(sep=v.other_sep) for l in OTHER]))
    body = []  # (group cell or None, label cells, code)
    for code, label, _ in leaves:
        body.append((None, [_c(label, 2)], code))
    for n, name, key, labels in groups:
        for i, (code, label) in enumerate(zip(ROW_CODES[key], labels)):
            group = _c(_ord(n, v) + name, 1, len(labels)) if i == 0 else "spanned"
            sub = "" if key in v.drop_sub_labels else _sub(i + 1, v) + label
            body.append((group, [_c(sub)], code))
    if tmpl == "2019":
        body.append((None, [_c(_ord(6, v) + "其他处理", 2)], "other_total"))
    body.append((None, [_c(_ord(7, v) + "总计", 2)], "results_total"))
    for i, (group, labels, code) in enumerate(body):
        row = []
        if i == 0:
            row.append(_c("三、本年度办理结果", 1, len(body) if v.rowspans else 1))
        elif not v.rowspans:
            row.append(_c(""))
        if group == "spanned":
            if not v.rowspans:
                row.append(_c(""))
        elif group is not None:
            row.append(group if v.rowspans else _c(group[0]))
        row += labels + values(code)
        if v.ragged_rows:
            row = _ragged(row, code, v)
        rows.append(row)
    l0("carried_forward", "四、结转下年度继续办理")
    return rows


def _ragged(row, code, v):
    """Seed 003: (七) 总计 loses its colspan and gains a trailing empty cell; the last 不予处理 row
    loses its leading spacer (explicit-empty layout only)."""
    if code == "results_total":
        text, _, rowspan, number = row[-8]
        row = row[:-8] + [(text, 1, rowspan, number)] + row[-7:] + [_c("")]
    elif code == "rejected_confirmation" and not v.rowspans:
        row = row[1:]
    elif code in ("disclosed", "carried_forward"):
        row = row + [_c("")]
    return row


def review_rows(report, v):
    data = report.get("review_litigation") or {}
    labels = [_c(_label(l, v)) for l in REVIEW_LABELS]
    rows = [[_c("行政复议", 5), _c("行政诉讼", 10)]]
    if v.rowspans:
        rows.append([_c(_label(l, v), 1, 2) for l in REVIEW_LABELS]
                    + [_c("未经复议直接起诉", 5), _c("复议后起诉", 5)])
        rows.append(labels + labels)
    else:
        rows.append(list(labels) + [_c("未经复议直接起诉", 5), _c("复议后起诉", 5)])
        rows.append([_c("")] * 5 + labels + labels)
    rows.append([_c(format_value((data.get(g) or {}).get(m), v, f"review_litigation.{g}.{m}"), number=True)
                 for g in REVIEW_GROUPS for m in REVIEW_MEASURES])
    return rows


# -- prose -------------------------------------------------------------------------------------------------------

def _total(report, row):
    return ((report.get("applications") or {}).get(row) or {}).get("total")


def prose(report):
    """Short prose of sections 一, 五, 六, with the numbers the tables give (as real reports repeat them)."""
    m = report["meta"]
    agency, year = m.get("agency") or "本机关", m.get("year")
    received, handled = _total(report, "new_received"), _total(report, "results_total")
    over, forward = _total(report, "carried_over"), _total(report, "carried_forward")
    apps = (f"{year}年，共收到政府信息公开申请{received}件，办结{handled}件（含上年结转{over}件），"
            f"结转下年度继续办理{forward}件。") if received is not None else f"{year}年，依申请公开工作平稳有序。"
    overview = [
        f"{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "紧紧围绕中心工作，持续深化政务公开，推进决策、执行、管理、服务、结果公开。",
        ("（一）主动公开", "坚持以公开为常态、不公开为例外，及时公开政策文件、重点领域信息和政策解读材料。"),
        ("（二）依申请公开", apps + "严格按照法定程序和时限办理，答复规范。"),
        ("（三）政府信息管理", "严格落实信息发布“三审三校”制度，做好公开前保密审查。"),
        ("（四）政府信息公开平台建设", "持续优化政府网站信息公开专栏，做好政务新媒体管理。"),
        ("（五）监督保障", "将政务公开纳入年度绩效考核，开展日常监测和季度通报。"),
    ]
    problems = ["存在的问题：政策解读形式不够丰富，基层政务公开人员业务水平有待提高。"
                "改进措施：加强业务培训，丰富解读形式，提升公开质量。"]
    other = [f"依据《政府信息公开信息处理费管理办法》，本机关{year}年度未收取政府信息公开信息处理费。"]
    return overview, problems, other


def free_prose(report):
    """A pre-2019 free-form report: old-regulation sections, no standard tables."""
    m = report["meta"]
    year = m.get("year")
    return [
        ("一、概述", f"{year}年，{m.get('agency')}认真贯彻落实《中华人民共和国政府信息公开条例》，进一步完善工作机制。"),
        ("二、主动公开政府信息情况", "全年主动公开政府信息若干条，通过政府网站、政府公报、新闻发布会等渠道发布。"),
        ("三、依申请公开政府信息情况", "全年依申请公开工作依法有序开展，均在法定时限内答复。"),
        ("四、政府信息公开的收费及减免情况", "本年度未收取任何费用。"),
        ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"),
        ("六、存在的主要问题及改进措施", "部分单位公开意识有待加强，下一步将加大培训力度。"),
    ]


# -- the article fragment ----------------------------------------------------------------------------------

def render_report_html(report, **variation):
    """The article body as a portal's editor holds it: title, prose 一…六 and the three tables."""
    v = _variation(variation)
    h = Html(v)
    m = report["meta"]
    out = [h.para(m.get("title") or "", bold=True, center=True)]
    if m.get("template") == "free":
        out += _free_body(report, h, v)
    else:
        out += _standard_body(report, h, v)
    body = "\n".join(out)
    return _in_javascript(body) if v.in_javascript else body


def _grid_html(h, rows):
    return h.table([h.row([h.cell(t, cs, rs, num) for t, cs, rs, num in row]) for row in rows])


def _tables_html(h, rows, v, section):
    if not v.split_tables:
        return [_grid_html(h, rows)]
    if section == "proactive":  # a new table at each caption row
        starts = [i for i, row in enumerate(rows) if row[0][0].startswith("第二十条")] + [len(rows)]
        return [_grid_html(h, rows[a:b]) for a, b in zip(starts, starts[1:])]
    cut = next(i for i, row in enumerate(rows) if any("无法提供" in c[0] for c in row))
    header = rows[:3]
    # rowspans cannot cross the break: the group cells are cut at it, as Word does
    first = [[(t, cs, min(rs, cut - i), n) for t, cs, rs, n in row] for i, row in enumerate(rows[:cut])]
    return [_grid_html(h, first), _grid_html(h, header + rows[cut:])]


def _standard_body(report, h, v):
    overview, problems, other = prose(report)
    out = [h.para("一、总体情况", bold=True), h.para(overview[0])]
    for head, text in overview[1:]:
        out += [h.para(head), h.para(text)]
    intro = [h.para(v.table_intro)] if v.table_intro else []
    heading2 = "二、行政机关主动公开政府信息情况" if v.hubei else "二、主动公开政府信息情况"
    heading3 = "三、行政机关收到和处理政府信息公开申请情况" if v.hubei else "三、收到和处理政府信息公开申请情况"
    out += [h.para(heading2, bold=True)] + intro + _tables_html(h, proactive_rows(report, v), v, "proactive")
    out += [h.para(heading3, bold=True)] + intro + _tables_html(h, application_rows(report, v), v, "applications")
    out += [h.para("四、政府信息公开行政复议、行政诉讼情况", bold=True)]
    if v.review_sentence:
        out.append(h.para(v.review_sentence))
    out += intro + [_grid_html(h, review_rows(report, v))]
    out += [h.para("五、存在的主要问题及改进情况", bold=True)] + [h.para(p) for p in problems]
    out += [h.para("六、其他需要报告的事项", bold=True)] + [h.para(p) for p in other]
    return out


def _free_body(report, h, v):
    out = []
    for head, text in free_prose(report):
        out += [h.para(head, bold=True), h.para(text)]
    stats = report["meta"].get("legacy_stats")
    if stats and v.legacy_table:
        out.append(h.para("七、政府信息公开情况统计表", bold=True))
        rows = [[_c("指标名称"), _c("计量单位"), _c(stats["period"]), _c("历年累计")]]
        for label, unit, n, total in stats["rows"]:
            rows.append([_c(label), _c(unit), _c(format_value(n, v), number=True),
                         _c(format_value(total, v), number=True)])
        out.append(_grid_html(h, rows))
    return out


def _in_javascript(body):
    """Shanghai 2019: the article is a JavaScript string written into the page by a script."""
    literal = json.dumps(body, ensure_ascii=False).replace("</", "<\\/")
    return ('<div id="zoom"></div>\n<script type="text/javascript">\n'
            f"var content = {literal};\n"
            'document.getElementById("zoom").innerHTML = content;\n</script>')


# -- the whole page --------------------------------------------------------------------------------------------

_SAME = object()


def render_page_html(report, *, charset="utf-8", site_chrome=True, declared=_SAME, bom=False,
                     header_meta=True, page_title="full", **variation):
    """A whole report page as served, encoded in `charset`.

    declared: the charset the page's <meta> names (default: `charset`; None: no <meta charset>; a
    different name gives a page that lies about its encoding). A gb2312/gbk page is encoded gb18030,
    as real servers holding GBK-only characters such as 瀍 do. bom: prefix a byte-order mark.
    header_meta: CMS <meta name="ArticleTitle"> tags in the head (Hanweb/TRS style).
    page_title: "full" (<title>报告标题_栏目_网站</title>) or "site" (the site's name only, as many CMSs do).
    The chrome's side column lists the agency's earlier reports, before the article in source order.
    """
    m = report["meta"]
    title = m.get("title") or ""
    declared = charset if declared is _SAME else declared
    head = []
    if declared:
        head.append(f'<meta http-equiv="Content-Type" content="text/html; charset={declared}" />')
    shown = f"{title}_政府信息公开年报_{_site(m)}" if page_title == "full" else _site(m)
    head.append(f"<title>{html.escape(shown)}</title>")
    if header_meta and site_chrome:
        head.append(f'<meta name="ArticleTitle" content="{html.escape(title)}" />')
        head.append(f'<meta name="PubDate" content="{(m.get("year") or 2000) + 1}-01-20 09:30" />')
        head.append('<meta name="ColumnName" content="政府信息公开年报" />')
    fragment = render_report_html(report, **variation)
    if site_chrome:
        body = _chrome_top(m) + f'<div class="article"><h1 class="title">{html.escape(title)}</h1>\n' \
            + _article_info(m) + f'<div class="TRS_Editor">{fragment}</div></div>\n' + _chrome_bottom(m)
    else:
        body = fragment
    page = ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
            "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n' + "\n".join(head)
            + '\n<link rel="stylesheet" type="text/css" href="/css/style.css" />\n</head>\n<body>\n'
            + body + "\n</body>\n</html>\n")
    encoding = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(charset.lower(), charset)
    data = page.encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding.lower()] + data
    return data


def _site(meta):
    agency = meta.get("agency") or "政府门户网站"
    for suffix in ("办公室", "人民政府"):
        if agency.endswith(suffix) and len(agency) > len(suffix) + 2:
            agency = agency[: -len(suffix)]
            break
    return agency + ("人民政府" if not agency.endswith(("局", "委员会", "政府")) else "")


def _chrome_top(meta):
    site = html.escape(_site(meta))
    nav = "".join(f'<li><a href="/{slug}/">{name}</a></li>' for slug, name in
                  [("", "首页"), ("zwgk", "政务公开"), ("zwfw", "政务服务"), ("hdjl", "互动交流"), ("zjxx", "走进本地")])
    agency, year = html.escape(meta.get("agency") or ""), meta.get("year") or 2000
    earlier = "".join(f'<li><a href="/zwgk/xxgknb/{y}/">{agency}{y}年政府信息公开工作年度报告</a></li>'
                      for y in range(year - 1, year - 4, -1))
    return (f'<div class="header"><table class="top" width="100%"><tr><td><a href="/">{site}</a></td>'
            '<td class="right"><a href="/wza/">无障碍</a> | <a href="/en/">English</a> | '
            '<a href="/search/">搜索</a></td></tr></table>\n'
            f'<ul class="nav">{nav}</ul></div>\n'
            '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
            '<a href="/zwgk/xxgknb/">政府信息公开年报</a></div>\n'
            f'<div class="left"><h3>往年年报</h3><ul>{earlier}</ul></div>\n')


def _article_info(meta):
    year = (meta.get("year") or 2000) + 1
    return (f'<table class="info" width="100%"><tr><td>发布时间：{year}-01-20</td><td>来源：{html.escape(meta.get("agency") or "")}</td>'
            '<td>浏览次数：<span id="hits">1352</span></td><td>字号：[<a href="#">大</a> <a href="#">中</a> '
            '<a href="#">小</a>]</td></tr></table>\n')


def _chrome_bottom(meta):
    site = html.escape(_site(meta))
    return ('<div class="related"><h3>相关链接</h3><table width="100%"><tr>'
            '<td><a href="/zwgk/xxgknb/">政府信息公开年报</a></td><td><a href="/zwgk/xxgkzn/">政府信息公开指南</a></td>'
            '<td><a href="/zwgk/xxgkzd/">政府信息公开制度</a></td></tr></table></div>\n'
            f'<div class="footer"><table width="100%"><tr><td>主办单位：{site}办公室</td>'
            '<td>联系电话：0371-62660001</td></tr><tr><td>网站标识码：4101000001</td>'
            '<td>豫ICP备05007033号-1　豫公网安备 41010202002512号</td></tr></table></div>\n'
            '<script type="text/javascript">var _hmt = _hmt || []; (function(){ var hm = document.createElement("script");'
            ' hm.src = "https://hm.baidu.com/hm.js"; })();</script>')


# -- text exports -------------------------------------------------------------------------------------------------

def render_report_text(report, layout="tabs", headings="plain", **variation):
    """The report as the seeds' text exports: layout "tabs" (tab-separated rows, like seeds 000/003/004)
    or "cells" (one cell per line, a blank line between rows, like seeds 001/002). headings "markdown"
    prefixes '#'/'##' as in seed 004."""
    v = _variation(variation)
    if layout not in ("tabs", "cells"):
        raise ValueError(f"unknown layout {layout!r}")
    m = report["meta"]
    md = headings == "markdown"
    lines = ["", "", ("# " if md else "") + (m.get("title") or ""), ""]

    def heading(text):
        lines.extend([("## " if md else "") + text, ""])

    def para(text):
        lines.extend([text, ""])

    def table(rows):
        lines.extend(_text_table(rows, layout, v))

    if m.get("template") == "free":
        for head, text in free_prose(report):
            heading(head)
            para(text)
        return "\n".join(lines)
    overview, problems, other = prose(report)
    heading("一、总体情况")
    para(overview[0])
    for head, text in overview[1:]:
        para(head + "：" + text)
    heading("二、主动公开政府信息情况")
    table(proactive_rows(report, v))
    heading("三、收到和处理政府信息公开申请情况")
    table(application_rows(report, v))
    heading("四、政府信息公开行政复议、行政诉讼情况")
    table(review_rows(report, v))
    heading("五、存在的主要问题及改进情况")
    for p in problems:
        para(p)
    heading("六、其他需要报告的事项")
    for p in other:
        para(p)
    return "\n".join(lines)


def _text_table(rows, layout, v):
    """Expand spans the way a text export does: a colspan leaves empty cells after the text; a rowspan
    leaves an empty cell in the rows below (the seeds show both)."""
    grid, pending = [], {}
    for row in rows:
        out, col, cells = [], 0, list(row)
        while cells or any(c >= col for c in pending):
            if col in pending:
                span, left = pending[col]
                out += [""] * span
                pending[col] = (span, left - 1)
                if left <= 1:
                    del pending[col]
                col += span
                continue
            if not cells:
                col = min(c for c in pending if c >= col)
                continue
            text, colspan, rowspan, _ = cells.pop(0)
            out += [text.replace("\n", " ")] + [""] * (colspan - 1)
            if rowspan > 1:
                pending[col] = (colspan, rowspan - 1)
            col += colspan
        grid.append(out)
    if layout == "tabs":
        return ["\t".join(r) for r in grid] + [""]
    lines = []
    for r in grid:
        lines += ["\t" + c for c in r] + [""]
    return lines + [""]
