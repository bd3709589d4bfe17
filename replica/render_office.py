"""Render a report (truth-file shape + meta) as the Word and PDF files agencies publish.

The layout is the official one of ../shared/docs/template.md, built once as a grid of placed cells
(row, col, rowspan, colspan) and drawn twice: into a .docx with real merges (w:gridSpan, w:vMerge)
and into a PDF as a ruled reportlab table with SPAN commands. Labels and codes come from
pipelines/template.py, so the replica says exactly what the parser expects to read.

    report = {"meta": {"title", "agency", "year", "template"}, "proactive": {...},
              "applications": {...}, "review_litigation": {...}}
"""
import io
import json
import zlib
from dataclasses import dataclass, field

from pipelines import template as T
from replica import DATA

SEEDS = DATA / "seeds"


def seed_reports():
    """{name: report} for the five seed truths (data/seeds), the reports the tests render."""
    return {p.name[:3]: json.loads(p.read_text()) for p in sorted(SEEDS.glob("*.truth.json"))}


def differences(result, report):
    """Where a parse result differs from the report it was rendered from: values, template, agency, year."""
    diffs = []
    for section in ("proactive", "applications", "review_litigation"):
        got = result.get(section) or {}
        for row, cols in report[section].items():
            for col, want in cols.items():
                have = (got.get(row) or {}).get(col, "MISSING")
                if have != want or type(have) is not type(want):
                    diffs.append(f"{section}.{row}.{col}: want {want!r} got {have!r}")
        diffs += [f"{section}.{row}: not in the report" for row in got if row not in report[section]]
    meta = report["meta"]
    for key in ("template", "agency", "year"):
        if str(result.get(key)) != str(meta[key]):
            diffs.append(f"{key}: want {meta[key]!r} got {result.get(key)!r}")
    return diffs


# -- layout ---------------------------------------------------------------------------------------


@dataclass
class Place:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # label, header, value, caption


@dataclass
class Grid:
    ncols: int
    header_rows: int = 0  # rows a page break repeats
    cells: list = field(default_factory=list)
    nrows: int = 0

    def add(self, row, col, text, rowspan=1, colspan=1, kind="label"):
        self.cells.append(Place(row, col, text, rowspan, colspan, kind))
        self.nrows = max(self.nrows, row + rowspan)


def fmt(value):
    """A truth value as a report prints it: None is a blank cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def title_of(report):
    meta = report.get("meta", {})
    return meta.get("title") or f"{meta['agency']}{meta['year']}年政府信息公开工作年度报告"


def template_of(report):
    return str(report.get("meta", {}).get("template") or "2021")


_CAPTIONS_2021 = [("一", ["rules", "normative_documents"]), ("五", ["licensing"]),
                  ("六", ["penalty", "enforcement"]), ("八", ["fees"])]
_CAPTIONS_2019 = [("一", ["rules", "normative_documents"]), ("五", ["licensing", "other_services"]),
                  ("六", ["penalty", "enforcement"]), ("八", ["fees"]), ("九", ["procurement"])]


def proactive_grid(report):
    """Section 二: one 4-column table of 第二十条 blocks (caption row, 信息内容 header, items)."""
    tmpl = template_of(report)
    measures_of = T.proactive_layout(tmpl)
    item_labels = measure_labels = T.labels("proactive", tmpl)
    values = report.get("proactive", {})
    g, r = Grid(ncols=4), 0
    for clause, items in (_CAPTIONS_2021 if tmpl == "2021" else _CAPTIONS_2019):
        g.add(r, 0, f"第二十条第（{clause}）项", colspan=4, kind="caption")
        measures = measures_of[items[0]]
        spans = _spread(len(measures), 3)
        g.add(r + 1, 0, "信息内容", kind="header")
        col = 1
        for m, span in zip(measures, spans):
            g.add(r + 1, col, measure_labels[m], colspan=span, kind="header")
            col += span
        r += 2
        for item in items:
            g.add(r, 0, item_labels[item])
            col = 1
            for m, span in zip(measures_of[item], spans):
                g.add(r, col, fmt(values.get(item, {}).get(m)), colspan=span, kind="value")
                col += span
            r += 1
    return g


def _spread(n, width):
    """Column spans for n measures over width columns: the last one takes what is left."""
    return [1] * (n - 1) + [width - (n - 1)]


def applications_grid(report):
    """Section 三: 3 label columns + 7 applicant columns, 3 header rows, group cells as rowspans."""
    tmpl = template_of(report)
    rows = T.items("applications", tmpl)
    labels = T.labels("applications", tmpl)
    columns = T.measures("applications")
    values = report.get("applications", {})
    g = Grid(ncols=10, header_rows=3)
    g.add(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3,
          kind="header")
    g.add(0, 3, "申请人情况", colspan=7, kind="header")
    g.add(1, 3, "自然人", rowspan=2, kind="header")
    g.add(1, 4, "法人或其他组织", colspan=5, kind="header")
    g.add(1, 9, "总计", rowspan=2, kind="header")
    for i, col in enumerate(columns[1:6]):
        g.add(2, 4 + i, labels[col], kind="header")
    in_results = rows[rows.index("disclosed"):rows.index("results_total") + 1]
    g.add(3 + 2, 0, labels["results"], rowspan=len(in_results))
    groups_started = set()
    for n, code in enumerate(rows):
        r = 3 + n
        group = T.group_of(code)
        if code in ("new_received", "carried_over", "carried_forward"):
            g.add(r, 0, labels[code], colspan=3)
        elif group is None:  # （一）（二）（七）, and 2019's （六）其他处理 data row
            g.add(r, 1, labels[code], colspan=2)
        else:
            if group not in groups_started:
                groups_started.add(group)
                size = sum(1 for c in rows if T.group_of(c) == group)
                g.add(r, 1, labels[group], rowspan=size)
            g.add(r, 2, labels[code])
        for i, col in enumerate(columns):
            g.add(r, 3 + i, fmt(values.get(code, {}).get(col)), kind="value")
    return g


def review_grid(report):
    """Section 四: 15 columns, 3 header rows, one row of 15 values."""
    values = report.get("review_litigation", {})
    measures = T.measures("review_litigation")
    measure_labels = [T.labels("review_litigation")[m] for m in measures]
    g = Grid(ncols=15, header_rows=3)
    g.add(0, 0, "行政复议", colspan=5, kind="header")
    g.add(0, 5, "行政诉讼", colspan=10, kind="header")
    for i, label in enumerate(measure_labels):
        g.add(1, i, label, rowspan=2, kind="header")
    g.add(1, 5, "未经复议直接起诉", colspan=5, kind="header")
    g.add(1, 10, "复议后起诉", colspan=5, kind="header")
    for i, label in enumerate(measure_labels * 2):
        g.add(2, 5 + i, label, kind="header")
    col = 0
    for group in T.items("review_litigation", "2021"):
        for m in measures:
            g.add(3, col, fmt(values.get(group, {}).get(m)), kind="value")
            col += 1
    return g


def layout(report):
    """The document as a list of ("title"|"heading"|"para", text) and ("table", Grid)."""
    meta = report.get("meta", {})
    return [
        ("title", title_of(report)),
        ("para", f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自{meta.get('year')}年1月1日"
                 f"至{meta.get('year')}年12月31日。"),
        ("heading", "一、总体情况"),
        ("para", f"{meta.get('year')}年，{meta.get('agency')}认真贯彻落实政府信息公开工作要求，持续深化政务公开。"),
        ("heading", "二、主动公开政府信息情况"),
        ("table", proactive_grid(report)),
        ("heading", "三、收到和处理政府信息公开申请情况"),
        ("table", applications_grid(report)),
        ("heading", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", review_grid(report)),
        ("heading", "五、存在的主要问题及改进情况"),
        ("para", "一是公开内容有待进一步丰富；二是解读形式有待进一步创新。"),
        ("heading", "六、其他需要报告的事项"),
        ("para", "本年度未收取信息处理费。"),
    ]


# -- DOCX -----------------------------------------------------------------------------------------


def render_docx(report, *, repeat_header=True):
    """A .docx whose tables use real merges: group cells are vertical merges, captions horizontal.
    repeat_header: the header rows of sections 三 and 四 are marked to repeat on each page (w:tblHeader),
    so a PDF printed from it repeats them after a page break."""
    import docx
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    d = docx.Document()
    for kind, item in layout(report):
        if kind == "title":
            d.add_heading(item, level=1)
        elif kind == "heading":
            d.add_paragraph(item).runs[0].bold = True
        elif kind == "para":
            d.add_paragraph(item)
        else:
            table = d.add_table(rows=item.nrows, cols=item.ncols)
            table.style = "Table Grid"
            for p in item.cells:
                cell = table.cell(p.row, p.col)
                if p.rowspan > 1 or p.colspan > 1:
                    cell = cell.merge(table.cell(p.row + p.rowspan - 1, p.col + p.colspan - 1))
                cell.text = p.text
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(9)
            for row in table.rows[:item.header_rows if repeat_header else 0]:
                row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# -- PDF ------------------------------------------------------------------------------------------

FONT = "STSong-Light"  # reportlab's built-in Adobe-GB1 CID font: pdfplumber maps it back to Unicode


def _register_font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _styles(size):
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    base = dict(fontName=FONT, fontSize=size, leading=size * 1.3, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=14, leading=20, alignment=TA_CENTER,
                                spaceAfter=10, wordWrap="CJK"),
        "heading": ParagraphStyle("heading", fontName=FONT, fontSize=11, leading=16, spaceBefore=8,
                                  spaceAfter=4, wordWrap="CJK"),
        "para": ParagraphStyle("para", fontName=FONT, fontSize=10, leading=15, firstLineIndent=20,
                               wordWrap="CJK"),
        "label": ParagraphStyle("label", **base),
        "center": ParagraphStyle("center", alignment=TA_CENTER, **base),
    }


def _widths(grid, total, wrap_labels):
    if grid.ncols == 10:  # section 三: three label columns, then 7 values
        label = [40, 60, 120] if wrap_labels else [90, 80, 320]
        return label + [(total - sum(label)) / 7] * 7
    if grid.ncols == 4:
        first = 120 if wrap_labels else 200
        return [first] + [(total - first) / 3] * 3
    return [total / grid.ncols] * grid.ncols


def _table(grid, styles, total, wrap_labels, ruled=True):
    from reportlab.platypus import Paragraph, Table, TableStyle
    data = [[""] * grid.ncols for _ in range(grid.nrows)]
    commands = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8)]
    if ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    for p in grid.cells:
        style = styles["label"] if p.kind == "label" else styles["center"]
        data[p.row][p.col] = Paragraph(p.text, style) if p.text else ""
        if p.rowspan > 1 or p.colspan > 1:
            commands.append(("SPAN", (p.col, p.row), (p.col + p.colspan - 1, p.row + p.rowspan - 1)))
    return Table(data, colWidths=_widths(grid, total, wrap_labels), repeatRows=grid.header_rows,
                 style=TableStyle(commands))


def split_grid(grid, at):
    """The grid cut before data row `at` (0 = first row after the header), as a printer cuts a table
    at a page end: the header repeated on top of the second part, a merged cell crossing the cut
    kept in the first part with its text and continued, blank, in the second (as Word prints it)."""
    at += grid.header_rows
    top, bottom = Grid(grid.ncols, grid.header_rows), Grid(grid.ncols, grid.header_rows)
    shift = at - grid.header_rows
    for p in grid.cells:
        end = p.row + p.rowspan
        if p.row < grid.header_rows or end <= at:
            top.add(p.row, p.col, p.text, p.rowspan, p.colspan, p.kind)
        if p.row < grid.header_rows:
            bottom.add(p.row, p.col, p.text, p.rowspan, p.colspan, p.kind)
        elif p.row >= at:
            bottom.add(p.row - shift, p.col, p.text, p.rowspan, p.colspan, p.kind)
        elif end > at:  # crosses the cut
            top.add(p.row, p.col, p.text, at - p.row, p.colspan, p.kind)
            bottom.add(grid.header_rows, p.col, "", end - at, p.colspan, p.kind)
    return top, bottom


def render_pdf(report, *, page_break_in_table=True, wrap_labels=True, ruled=True):
    """A text PDF with ruled tables.

    page_break_in_table: section 三 is cut by a page break before row "withheld_third_party_rights"
    (or before the row code given), header rows repeated on the next page and group cells cut in
    two (reportlab will not break a table inside a rowspan, so the cut is made here); False: section
    三 starts on a fresh page and fits on it.
    wrap_labels: narrow label columns, so long labels wrap inside their cells; False: a landscape
    page with label columns wide enough for one line.
    ruled: False draws no lines at all (a table laid out with spaces, read from text lines)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
    _register_font()
    pagesize = A4 if wrap_labels else landscape(A4)
    styles = _styles(8)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=pagesize, leftMargin=60, rightMargin=60, topMargin=50,
                            bottomMargin=50, title=title_of(report))
    total = pagesize[0] - 120
    story = []
    for kind, item in layout(report):
        if kind != "table":
            if item.startswith("三、"):
                story.append(PageBreak())
            story.append(Paragraph(item, styles[kind]))
        elif item.ncols == 10 and page_break_in_table:
            cut = "withheld_third_party_rights" if page_break_in_table is True else page_break_in_table
            top, bottom = split_grid(item, T.items("applications", template_of(report)).index(cut))
            story += [_table(top, styles, total, wrap_labels, ruled), PageBreak(),
                      _table(bottom, styles, total, wrap_labels, ruled)]
        else:
            story.append(_table(item, styles, total, wrap_labels, ruled))
    doc.build(story)
    return out.getvalue()


def render_pdf_pages(grids, ruled=True):
    """Each grid as a table on a page of its own (for hand-made page-break cases)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate
    _register_font()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=60, rightMargin=60, topMargin=50, bottomMargin=50)
    story = []
    for grid in grids:
        story += [_table(grid, _styles(8), A4[0] - 120, True, ruled), PageBreak()]
    doc.build(story[:-1])
    return out.getvalue()


# -- unreadable PDFs ------------------------------------------------------------------------------


def render_scanned_pdf(report):
    """What a scanner gives: every page an image of the printed report, no text at all."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    source = pypdfium2.PdfDocument(render_pdf(report))
    out = io.BytesIO()
    c = None
    for page in source:
        width, height = page.get_size()
        image = page.render(scale=1.5).to_pil().convert("L")
        if c is None:
            c = canvas.Canvas(out, pagesize=(width, height))
        c.setPageSize((width, height))
        c.drawImage(ImageReader(image), 0, 0, width, height)
        c.showPage()
    c.save()
    source.close()
    return out.getvalue()


def render_cid_pdf(report):
    """A PDF whose text is in a Type0/Identity-H font with no /ToUnicode map and no embedded font
    program, as many exported 公文 PDFs are: a viewer may draw it, but its text cannot be read back.
    Written by hand, since no PDF library produces this on purpose. The glyph ids are the code
    points of the report's characters, so the page carries real 'text' that maps to nothing."""
    lines = [title_of(report)]
    for kind, item in layout(report):
        if kind == "table":
            for row in _grid_rows(item):
                lines.append("    ".join(row))
        elif kind != "title":
            lines.append(item)
    ops = ["BT", "/F1 9 Tf", "11 TL", "40 800 Td"]
    for line in lines[:70]:
        glyphs = "".join(f"{ord(ch) & 0xFFFF:04X}" for ch in line)
        ops.append(f"<{glyphs}> Tj T*")
    ops.append("ET")
    content = zlib.compress("\n".join(ops).encode("ascii"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        b"/Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>",
    ]
    return _write_pdf(objects)


def _grid_rows(grid):
    rows = [[""] * grid.ncols for _ in range(grid.nrows)]
    for p in grid.cells:
        rows[p.row][p.col] = p.text
    return [[t for t in row if t] for row in rows]


def _write_pdf(objects):
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
