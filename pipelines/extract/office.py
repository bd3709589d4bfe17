"""Old binary Word (.doc) and Kingsoft WPS (.wps) files, read by converting them to .docx.

No Python library reads these formats reliably; LibreOffice does. It runs headless with a private
profile per conversion (two conversions sharing a profile block each other), in its own process
group so a hung conversion is killed whole at the timeout. The .docx it writes is read by
extract_docx, so merged cells follow the same rules as in Word files.
"""
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .docx import extract_docx
from .model import ExtractError

TIMEOUT = 120  # seconds; a first run also builds the profile, a few seconds on a slow machine
_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
               "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice")


def find_soffice():
    """The LibreOffice binary: $NIANBAO_SOFFICE if set, else the usual names and places."""
    for name in (os.environ.get("NIANBAO_SOFFICE"),) + _CANDIDATES:
        if name and (shutil.which(name) or (os.path.isabs(name) and os.access(name, os.X_OK))):
            return shutil.which(name) or name
    return None


def convert(data, fmt, to="docx", timeout=TIMEOUT, infilter=None):
    """Bytes of a document in `fmt`, converted by LibreOffice to `to`; ExtractError if it cannot be."""
    soffice = find_soffice()
    if soffice is None:
        raise ExtractError("needs_conversion", f".{fmt} files are read through LibreOffice, which is not installed "
                                               "(install LibreOffice: apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="nianbao-office-") as tmp:
        tmp = Path(tmp)
        source = tmp / f"report.{fmt}"
        source.write_bytes(data)
        outdir = tmp / "out"
        cmd = [soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", to, "--outdir", str(outdir), str(source)]
        if infilter:  # without one, LibreOffice imports what it cannot recognise as plain text
            cmd.insert(-1, f"--infilter={infilter}")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                env=dict(os.environ, HOME=str(tmp)))
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice forks soffice.bin: kill the group we started
            proc.communicate()
            raise ExtractError("conversion_failed", f"LibreOffice did not convert the .{fmt} file within {timeout} s")
        out = outdir / f"report.{to}"
        if not out.exists():
            lines = err.decode("utf-8", "replace").splitlines()
            message = " ".join(l for l in lines if l.startswith("Error"))[-200:]  # not javaldx noise
            raise ExtractError("conversion_failed", f"LibreOffice could not convert the .{fmt} file "
                                                    f"(exit {proc.returncode}) {message}".strip())
        return out.read_bytes()


# LibreOffice import filters per format: .doc is Word 97–2003; Kingsoft's .wps is usually the same
# format under another name, else left to LibreOffice's detection (Works .wps, older WPS).
_FILTERS = {"doc": ["MS Word 97"], "wps": ["MS Word 97", None], "rtf": ["Rich Text Format"]}


def extract_office(data, fmt):
    filters = _FILTERS.get(fmt, [None])
    for n, infilter in enumerate(filters):
        try:
            converted = convert(data, fmt, infilter=infilter)
            break
        except ExtractError as e:
            if e.reason != "conversion_failed" or n == len(filters) - 1:
                raise
    doc = extract_docx(converted)
    doc.format = fmt
    doc.meta["converted_by"] = "LibreOffice"
    return doc
