"""A detail page's metadata: 索引号, 发布机构, 成文日期, 发布日期 and title, whatever block carries them.

Three shapes are seen (portals.md §1.3, §2.1): a labelled list or table ('索引号：…', spaced labels
'索 引 号'), a values-only list (its values recognised by their form: an index number, dates, an
organisation), and <meta> tags (ArticleTitle, PubDate, ContentSource).
"""
import re

_INDEX_NO = re.compile(r"^[0-9A-Za-z\-]{5,}/\d{4}-\d{3,}$|^\d{6,}/\d{4}-\d+$")
_DATE = re.compile(r"((?:19|20)\d\d)[-/年.](\d{1,2})[-/月.](\d{1,2})日?")
_LABELS = {
    "index_no": "索引号", "publisher": "发布机构", "written_date": "成文日期", "published_date": "发布日期",
}
_WS = re.compile(r"[\s\u00a0\u3000]+")
# the labels a metadata block may print; a field whose value starts with one of them is empty
_ANY_LABEL = ("索引号", "发布机构", "成文日期", "发布日期", "主题分类", "关键词", "文号", "发文字号", "标题", "体裁",
              "有效性", "生效日期", "废止日期")
_ORG_END = re.compile(r"(政府|委员会|管委会|局|办公室|办|厅|院|委|中心|街道|乡|镇|公司|所|站)$")


def _spaced(label):
    return r"\s*".join(map(re.escape, label))


_EMPTY_FIELD = re.compile("(?:" + "|".join(_spaced(label) for label in _ANY_LABEL) + r")(?:\s*[:：]|\s|$)")


def _date(text):
    m = _DATE.search(text or "")
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None


def read_page_meta(root, title_xpaths=()):
    """Return {index_no, publisher, written_date, published_date, title} (None where absent)."""
    if root is None:
        return dict.fromkeys(list(_LABELS) + ["title"])
    meta = {m.get("name"): (m.get("content") or "").strip() for m in root.iter("meta") if m.get("name")}
    out = dict.fromkeys(_LABELS)
    text = "\n".join(_WS.sub(" ", t).strip() for t in root.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style)]"))
    text = re.sub(r"\n+", "\n", text)
    for key, label in _LABELS.items():
        m = re.search(_spaced(label) + r"\s*[:：]?\s*\n?\s*([^\n|｜]{1,60})", text)
        if m:
            value = m.group(1).strip()
            if _EMPTY_FIELD.match(value):  # '成文日期：' then the next label's line: no value
                value = ""
            out[key] = _date(value) if key.endswith("date") else (value or None)
            if out[key] and any(lbl in out[key] for lbl in ("成文日期", "发布日期", "主题分类", "关键词")):
                out[key] = None  # an empty field followed by the next label
    if not any(out.values()):
        out.update(_values_only(root))
    out["published_date"] = out["published_date"] or _date(meta.get("PubDate"))
    out["publisher"] = out["publisher"] or meta.get("ContentSource") or _labelled(text, _PUBLISHER_LABELS)
    out["title"] = _title(root, meta, title_xpaths)
    return out


# where no 发布机构 is printed: the issuing body (信息公开 templates) or the source line ('来源：…')
_PUBLISHER_LABELS = ("发文机关", "信息来源", "来源")


def _labelled(text, labels):
    for label in labels:
        m = re.search(r"(?:^|\n)\s*" + _spaced(label) + r"\s*[:：]\s*([^\n|｜:：]{2,40})", text)
        if m and not _EMPTY_FIELD.match(m.group(1).strip()):
            return m.group(1).strip()
    return None


def _values_only(root):
    """The 5-item list of values without labels: index number, organisation, topic, two dates."""
    for ul in root.xpath("//ul[count(li) >= 4 and count(li) <= 8]"):
        values = [_WS.sub(" ", li.text_content()).strip() for li in ul.xpath("./li")]
        index = next((v for v in values if _INDEX_NO.match(v)), None)
        if not index:
            continue
        dates = [d for d in map(_date, values) if d]
        org = next((v for v in values if _ORG_END.search(v) and not _date(v) and v != index), None)
        return {"index_no": index, "publisher": org,
                "written_date": dates[0] if len(dates) >= 2 else None,
                "published_date": dates[-1] if dates else None}
    return {}


def _title(root, meta, title_xpaths):
    for xp in title_xpaths:
        found = root.xpath(xp)
        if found:
            value = found[0] if isinstance(found[0], str) else found[0].text_content()
            value = _WS.sub(" ", value).strip()
            if value:
                return value
    if meta.get("ArticleTitle"):
        return meta["ArticleTitle"]
    h1 = root.xpath("//h1")
    if h1 and h1[0].text_content().strip():
        return _WS.sub(" ", h1[0].text_content()).strip()
    title = root.find(".//title")
    return _WS.sub(" ", title.text_content()).strip() if title is not None else None
