"""Agencies as entities: every name a report printed is tied to one body (agency_names), each body has a
stable id, its names over the years, its level and its place in the administrative hierarchy by
division code (agencies), from db.divisions.

A name is read from the left: the longest division name (full or short: 郑州市, 瀍河) that sits under the
one before it, then a township (乡, 镇, 街道), then the body itself (人民政府, 财政局). Two printings of one
body (洛阳市瀍河回族区人民政府 and 瀍河回族区人民政府; a misprint 瀋河) share the same place and body, so
they are one agency. Every report keeps the name it printed. A name no division explains is kept as
an agency of its own, flagged `placed = 0`, and listed by the canned query unplaced_agencies.
"""
import hashlib
import json
import re
from collections import Counter

from . import divisions
from .classify import level_of

# Printed forms that name the same thing: (as printed, as meant, why). Misprints and OCR errors seen
# in reports, and abbreviations bodies use for their own names.
SPELLINGS = (
    ("瀋河", "瀍河", "misprint"),          # seed 003: OCR read 瀍 as 瀋
    ("管委会", "管理委员会", "variant"),
)
_TOWNSHIP = re.compile(r"^(.{1,10}?(?:街道办事处|街道|乡|镇|苏木))")
_GOVERNMENT = re.compile(r"^(人民政府|管理委员会|行政公署|政府|办事处)$")
NATIONAL = "000000"  # the peer division of a province: the whole country


def spelled(name):
    """(the name as meant, 'misprint' | 'variant' | 'as printed')."""
    kind, out = "as printed", name
    for printed, meant, why in SPELLINGS:
        if printed in out:
            out = out.replace(printed, meant)
            kind = why if kind == "as printed" or why == "misprint" else kind
    return out, kind


def _pick(candidates, region):
    if len(candidates) == 1:
        return candidates[0]
    hinted = [c for c in candidates if region and any(
        d and d.name in region for d in (c, divisions.get(c.province), divisions.get(c.city)))]
    return hinted[0] if len(hinted) == 1 else None


def place(name, region=None):
    """(divisions from the widest, township name or None, the rest) of a name as meant."""
    index, path, i = divisions.by_name(), [], 0
    while i < len(name):
        found = None
        for j in range(min(len(name), i + 12), i + 1, -1):  # the longest name first
            candidates = [d for d in index.get(name[i:j], ()) if not path or path[-1].contains(d)]
            if candidates:
                found = (j, _pick(candidates, region))
                break
        if not found or found[1] is None:
            break
        path.append(found[1])
        i = found[0]
    rest = name[i:]
    township = None
    if path and path[-1].level != "province":
        m = _TOWNSHIP.match(rest)
        if m and m.group(1) == rest and rest.endswith("办事处"):  # 西关街道办事处: the township's own body
            township, rest = rest[:-3], "办事处"
        elif m and len(rest) > len(m.group(1)):
            township, rest = m.group(1), rest[len(m.group(1)):]
    return path, township, rest


def peer_division(path, township, body, level):
    """The division a body's peers share: a government's is the one above it (a county government's
    peers are the county governments of its city); a department's is its own government's place."""
    deepest = path[-1]
    if level == "department" or not _GOVERNMENT.match(body):
        return deepest.code
    if township:
        return deepest.code
    if deepest.level == "county":
        return deepest.city if divisions.get(deepest.city) else deepest.province
    if deepest.level == "city":
        return deepest.province
    return NATIONAL


def division_level(division):
    """The level of a division's government, in the reports' words."""
    if division.level == "county":
        return "district" if division.name.endswith("区") else "county"
    return division.level


def _short_hash(text, n):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def resolve(names):
    """names: {printed name: (region, level, reports)}. Returns (agency rows, name rows)."""
    bodies, name_rows = {}, []
    for printed, (region, level, count) in sorted(names.items()):
        meant, kind = spelled(printed)
        path, township, rest = place(meant, region)
        if path:
            key = f"{path[-1].code}|{township or ''}|{rest}"
            agency_id = f"{path[-1].code}-{_short_hash(key, 6)}"
        else:
            agency_id = f"x-{_short_hash(meant, 10)}"
        body = bodies.setdefault(agency_id, {"agency_id": agency_id, "path": path, "township": township,
                                             "rest": rest, "printed": Counter(), "meant": Counter(),
                                             "regions": Counter(), "levels": Counter()})
        body["printed"][printed] += count
        body["meant"][meant] += count
        body["regions"][region] += count
        body["levels"][level_of(meant) or level] += count
        name_rows.append({"name": printed, "agency_id": agency_id, "spelled": meant, "kind": kind, "reports": count})
    rows = []
    for b in bodies.values():
        # the name shown: the spelling most printed, then the longest (洛阳市瀍河回族区… over 瀍河回族区…)
        shown = max(b["meant"], key=lambda n: (b["meant"][n], len(n), n))
        level = max(b["levels"], key=lambda v: (b["levels"][v], v or ""))
        path, by_level = b["path"], {d.level: d for d in b["path"]}
        if path and not b["township"] and _GOVERNMENT.match(b["rest"]):
            # a government's level is its division's: 新郑市 is a county-level city, which its name cannot tell
            level = division_level(path[-1])
        deepest = path[-1] if path else None
        # a county given alone is still under its city and province
        province = by_level.get("province") or (divisions.get(deepest.province) if deepest else None)
        city = by_level.get("city") or (divisions.get(deepest.city) if deepest and deepest.city else None)
        county = by_level.get("county")
        rows.append({
            "agency_id": b["agency_id"], "agency": shown,
            "names": json.dumps(sorted(b["printed"], key=lambda n: (-b["printed"][n], n)), ensure_ascii=False),
            "level": level, "placed": int(bool(path)),
            "division_code": deepest.code if deepest else None,
            "province_code": province.code if province else None, "province_name": province.name if province else None,
            "city_code": city.code if city else None, "city_name": city.name if city else None,
            "county_code": county.code if county else None, "county_name": county.name if county else None,
            "township_name": b["township"],
            "peer_division": peer_division(path, b["township"], b["rest"], level) if path else None,
            "region": max(b["regions"], key=lambda r: (b["regions"][r], r or "")),
        })
    return rows, name_rows


def fill(db):
    """Write agency_names and the agencies' identity columns from the reports' printed names (their
    totals are filled by db.summary from agency_years)."""
    names = {}
    for agency, region, level, count in db.execute(
            "select agency, region, level, count(*) from reports where agency is not null "
            "group by agency, region, level order by count(*)").fetchall():
        names[agency] = (region, level, count + (names[agency][2] if agency in names else 0))
    rows, name_rows = resolve(names)
    db.execute("delete from agency_names")
    db.execute("delete from agencies")
    if name_rows:
        db["agency_names"].insert_all(name_rows)
    if rows:
        db["agencies"].insert_all(rows)
