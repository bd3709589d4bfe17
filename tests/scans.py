"""Scans made from the project's own reports, as agencies publish them: the seed reports rendered as
PDF (replica/render_office.render_pdf), printed to pixels with pypdfium2, then put through
what a scanner and a website do to a page: a slight rotation, noise, blur, JPEG artefacts. Out come
image-only PDFs and PNG, JPEG and (multi-page) TIFF files. Used by tests/test_ocr.py and bench/ocr.py.

Every degradation is seeded, so a scan is the same bytes on every run.
"""
import io
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Degradation:
    name: str
    dpi: int = 200            # scanner resolution
    angle: float = 0.0        # degrees, counter-clockwise
    blur: float = 0.0         # Gaussian sigma in pixels
    noise: float = 0.0        # Gaussian noise sigma in grey levels
    speckle: float = 0.0      # share of pixels turned to salt and pepper
    jpeg: int = 0             # JPEG quality the page went through (0: none)
    seed: int = 0


CLEAN = Degradation("clean", dpi=200)
DEGRADATIONS = [
    CLEAN,
    Degradation("150dpi", dpi=150),
    Degradation("300dpi-rot-0.6", dpi=300, angle=-0.6),
    Degradation("rot+1.0-noise", dpi=200, angle=1.0, noise=12, seed=1),
    Degradation("rot-1.0-blur-jpeg", dpi=200, angle=-1.0, blur=0.9, jpeg=40, seed=2),
    Degradation("150dpi-speckle-jpeg", dpi=150, angle=0.4, speckle=0.004, jpeg=60, seed=3),
]


def rasterize(pdf, dpi):
    """Each page of a PDF as a greyscale numpy array at `dpi`."""
    import pypdfium2
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")) for page in doc]
    finally:
        doc.close()


def degrade(page, d: Degradation, page_no=0):
    """One page as a scanner and a website leave it."""
    import cv2
    from PIL import Image
    rng = np.random.default_rng(d.seed * 1000 + page_no)
    img = page.astype(np.float32)
    if d.angle:
        h, w = img.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), d.angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    if d.blur:
        img = cv2.GaussianBlur(img, (0, 0), d.blur)
    if d.noise:
        img = img + rng.normal(0, d.noise, img.shape)
    if d.speckle:
        mask = rng.random(img.shape)
        img[mask < d.speckle / 2] = 0
        img[mask > 1 - d.speckle / 2] = 255
    img = np.clip(img, 0, 255).astype(np.uint8)
    if d.jpeg:
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, "JPEG", quality=d.jpeg)
        img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    return img


def scan_pages(report, d: Degradation, pages=None, **render_options):
    """The report rendered as PDF, rasterized and degraded: a list of greyscale pages."""
    from replica.render_office import render_pdf
    rendered = rasterize(render_pdf(report, **render_options), d.dpi)
    chosen = range(len(rendered)) if pages is None else pages
    return [degrade(rendered[i], d, i) for i in chosen]


def image_pdf(pages, dpi=200, jpeg=None):
    """An image-only PDF (no text layer), one page per image, as a scanner's PDF export makes it."""
    from PIL import Image
    images = [Image.fromarray(p) for p in pages]
    if jpeg:  # the scanner compressed its pages as JPEG inside the PDF
        images = [Image.open(io.BytesIO(_encode(i, "JPEG", quality=jpeg))) for i in images]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def image_file(pages, fmt, dpi=200, quality=85):
    """PNG or JPEG of one page; TIFF of one or more pages."""
    from PIL import Image
    images = [Image.fromarray(p) for p in pages]
    if fmt == "TIFF":
        out = io.BytesIO()
        images[0].save(out, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw", dpi=(dpi, dpi))
        return out.getvalue()
    assert len(images) == 1, "PNG and JPEG hold one page"
    return _encode(images[0], fmt, quality=quality, dpi=(dpi, dpi))


def _encode(image, fmt, **options):
    out = io.BytesIO()
    if fmt != "JPEG":
        options.pop("quality", None)
    image.save(out, fmt, **options)
    return out.getvalue()
