"""Agency-style PDFs: the seed reports as agencies publish them, a Word file printed to PDF.

Each seed is rendered as a .docx by replica/render_office.render_docx (real merges, header rows
marked to repeat), then given what real reports have around their tables: pages of prose under
一、总体情况 ((一)主动公开 … (五)监督保障, several paragraphs each), a few paragraphs under 五 and 六, and
page numbers in the footer ("- 3 -"). LibreOffice prints it to PDF (soffice --headless --convert-to
pdf), as Word and WPS export: embedded font subsets, 5-6 pages, section 二's and 三's tables running
over page breaks with their header rows repeated and rows cut by the page end. The amount of prose
differs per seed, so each table breaks at another row.

    .venv/bin/python -m tests.agency_pdf OUTDIR    # writes OUTDIR/agency-<seed>.pdf

The bench caches them in bench/results/agency_pdf/ (git-ignored); the tests make them afresh.
"""
import copy
import hashlib
import io
import json
import sys
from pathlib import Path

from replica.render_office import render_docx, seed_reports

VERSION = "1"  # bump when the documents change, so cached copies are made again

_TOPICS = [
    ("（一）主动公开", "主动公开政府信息", "门户网站、政务新媒体和政务公开专区"),
    ("（二）依申请公开", "依申请公开工作", "申请的受理、登记、办理、答复和归档"),
    ("（三）政府信息管理", "政府信息管理", "公开属性源头认定、保密审查和动态调整"),
    ("（四）政府信息公开平台建设", "政务公开平台建设", "政府网站集约化、栏目规范化和数据开放"),
    ("（五）监督保障", "政务公开监督保障", "考核评议、社会评议和责任追究"),
]
_SENTENCES = [
    "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "围绕{what}，健全制度机制，规范工作流程，持续提升{topic}的质量和实效。",
    "一是强化组织领导，调整充实政务公开工作领导小组，明确分管领导和专职工作人员，定期研究部署{topic}，"
    "将{topic}纳入年度目标责任考核。",
    "二是完善制度体系，修订完善{what}等工作制度，细化办理时限、答复规范和档案管理要求，做到件件有登记、事事有回音。",
    "三是加强业务培训，采取集中授课、以会代训、案例教学等方式开展培训，全年累计培训工作人员{n}人次，"
    "进一步提高了工作人员依法公开的意识和能力。",
    "四是注重解读回应，围绕群众关心关注的热点问题，通过新闻发布会、政策图解、在线访谈等形式做好政策解读，"
    "及时回应社会关切，全年发布解读材料{k}篇。",
]
_CLOSING = {
    "五、存在的主要问题及改进情况": ["{year}年，{agency}政府信息公开工作取得了一定成效，但与上级要求和人民群众的期盼相比仍有差距："
                          "一是公开内容的全面性和及时性有待进一步提高；二是政策解读的形式还不够丰富，解读的针对性有待增强。",
                          "下一步，我们将进一步加强组织领导，完善工作机制，拓展公开渠道，丰富解读形式，不断提高政府信息公开工作水平。"],
    "六、其他需要报告的事项": ["本年度未收取信息处理费。{agency}无其他需要报告的事项。"],
}


def agency_docx(report, extra_paragraphs=0):
    """The report as an agency's .docx: render_docx's tables with prose before and after them and page
    numbers in the footer. extra_paragraphs: that many more paragraphs of prose (moves the page breaks)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document(io.BytesIO(render_docx(report)))
    meta = report["meta"]
    fill = dict(year=meta["year"], agency=meta["agency"])
    anchor = _after(d, "一、总体情况")  # the sentence render_docx puts under the heading
    prose = []
    for t, (heading, topic, what) in enumerate(_TOPICS):
        prose.append((heading, True))
        count = 4 + (1 if t < extra_paragraphs % len(_TOPICS) else 0) + extra_paragraphs // len(_TOPICS)
        for s in range(count):
            prose.append((_SENTENCES[(t + s) % len(_SENTENCES)].format(
                topic=topic, what=what, n=40 + 7 * t + s, k=12 + 3 * t + s, **fill), False))
    for text, bold in reversed(prose):  # each goes right after the anchor: insert from the last
        anchor._p.addnext(_paragraph(d, text, bold))
    for heading, texts in _CLOSING.items():
        nxt = _after(d, heading)
        for text in reversed(texts):
            nxt._p.addnext(_paragraph(d, text.format(**fill), False))
    # the page number in the footer, centred: "- N -"
    footer = d.sections[0].footer.paragraphs[0]
    footer.alignment = 1
    footer.add_run("- ")
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    footer.add_run(" -")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _after(d, heading):
    """The paragraph right after the one that reads `heading`."""
    paragraphs = d.paragraphs
    return paragraphs[[p.text for p in paragraphs].index(heading) + 1]


def _paragraph(d, text, bold):
    from docx.shared import Pt
    p = d.add_paragraph()  # made at the end of the body, then moved where it belongs by addnext
    run = p.add_run(text)
    run.bold = bold
    if not bold:
        p.paragraph_format.first_line_indent = Pt(22)  # two characters, as 公文 indent
    return p._p


def print_pdfs(docx_files, timeout=600):
    """{name: .docx bytes} printed to PDF by one LibreOffice run (its start-up is most of the time of a
    conversion): {name: PDF bytes}. ExtractError when LibreOffice is not installed or fails."""
    import os
    import signal
    import subprocess
    import tempfile
    from pipelines.extract import office
    from pipelines.extract.model import ExtractError
    soffice = office.find_soffice()
    if soffice is None:
        raise ExtractError("needs_conversion", "LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="nianbao-print-") as tmp:
        tmp = Path(tmp)
        sources = []
        for name, data in docx_files.items():
            sources.append(tmp / f"{name}.docx")
            sources[-1].write_bytes(data)
        cmd = [soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(tmp / "out"), *map(str, sources)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                env=dict(os.environ, HOME=str(tmp)))
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this call started, nothing else
            proc.communicate()
            raise ExtractError("conversion_failed", f"LibreOffice did not print within {timeout} s")
        out = {}
        for name in docx_files:
            path = tmp / "out" / f"{name}.pdf"
            if not path.exists():
                raise ExtractError("conversion_failed", f"LibreOffice did not print {name}.docx")
            out[name] = path.read_bytes()
        return out


def agency_reports():
    """{seed: (report, extra paragraphs)}: the five seeds, each with its own amount of prose."""
    return {seed: (report, 3 * n) for n, (seed, report) in enumerate(sorted(seed_reports().items()))}


def agency_pdfs(cache=None, also=None):
    """{seed: PDF bytes} for the five seeds; with a cache directory, made once and read back after.
    also: more {name: .docx bytes} to print in the same LibreOffice run, returned under their names."""
    out, todo, paths = {}, dict(also or {}), {}
    for seed, (report, extra) in agency_reports().items():
        key = hashlib.sha256(json.dumps([VERSION, report, extra], sort_keys=True).encode()).hexdigest()[:12]
        path = Path(cache) / f"agency-{seed}-{key}.pdf" if cache else None
        if path and path.exists():
            out[seed] = path.read_bytes()
        else:
            todo[f"agency-{seed}"], paths[seed] = agency_docx(copy.deepcopy(report), extra), path
    printed = print_pdfs(todo) if todo else {}
    for seed, path in paths.items():
        out[seed] = printed.pop(f"agency-{seed}")
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(out[seed])
    out.update(printed)
    return out


if __name__ == "__main__":
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    outdir.mkdir(parents=True, exist_ok=True)
    for seed, data in agency_pdfs().items():
        (outdir / f"agency-{seed}.pdf").write_bytes(data)
        print(outdir / f"agency-{seed}.pdf", len(data), "bytes")
