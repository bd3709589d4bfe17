"""Title, agency and report year, read from the document itself.

The report year is the year the title names (a 2022 report is published in 2023), not the
publication date. The agency is what precedes that year in the title; where the title names only a
place (平潭综合实验区), the body text says which body of that place reports (…管委会 / …人民政府).
"""
import re
from collections import Counter

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_REPORT = re.compile(r"报告|年报")
_WS = re.compile(r"\s+")
_PLACE_ONLY = re.compile(r"(省|市|县|区|州|盟|旗|镇|乡)$")
_AGENCY_END = re.compile(r"(政府|委员会|管委会|局|办公室|办|厅|院|委|中心|处|所|站|队|街道|部)$")
_TITLE_SPLIT = re.compile(r"[_|｜]| - | — ")
_CRUMB = re.compile(r"\s*[>＞»›]\s*")


def squeeze(text):
    return _WS.sub("", text or "")


def find_title(doc):
    for key in ("ArticleTitle", "articletitle", "og:title"):
        title = squeeze(doc.meta.get(key))
        if _REPORT.search(title) and _YEAR.search(title):
            return title
    for part in _TITLE_SPLIT.split(doc.meta.get("title", "")):
        part = squeeze(part)
        if _REPORT.search(part) and _YEAR.search(part):
            return part
    return _title_from_lines([squeeze(l) for l in doc.text.split("\n")])


def _title_from_lines(lines):
    lines = [_last_crumb(l) for l in [l for l in lines if l][:40]]
    for i, line in enumerate(lines):
        if not _YEAR.search(line) or len(line) > 60:
            continue
        title = line
        if not _REPORT.search(title) and i + 1 < len(lines) and len(lines[i + 1]) < 30 \
                and _REPORT.search(lines[i + 1]):
            title += lines[i + 1]
        if not _REPORT.search(title):
            continue
        if _YEAR.match(title):  # the title starts with its year: the body is on a line of its own
            title = (_agency_line(lines[max(0, i - 2):i][::-1]) or _agency_line(lines[i + 1:i + 3]) or "") + title
        return title
    return None


def _last_crumb(line):
    """'首页>政务公开>…>郑州市…年度报告' is a breadcrumb: its last part is what it names."""
    parts = _CRUMB.split(line)
    return parts[-1] if len(parts) > 2 else line


def _agency_line(lines):
    """The first of these lines that names a body (郑州市人民政府, 新郑市城关乡人民政府): not a stray word
    (正文), page furniture or a line of the text."""
    for line in lines:
        if 2 < len(line) < 30 and not _YEAR.search(line) and not re.search(r"[\d:：,，。;；>]", line) \
                and (_AGENCY_END.search(line) or _PLACE_ONLY.search(line)):
            return line
    return None


def find_year(title, text):
    """text may be a callable giving the text: it is only needed when the title names no year."""
    for source in (title, text):
        source = source() if callable(source) else source
        m = _YEAR.search(source or "")
        if m:
            return int(m.group(1))
    return None


def find_agency(title, text):
    """text may be a callable giving the text: it is only needed when the title names only a place."""
    if not title:
        return None
    m = _YEAR.search(title)
    agency = title[: m.start()].strip("：:，,、 ") if m else ""
    agency = re.sub(r"^关于", "", agency)
    if agency and _PLACE_ONLY.search(agency) and not _AGENCY_END.search(agency):
        text = text(searching=True) if callable(text) else text
        found = Counter(re.findall(re.escape(agency) + r"(管理委员会|管委会|人民政府)", text or ""))
        if found:
            suffix = found.most_common(1)[0][0]
            agency += "管理委员会" if suffix == "管委会" else suffix
    return agency or None


def extract_metadata(doc):
    title = find_title(doc)
    def text(searching=False):
        # read lazily, and as flat text when only searched and the document offers it cheaply:
        # collecting the lines of a Word-pasted page costs as much as reading its tables
        return doc.flat_text() if searching and hasattr(doc, "flat_text") else doc.text

    return {"title": title, "agency": find_agency(title, text), "year": find_year(title, text)}
