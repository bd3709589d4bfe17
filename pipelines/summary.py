"""A readable summary of one parse result: the three tables aligned, failed checks highlighted."""
from . import template as T

RED, BOLD, END = "\033[31m", "\033[1m", "\033[0m"


def _fmt(v):
    return "·" if v is None else str(v)


def _width(text):
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text, width):
    return text + " " * max(0, width - _width(text))


def _rjust(text, width):
    return " " * max(0, width - _width(text)) + text


MARK = "✗ "  # marks failed rows and checks even where there is no colour (a pipe, a log file)


def render_summary(r, color=False):
    red, bold, end = (RED, BOLD, END) if color else ("", "", "")
    out = [f"{bold}{r.get('file')}{end}"]
    if "error" in r:
        out.append(f"  {red}error: {r['error']}{end}: {r.get('message', '')}")
        return "\n".join(out)
    out.append(f"  {r.get('title') or '(no title)'}")
    out.append(f"  agency: {r.get('agency')}   year: {r.get('year')}   template: {r.get('template')}"
               f"   format: {r.get('format')}")
    if r["template"] == "free":
        out.append("  free-form report: no standard tables")
    failed = {(c["rule"], c["where"]) for c in r.get("checks", []) if c["status"] == "fail"}
    tmpl = r["template"] if r["template"] in T.TEMPLATES else "2021"

    def line(label, values, bad, col=8):
        mark = MARK if bad else "  "
        text = f"  {mark}{_pad(label, 32)}" + "".join(_rjust(_fmt(v), col) for v in values)
        return f"{red}{text}{end}" if bad else text

    if r.get("proactive"):
        out.append(f"\n  {bold}二、主动公开{end}")
        labels = T.labels("proactive", tmpl)
        for item, measures in r["proactive"].items():
            vals = "  ".join(f"{m}={_fmt(v)}" for m, v in measures.items())
            out.append(f"    {_pad(labels.get(item, item), 22)}{vals}")
    if r.get("applications"):
        out.append(f"\n  {bold}三、依申请公开{end}")
        labels = T.labels("applications", tmpl)
        heads = [T.get("applications", c).short for c in T.measures("applications")]
        out.append("    " + _pad("", 32) + "".join(_rjust(h, 8) for h in heads))
        a_cols = [c for rule, c in failed if rule in ("A1", "A2")]
        for row, cols in r["applications"].items():
            label = labels.get(row, row)[:15]
            out.append(line(label, cols.values(), ("A3", row) in failed))
        if a_cols:
            out.append(f"    {red}{MARK}columns that do not add up: {', '.join(sorted(set(a_cols)))}{end}")
    if r.get("review_litigation"):
        out.append(f"\n  {bold}四、复议与诉讼{end}")
        labels = T.labels("review_litigation")
        out.append("    " + _pad("", 32) + "".join(_rjust(labels[m], 10) for m in T.measures("review_litigation")))
        for g, ms in r["review_litigation"].items():
            out.append(line(T.path_label("review_litigation", g), ms.values(), ("L1", g) in failed, col=10))
    checks = r.get("checks", [])
    if checks:
        n_fail = sum(c["status"] == "fail" for c in checks)
        n_pass = sum(c["status"] == "pass" for c in checks)
        out.append(f"\n  checks: {n_pass} pass, {n_fail} fail, {len(checks) - n_pass - n_fail} not checkable")
        for c in checks:
            if c["status"] == "fail":
                out.append(f"    {red}{MARK}{c['rule']} {c['where']}: expected {_fmt(c['expected'])}, "
                           f"found {_fmt(c['actual'])}{end}")
    for w in r.get("warnings", []):
        out.append(f"  warning: {w}")
    return "\n".join(out)
