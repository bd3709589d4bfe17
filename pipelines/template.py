"""The national report template (2019 and 2021 versions): codes, official labels, keywords.

Codes and labels follow ../shared/docs/template.md (copied here so the product needs nothing outside
the project at run time). Every other module asks this one what a label means.
"""
import re
import unicodedata
from functools import lru_cache

# --- section 二: proactive disclosure, blocks per 第二十条 clause --------------------------------

BLOCKS = {"一": "art20_1", "五": "art20_5", "六": "art20_6", "八": "art20_8", "九": "art20_9"}

PROACTIVE = {
    "2021": {
        "rules": ["issued", "repealed", "in_force"],
        "normative_documents": ["issued", "repealed", "in_force"],
        "licensing": ["decisions"],
        "penalty": ["decisions"],
        "enforcement": ["decisions"],
        "fees": ["fee_amount_10k_yuan"],
    },
    "2019": {
        "rules": ["new_made", "new_published", "total_published"],
        "normative_documents": ["new_made", "new_published", "total_published"],
        "licensing": ["prev_year_items", "change", "decisions"],
        "other_services": ["prev_year_items", "change", "decisions"],
        "penalty": ["prev_year_items", "change", "decisions"],
        "enforcement": ["prev_year_items", "change", "decisions"],
        "fees": ["prev_year_items", "change"],
        "procurement": ["procurement_projects", "procurement_amount"],
    },
}

PROACTIVE_ITEM_BLOCK = {
    "rules": "art20_1", "normative_documents": "art20_1", "other_documents": "art20_1",
    "licensing": "art20_5", "other_services": "art20_5",
    "penalty": "art20_6", "enforcement": "art20_6",
    "fees": "art20_8", "procurement": "art20_9",
}

PROACTIVE_ITEM_LABELS = {
    "rules": "规章", "normative_documents": "规范性文件", "other_documents": "其他主动公开文件",
    "licensing": "行政许可", "other_services": "其他对外管理服务事项", "penalty": "行政处罚",
    "enforcement": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购",
}
PROACTIVE_ITEM_LABELS_2021 = dict(PROACTIVE_ITEM_LABELS, normative_documents="行政规范性文件")

MEASURE_LABELS = {
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
    "decisions": "本年处理决定数量", "fee_amount_10k_yuan": "本年收费金额（单位：万元）",
    "new_made": "本年新制作数量", "new_published": "本年新公开数量", "total_published": "对外公开总数量",
    "prev_year_items": "上一年项目数量", "change": "本年增/减",
    "procurement_projects": "采购项目数量", "procurement_amount": "采购总金额",
}
MEASURE_LABELS_2019 = dict(MEASURE_LABELS, decisions="处理决定数量")

# Keywords of measure headers, tried in order (first match wins).
MEASURE_KEYWORDS = [
    ("issued", ("制发",)), ("repealed", ("废止",)), ("in_force", ("现行有效",)),
    ("fee_amount_10k_yuan", ("收费金额",)), ("decisions", ("处理决定",)),
    ("new_made", ("新制作",)), ("new_published", ("新公开",)), ("total_published", ("对外公开总",)),
    ("prev_year_items", ("上一年项目",)), ("change", ("增/减",)), ("change", ("增减",)),
    ("procurement_projects", ("采购项目",)), ("procurement_amount", ("采购总金额",)),
]

# --- section 三: applications ----------------------------------------------------------------------

APPLICANT_COLUMNS = ["natural_person", "commercial_enterprise", "research_institution",
                     "social_welfare_org", "legal_service_org", "other_org", "total"]
APPLICANT_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

_ROWS_HEAD = ["new_received", "carried_over", "disclosed", "partially_disclosed",
              "withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
              "withheld_third_party_rights", "withheld_internal_affairs", "withheld_process_info",
              "withheld_enforcement_file", "withheld_admin_query",
              "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
              "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
              "rejected_confirmation"]
APPLICATION_ROWS = {
    "2021": _ROWS_HEAD + ["other_overdue_correction", "other_overdue_fee", "other_other",
                          "results_total", "carried_forward"],
    "2019": _ROWS_HEAD + ["other_total", "results_total", "carried_forward"],
}

APPLICATION_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "disclosed": "（一）予以公开",
    "partially_disclosed": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "1.属于国家秘密",
    "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_security_stability": "3.危及“三安全一稳定”",
    "withheld_third_party_rights": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息",
    "withheld_process_info": "6.属于四类过程性信息",
    "withheld_enforcement_file": "7.属于行政执法案卷",
    "withheld_admin_query": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "rejected_petition": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_total": "（六）其他处理",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_overdue_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他",
    "results_total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

# Group cells of section 三: labels only, never numbers (template.md §3c).
APPLICATION_GROUPS = {
    "results": "三、本年度办理结果", "withheld": "（三）不予公开", "unavailable": "（四）无法提供",
    "rejected": "（五）不予处理", "other": "（六）其他处理",
}
GROUP_OF_ROW = {r: "withheld" for r in _ROWS_HEAD[4:12]}
GROUP_OF_ROW.update({r: "unavailable" for r in _ROWS_HEAD[12:15]})
GROUP_OF_ROW.update({r: "rejected" for r in _ROWS_HEAD[15:20]})
GROUP_OF_ROW.update({"other_overdue_correction": "other", "other_overdue_fee": "other", "other_other": "other"})
GROUP_LEAVES = {}  # group -> its sub-rows in template order, for rows whose labels were dropped
for _row, _group in GROUP_OF_ROW.items():
    GROUP_LEAVES.setdefault(_group, []).append(_row)

# Outcome leaves summing to results_total (check A2).
OUTCOME_LEAVES = {
    "2021": APPLICATION_ROWS["2021"][2:23],
    "2019": APPLICATION_ROWS["2019"][2:21],
}

# (code, keywords that must all occur, keywords that must not occur), tried in order.
ROW_KEYWORDS = [
    ("new_received", ("本年新收",), ()),
    ("carried_over", ("上年结转",), ()),
    ("carried_forward", ("结转下年",), ()),
    ("partially_disclosed", ("部分公开",), ()),
    ("disclosed", ("予以公开",), ("不予",)),
    ("withheld_state_secret", ("国家秘密",), ()),
    ("withheld_prohibited_by_law", ("禁止公开",), ()),
    ("withheld_security_stability", ("三安全",), ()),
    ("withheld_security_stability", ("一稳定",), ()),
    ("withheld_third_party_rights", ("第三方",), ()),
    ("withheld_internal_affairs", ("内部事务",), ()),
    ("withheld_process_info", ("过程性",), ()),
    ("withheld_enforcement_file", ("执法案卷",), ()),
    ("withheld_admin_query", ("查询事项",), ()),
    ("unavailable_not_held", ("不掌握",), ()),
    ("unavailable_needs_creation", ("另行制作",), ()),
    ("unavailable_unclear", ("仍不明确",), ()),
    ("rejected_petition", ("信访",), ()),
    ("rejected_duplicate", ("重复申请",), ("反复",)),
    ("rejected_publication", ("出版物",), ()),
    ("rejected_excessive", ("反复申请",), ()),
    ("rejected_excessive", ("大量",), ()),
    ("rejected_confirmation", ("确认", "重新出具"), ()),
    ("other_overdue_correction", ("逾期不补正",), ()),
    ("other_overdue_fee", ("缴纳费用",), ()),
    ("other_overdue_fee", ("收费通知",), ()),
    ("other_total", ("其他处理",), ()),
    ("results_total", ("总计",), ()),
]
GROUP_KEYWORDS = [("withheld", "不予公开"), ("unavailable", "无法提供"), ("rejected", "不予处理"),
                  ("other", "其他处理"), ("results", "办理结果")]

# --- section 四: review and litigation ------------------------------------------------------------

REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_GROUP_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼 › 未经复议直接起诉",
                       "litigation_after_review": "行政诉讼 › 复议后起诉"}
REVIEW_MEASURES = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_MEASURE_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# --- template fingerprints (template.md §0) -------------------------------------------------------

SIGNALS_2019 = ("本年新制作数量", "对外公开总数量", "上一年项目数量", "本年增/减", "第二十条第（九）项",
                "政府集中采购", "其他对外管理服务事项")
SIGNALS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")
SIGNALS_2021_APPLICATIONS = ("逾期不补正", "缴纳费用")

# --- label normalization (template.md §6.4) -------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]|[①-⑳])")


@lru_cache(maxsize=8192)
def normalize_label(text):
    """NFKC, no whitespace, ASCII quotes: the form all keyword matching runs on.
    Cached: reports repeat the same few hundred labels."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).translate(_QUOTES)


@lru_cache(maxsize=8192)
def strip_ordinal(label):
    """Drop a leading （一）/一、/1./1、 numbering from a normalized label."""
    return _ORDINAL.sub("", label, count=1)


@lru_cache(maxsize=8192)
def match_row(label):
    """The section-三 row code a normalized label names, or None."""
    for code, needed, forbidden in ROW_KEYWORDS:
        if all(k in label for k in needed) and not any(k in label for k in forbidden):
            return code
    return None


@lru_cache(maxsize=8192)
def match_group(label):
    for code, key in GROUP_KEYWORDS:
        if key in label:
            return code
    return None


@lru_cache(maxsize=8192)
def match_proactive_item(label):
    """The section-二 item a normalized label names, or None. Provincial notes after the label are allowed."""
    core = strip_ordinal(label)
    if core.startswith("规章"):
        return "rules"
    if "规范性文件" in core[:12] or "规範性檔案" in core[:12]:
        return "normative_documents"
    for code, key in (("other_services", "其他对外管理服务"), ("licensing", "行政许可"),
                      ("penalty", "行政处罚"), ("enforcement", "行政强制"), ("fees", "行政事业性收费"),
                      ("procurement", "政府集中采购"), ("other_documents", "其他主动公开文件")):
        if core.startswith(key) or (key in core[:len(key) + 2]):
            return code
    return None


@lru_cache(maxsize=8192)
def match_measure(label):
    for code, keys in MEASURE_KEYWORDS:
        if all(k in label for k in keys):
            return code
    return None


_CLAUSE = re.compile(r"第二十条第[(（]([一二三四五六七八九十]+)[)）]项")


@lru_cache(maxsize=8192)
def match_block(label):
    """'第二十条第（八）项' -> 'art20_8' (spaces already removed by normalize_label)."""
    m = _CLAUSE.search(label.replace("(", "（").replace(")", "）"))
    return BLOCKS.get(m.group(1)) if m else None
