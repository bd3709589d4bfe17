"""Documents made to cost a parser time or memory, as found in the field or by fault injection: a PDF
with wrong /Length values and thousands of pages (PDFium rebuilds its cross-reference by scanning,
page after page), a DOCX of a million tiny paragraphs (a small zip, a huge XML tree), HTML whose cells
span tens of thousands of rows. Used by tests/test_bounded_parse.py and bench/fuzz_parse.py."""
import io
import zipfile


def pdf_wrong_lengths(pages=2000):
    """A PDF of `pages` pages whose content streams all declare a wrong /Length and whose cross-reference
    table points nowhere: readers must recover by scanning the file."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for p in range(pages):
        page_no, content_no = len(objects) + 1, len(objects) + 2
        kids.append(f"{page_no} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_no} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>")
        text = f"BT /F1 12 Tf 72 720 Td (page {p} of a report) Tj ET"
        objects.append(f"<< /Length {len(text) + 9999} >>\nstream\n{text}\nendstream")
    objects[1] = f"<< /Type /Pages /Count {pages} /Kids [{' '.join(kids)}] >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    for n, body in enumerate(objects, 1):
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    out.write(b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n999999\n%%EOF\n")
    return out.getvalue()


DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/word/document.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
              '</Types>')
DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" '
             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
             'Target="word/document.xml"/></Relationships>')


def docx_tiny_paragraphs(paragraphs=1_000_000):
    """A DOCX of `paragraphs` one-character paragraphs: under a megabyte zipped, a huge XML tree."""
    body = "<w:p><w:r><w:t>1</w:t></w:r></w:p>" * paragraphs
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{body}</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", DOCX_TYPES)
        z.writestr("_rels/.rels", DOCX_RELS)
        z.writestr("word/document.xml", document)
    return out.getvalue()


def html_huge_rowspans(rows=2000, cols=20, span=65534):
    """A table whose every cell spans `span` rows (browsers cap a rowspan at 65534)."""
    cells = "".join(f'<td rowspan="{span}" colspan="1000">{c}</td>' for c in range(cols))
    return ("<html><body><table>" + f"<tr>{cells}</tr>" * rows + "</table></body></html>").encode()


def html_deep(depth=600, table="<table><tr><td>项目</td><td>1</td></tr></table>"):
    """`table` nested inside `depth` <div>s (lxml stops at 256 levels by default)."""
    return ("<html><body>" + "<div>" * depth + table + "</div>" * depth + "</body></html>").encode()
