"""Mutation fuzzing of the parser, every format: a generated report rendered as HTML, text, PDF, DOCX
and a scanned page (PNG), then mutated (bytes flipped, inserted, deleted, duplicated, cut; for DOCX
also inside its XML: bytes, a text run's content, a table row deleted or repeated; for images also
in the pixels) and parsed in bounded workers
(pipelines/bounded.py) as a crawl parses.

Each mutant is judged against the clean document's values:
- traceback: the parser raised (parser_error) or its worker died;
- hang: over the time limit (too_slow); too_large: over the memory limit;
- silent: a value differs from the clean document's (changed, vanished, or appeared) while the result
  says nothing more than the clean document's: no error, no status, no new warning, no more failed or
  uncheckable checks. A value whose number
  the mutation itself rewrote in the bytes (its raw text differs from the clean one's, and is read as
  written) is `rewritten`, not silent: the parser read what is there.

Used by tests/test_fuzz_parse.py (about 50 mutants) and bench/fuzz_parse.py (1,000 and more).
"""
import io
import random
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from pipelines.bounded import BoundedParser, Limits

FORMATS = ("html", "text", "pdf", "docx", "image")
NAMES = {"html": "report.html", "text": "report.txt", "pdf": "report.pdf", "docx": "report.docx",
         "image": "report.png"}


def seeds(formats=FORMATS):
    """The clean documents: one generated 2021-template report in each format."""
    from replica.generate import generate_report
    from replica.render import render_page_html, render_report_text
    report = generate_report("郑州市人民政府", 2022, "2021", seed=11)
    out = {}
    for fmt in formats:
        if fmt == "html":
            out[fmt] = render_page_html(report)
        elif fmt == "text":
            out[fmt] = render_report_text(report).encode("utf-8")
        elif fmt == "pdf":
            from replica.render_office import render_pdf
            out[fmt] = render_pdf(report)
        elif fmt == "docx":
            from replica.render_office import render_docx
            out[fmt] = render_docx(report)
        elif fmt == "image":
            from tests.scans import CLEAN, image_file, scan_pages
            from dataclasses import replace
            out[fmt] = image_file(scan_pages(report, replace(CLEAN, dpi=150), pages=[0]), "PNG", dpi=150)
    return out


# --- mutations: each takes (rng, bytes) and returns (name, bytes) ------------------------------------

def flip(rng, data, n=None):
    data = bytearray(data)
    for _ in range(n or rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return "flip", bytes(data)


def insert(rng, data):
    at = rng.randrange(len(data))
    return "insert", data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def delete(rng, data):
    at = rng.randrange(len(data))
    return "delete", data[:at] + data[at + rng.randint(1, 256):]


def duplicate(rng, data):
    at = rng.randrange(len(data))
    chunk = data[at:at + rng.randint(16, 4096)]
    to = rng.randrange(len(data))
    return "duplicate", data[:to] + chunk * rng.randint(1, 50) + data[to:]


def cut(rng, data):
    return "cut", data[:rng.randrange(1, len(data))]


def splice_markup(rng, data):
    """Markup that stresses parsers: deep nesting, huge spans, long numbers, stray tags, bad bytes."""
    junk = rng.choice([b"<div>" * 3000, b'<td rowspan="65534" colspan="1000">1</td>' * 50, b"9" * 5000,
                       b"</table></td></tr>", b"<table><tr><td>", b"\xff\xfe\x00", b"\xe4\xb8", b"<!--",
                       b"<![CDATA[", b"<script>", "丨".encode() * 100])
    at = rng.randrange(len(data))
    return "splice", data[:at] + junk + data[at:]


_W_TEXT = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
_W_ROW = re.compile(rb"<w:tr[ >].*?</w:tr>", re.S)


def xml_text(rng, xml):
    """One text run's content replaced: emptied, doubled, a huge number, a dash, stray characters."""
    runs = list(_W_TEXT.finditer(xml))
    m = rng.choice(runs)
    new = rng.choice([b"", m.group(2) * 2, b"9" * rng.choice([16, 5000]), "—".encode(), "丨口".encode(),
                      b"&amp;", rng.randbytes(4).hex().encode()])
    return "text", xml[:m.start(2)] + new + xml[m.end(2):]


def xml_rows(rng, xml):
    """A table row of the document deleted or repeated (the XML stays well formed)."""
    rows = list(_W_ROW.finditer(xml))
    m = rng.choice(rows)
    if rng.random() < 0.5:
        return "row-deleted", xml[:m.start()] + xml[m.end():]
    return "row-repeated", xml[:m.end()] + m.group(0) * rng.randint(1, 3) + xml[m.end():]


def docx_xml(rng, data):
    """A mutation inside word/document.xml, zipped again (a byte flip of the zip hits only its CRC):
    raw bytes of the XML, or edits that keep it well formed."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    mutation = rng.choice([flip, delete, splice_markup, xml_text, xml_text, xml_rows, xml_rows])
    name, xml = mutation(rng, parts["word/document.xml"])
    parts["word/document.xml"] = xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts.items():
            z.writestr(part, content)
    return f"xml-{name}", out.getvalue()


def pixels(rng, data):
    """A mutation of the picture: noise, a blot, a band erased, then saved as PNG again."""
    import numpy as np
    from PIL import Image
    image = np.array(Image.open(io.BytesIO(data)).convert("L"))
    h, w = image.shape
    kind = rng.choice(["noise", "blot", "band"])
    if kind == "noise":
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(5, 60), image.shape)
        image = np.clip(image + noise, 0, 255).astype("uint8")
    else:
        y, x = rng.randrange(h), rng.randrange(w)
        dy, dx = (rng.randint(5, h // 4), rng.randint(5, w // 4)) if kind == "blot" else (rng.randint(2, 30), w)
        image[y:y + dy, x:x + dx] = 0 if kind == "blot" else 255
    out = io.BytesIO()
    Image.fromarray(image).save(out, "PNG")
    return f"pixels-{kind}", out.getvalue()


MUTATIONS = {"html": [flip, insert, delete, duplicate, cut, splice_markup],
             "text": [flip, insert, delete, duplicate, cut, splice_markup],
             "pdf": [flip, insert, delete, duplicate, cut],
             "docx": [flip, cut, docx_xml, docx_xml, docx_xml, docx_xml, docx_xml],
             "image": [flip, cut, pixels, pixels, pixels]}


def mutants(clean, counts, seed=0):
    """[(format, mutation name, bytes)]: counts[fmt] mutants of each clean document."""
    rng = random.Random(seed)
    out = []
    for fmt, n in counts.items():
        for _ in range(n):
            name, data = rng.choice(MUTATIONS[fmt])(rng, clean[fmt])
            out.append((fmt, name, data))
    return out


# --- judging ------------------------------------------------------------------------------------------

def _values(result):
    return {(c["section"], c["item"], c["measure"]): c for c in result.get("cells") or []}


def _doubts(result):
    return sum(c.get("status") in ("fail", "not_checkable") for c in result.get("checks") or [])


def signalled(result, clean):
    """Does the result say that something is off, beyond what the clean document's result says?"""
    return bool(result.get("error") or result.get("status")
                or set(result.get("warnings") or []) - set(clean.get("warnings") or [])
                or _doubts(result) > _doubts(clean))


def judge(result, clean):
    """(verdict, detail) of one mutant's result against the clean document's."""
    error = result.get("error")
    if error in ("parser_error", "worker_died"):
        return "traceback", result.get("message", "")
    if error == "too_slow":
        return "hang", result.get("message", "")
    if error == "too_large":
        return "too_large", result.get("message", "")
    if error:
        return "refused", error
    got, want = _values(result), _values(clean)
    differing = [k for k in set(got) | set(want)
                 if k not in got or k not in want or got[k]["value"] != want[k]["value"]]
    if not differing:
        return "same", ""
    unexplained = [k for k in differing if not (k in got and k in want and got[k]["raw"] != want[k]["raw"])]
    if signalled(result, clean):
        return "differs_warned", f"{len(differing)} values"
    if not unexplained:
        return "rewritten", f"{len(differing)} values, each as the mutated bytes print it"
    return "silent", f"{len(unexplained)} values: {sorted(unexplained)[:3]}"


@dataclass
class Report:
    verdicts: Counter = field(default_factory=Counter)
    by_format: dict = field(default_factory=dict)
    bad: list = field(default_factory=list)   # (format, mutation, verdict, detail) of tracebacks, hangs, silent

    def add(self, fmt, mutation, verdict, detail):
        self.verdicts[verdict] += 1
        self.by_format.setdefault(fmt, Counter())[verdict] += 1
        if verdict in ("traceback", "hang", "silent"):
            self.bad.append((fmt, mutation, verdict, detail))


def run(clean, inputs, limits=Limits(seconds=30, memory=2 << 30), workers=1):
    """Parse every mutant under the limits and judge it; a Report."""
    report = Report()
    with BoundedParser(workers, limits) as parser:
        baseline = {fmt: parser.parse(data, NAMES[fmt]) for fmt, data in clean.items()}
        futures = [(fmt, name, parser.submit(data, NAMES[fmt])) for fmt, name, data in inputs]
        for fmt, name, future in futures:
            verdict, detail = judge(future.result(), baseline[fmt])
            report.add(fmt, name, verdict, detail)
    report.baseline_cells = {fmt: len(r.get("cells") or []) for fmt, r in baseline.items()}
    report.baseline_warn = {fmt: r.get("warnings") for fmt, r in baseline.items()}
    return report
