"""The national report template (2019 and 2021 versions) as data: one table of every block, row,
group and column of the three tables, plus the section markers and the template fingerprints.

Codes and labels follow ../shared/docs/template.md (copied here: the product needs nothing outside the
project at run time). Mapping, checks, totals, the code tables, the wide views, the CLI summary and the
spiders' report recognition all read this table: adding a row or a label variant is one line in it.

Everything derived from the table (lists per template, keyword matchers) is computed on first use and
cached; `reset()` drops those caches (a test that extends the table calls it).
"""
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import opencc

BOTH = ("2019", "2021")
TEMPLATES = BOTH

SECTION_NAMES = {
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}


@dataclass(frozen=True)
class Code:
    """One line of the template: a block, row (item), group or column (measure) of one section.

    match: keyword sets, a normalized label names this code when it holds every keyword of one set
    (and none of `exclude`); variants: whole labels (after normalizing and dropping the ordinal) that
    name it too, for printed forms the keywords miss; bare: a generic label ("其他") that names it only
    under its own group. role: its part in the report's arithmetic (pipelines.checks)."""
    section: str            # proactive | applications | review_litigation
    kind: str               # block | item | group | measure
    code: str
    label: str              # the official label (the 2021 one where the templates differ)
    en: str                 # English name
    templates: tuple = BOTH
    parent: str | None = None
    match: tuple = ()
    exclude: tuple = ()
    variants: tuple = ()
    bare: str | None = None
    role: str | None = None
    label_2019: str | None = None
    measures: dict = field(default=None, hash=False, compare=False)  # proactive items: {template: measures}
    short: str | None = None  # a short heading where columns are narrow (the CLI summary)
    clause: str | None = None  # blocks: the 第二十条 clause numeral
    lead: int = 2            # proactive items: characters that may stand before the keyword

    def label_in(self, template):
        return self.label_2019 if template == "2019" and self.label_2019 else self.label


_R21 = {"2021": ("issued", "repealed", "in_force"), "2019": ("new_made", "new_published", "total_published")}
_SERVICES = {"2021": ("decisions",), "2019": ("prev_year_items", "change", "decisions")}

# Roles in the arithmetic (template.md §5): rows `received` (A1 in), `handled` (A1 out, A2 total),
# `forward` (A1 out), `outcome` (A2 leaves of the handled total); columns and measures `part` / `total`
# (A3, L1). `extension`: a provincial row outside the national template.
ROWS = (
    # --- section 二: proactive disclosure, blocks per 第二十条 clause ---------------------------------
    Code("proactive", "block", "art20_1", "第二十条第（一）项", "Art. 20(1): rules and normative documents", clause="一"),
    Code("proactive", "block", "art20_5", "第二十条第（五）项", "Art. 20(5): licensing and other services", clause="五"),
    Code("proactive", "block", "art20_6", "第二十条第（六）项", "Art. 20(6): penalties and enforcement", clause="六"),
    Code("proactive", "block", "art20_8", "第二十条第（八）项", "Art. 20(8): administrative fees", clause="八"),
    Code("proactive", "block", "art20_9", "第二十条第（九）项", "Art. 20(9): government procurement", ("2019",), clause="九"),
    Code("proactive", "item", "rules", "规章", "Rules (regulations)", parent="art20_1", match=(("规章",),),
         measures=_R21, lead=0),
    Code("proactive", "item", "normative_documents", "行政规范性文件", "Normative documents", parent="art20_1",
         match=(("规范性文件",), ("规范性档案",)), label_2019="规范性文件", measures=_R21, lead=7),
    Code("proactive", "item", "other_documents", "其他主动公开文件", "Other documents (Hubei extension)", ("2019",),
         parent="art20_1", match=(("其他主动公开文件",),), role="extension", measures=_R21),
    Code("proactive", "item", "licensing", "行政许可", "Administrative licensing", parent="art20_5",
         match=(("行政许可",),), measures=_SERVICES),
    Code("proactive", "item", "other_services", "其他对外管理服务事项", "Other external services", ("2019",),
         parent="art20_5", match=(("其他对外管理服务",),), measures={"2019": _SERVICES["2019"]}),
    Code("proactive", "item", "penalty", "行政处罚", "Administrative penalties", parent="art20_6",
         match=(("行政处罚",),), measures=_SERVICES),
    Code("proactive", "item", "enforcement", "行政强制", "Administrative enforcement", parent="art20_6",
         match=(("行政强制",),), measures=_SERVICES),
    Code("proactive", "item", "fees", "行政事业性收费", "Administrative fees", parent="art20_8",
         match=(("行政事业性收费",),),
         measures={"2021": ("fee_amount_10k_yuan",), "2019": ("prev_year_items", "change")}),
    Code("proactive", "item", "procurement", "政府集中采购", "Central government procurement", ("2019",),
         parent="art20_9", match=(("政府集中采购",),),
         measures={"2019": ("procurement_projects", "procurement_amount")}),
    Code("proactive", "measure", "issued", "本年制发件数", "Issued this year", ("2021",), match=(("制发",),)),
    Code("proactive", "measure", "repealed", "本年废止件数", "Repealed this year", ("2021",), match=(("废止",),)),
    Code("proactive", "measure", "in_force", "现行有效件数", "Currently in force", ("2021",), match=(("现行有效",),)),
    Code("proactive", "measure", "decisions", "本年处理决定数量", "Decisions this year", match=(("处理决定",),),
         label_2019="处理决定数量"),
    Code("proactive", "measure", "fee_amount_10k_yuan", "本年收费金额（单位：万元）", "Fees collected (10k yuan)",
         ("2021",), match=(("收费金额",),)),
    Code("proactive", "measure", "new_made", "本年新制作数量", "Newly made this year", ("2019",), match=(("新制作",),)),
    Code("proactive", "measure", "new_published", "本年新公开数量", "Newly published this year", ("2019",),
         match=(("新公开",),)),
    Code("proactive", "measure", "total_published", "对外公开总数量", "Total published", ("2019",),
         match=(("对外公开总",),)),
    Code("proactive", "measure", "prev_year_items", "上一年项目数量", "Items last year", ("2019",),
         match=(("上一年项目",),)),
    Code("proactive", "measure", "change", "本年增/减", "Change this year (+/-)", ("2019",), match=(("增/减",), ("增减",))),
    Code("proactive", "measure", "procurement_projects", "采购项目数量", "Procurement projects", ("2019",),
         match=(("采购项目",),)),
    Code("proactive", "measure", "procurement_amount", "采购总金额", "Procurement amount", ("2019",),
         match=(("采购总金额",),)),

    # --- section 三: applications; group cells carry labels, never numbers (template.md §3c) -----------
    Code("applications", "item", "new_received", "一、本年新收政府信息公开申请数量",
         "New applications received this year", match=(("本年新收",),), role="received"),
    Code("applications", "item", "carried_over", "二、上年结转政府信息公开申请数量", "Carried over from last year",
         match=(("上年结转",),), role="received"),
    Code("applications", "group", "results", "三、本年度办理结果", "Results this year", match=(("办理结果",),)),
    Code("applications", "item", "disclosed", "（一）予以公开", "Disclosed", parent="results", match=(("予以公开",),),
         exclude=("不予",), role="outcome"),
    Code("applications", "item", "partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
         "Partially disclosed", parent="results", match=(("部分公开",),), role="outcome"),
    Code("applications", "group", "withheld", "（三）不予公开", "Withheld", parent="results", match=(("不予公开",),)),
    Code("applications", "item", "withheld_state_secret", "1.属于国家秘密", "Withheld: state secret",
         parent="withheld", match=(("国家秘密",),), role="outcome"),
    Code("applications", "item", "withheld_prohibited_by_law", "2.其他法律行政法规禁止公开",
         "Withheld: prohibited by other laws", parent="withheld", match=(("禁止公开",),), role="outcome"),
    Code("applications", "item", "withheld_security_stability", "3.危及“三安全一稳定”",
         "Withheld: endangers security or stability", parent="withheld", match=(("三安全",), ("一稳定",)),
         role="outcome"),
    Code("applications", "item", "withheld_third_party_rights", "4.保护第三方合法权益", "Withheld: third-party rights",
         parent="withheld", match=(("第三方",),), role="outcome"),
    Code("applications", "item", "withheld_internal_affairs", "5.属于三类内部事务信息", "Withheld: internal affairs",
         parent="withheld", match=(("内部事务",),), role="outcome"),
    Code("applications", "item", "withheld_process_info", "6.属于四类过程性信息", "Withheld: process information",
         parent="withheld", match=(("过程性",),), role="outcome"),
    Code("applications", "item", "withheld_enforcement_file", "7.属于行政执法案卷", "Withheld: enforcement case file",
         parent="withheld", match=(("执法案卷",),), role="outcome"),
    Code("applications", "item", "withheld_admin_query", "8.属于行政查询事项", "Withheld: administrative query matter",
         parent="withheld", match=(("查询事项",),), role="outcome"),
    Code("applications", "group", "unavailable", "（四）无法提供", "Cannot be provided", parent="results",
         match=(("无法提供",),)),
    Code("applications", "item", "unavailable_not_held", "1.本机关不掌握相关政府信息",
         "Unavailable: not held by this agency", parent="unavailable", match=(("不掌握",),), role="outcome"),
    Code("applications", "item", "unavailable_needs_creation", "2.没有现成信息需要另行制作",
         "Unavailable: would need to be created", parent="unavailable", match=(("另行制作",),), role="outcome"),
    Code("applications", "item", "unavailable_unclear", "3.补正后申请内容仍不明确",
         "Unavailable: still unclear after correction", parent="unavailable", match=(("仍不明确",),), role="outcome"),
    Code("applications", "group", "rejected", "（五）不予处理", "Not processed", parent="results",
         match=(("不予处理",),)),
    Code("applications", "item", "rejected_petition", "1.信访举报投诉类申请", "Not processed: petition or complaint",
         parent="rejected", match=(("信访",),), role="outcome"),
    Code("applications", "item", "rejected_duplicate", "2.重复申请", "Not processed: duplicate", parent="rejected",
         match=(("重复申请",),), exclude=("反复",), role="outcome"),
    Code("applications", "item", "rejected_publication", "3.要求提供公开出版物", "Not processed: asks for a publication",
         parent="rejected", match=(("出版物",),), role="outcome"),
    Code("applications", "item", "rejected_excessive", "4.无正当理由大量反复申请",
         "Not processed: excessive repeated requests", parent="rejected", match=(("反复申请",), ("大量",)),
         role="outcome"),
    Code("applications", "item", "rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息",
         "Not processed: asks to confirm or reissue information", parent="rejected", match=(("确认", "重新出具"),),
         role="outcome"),
    # 2019 prints （六）其他处理 as one row; 2021 makes it a group cell over three rows
    Code("applications", "item", "other_total", "（六）其他处理", "Other handling (total)", ("2019",),
         parent="results", match=(("其他处理",),), role="outcome"),
    Code("applications", "group", "other", "（六）其他处理", "Other handling", ("2021",), parent="results",
         match=(("其他处理",),)),
    Code("applications", "item", "other_overdue_correction",
         "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "Other: correction overdue", ("2021",),
         parent="other", match=(("逾期不补正",),), role="outcome"),
    Code("applications", "item", "other_overdue_fee",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "Other: fee not paid", ("2021",),
         parent="other", match=(("缴纳费用",), ("收费通知",)), role="outcome"),
    Code("applications", "item", "other_other", "3.其他", "Other: other", ("2021",), parent="other", bare="其他",
         role="outcome"),
    Code("applications", "item", "results_total", "（七）总计", "Results total", parent="results",
         match=(("总计",),), role="handled"),
    Code("applications", "item", "carried_forward", "四、结转下年度继续办理", "Carried forward to next year",
         match=(("结转下年",),), role="forward"),
    # columns: the applicant types
    Code("applications", "measure", "natural_person", "自然人", "Natural persons", role="part", short="自然人"),
    Code("applications", "group", "legal_person", "法人或其他组织", "Legal persons and other organisations"),
    Code("applications", "measure", "commercial_enterprise", "商业企业", "Commercial enterprises",
         parent="legal_person", role="part", short="商业"),
    Code("applications", "measure", "research_institution", "科研机构", "Research institutions",
         parent="legal_person", role="part", short="科研"),
    Code("applications", "measure", "social_welfare_org", "社会公益组织", "Social welfare organisations",
         parent="legal_person", role="part", short="公益"),
    Code("applications", "measure", "legal_service_org", "法律服务机构", "Legal service organisations",
         parent="legal_person", role="part", short="法律"),
    Code("applications", "measure", "other_org", "其他", "Other organisations", parent="legal_person", role="part",
         short="其他"),
    Code("applications", "measure", "total", "总计", "Total", role="total", short="总计"),

    # --- section 四: review and litigation, the same in both templates ------------------------------
    Code("review_litigation", "item", "review", "行政复议", "Administrative review"),
    Code("review_litigation", "group", "litigation", "行政诉讼", "Lawsuits"),
    Code("review_litigation", "item", "litigation_direct", "未经复议直接起诉", "Lawsuit without prior review",
         parent="litigation"),
    Code("review_litigation", "item", "litigation_after_review", "复议后起诉", "Lawsuit after review",
         parent="litigation"),
    Code("review_litigation", "measure", "upheld", "结果维持", "Upheld", role="part"),
    Code("review_litigation", "measure", "corrected", "结果纠正", "Corrected", role="part"),
    Code("review_litigation", "measure", "other", "其他结果", "Other result", role="part"),
    Code("review_litigation", "measure", "pending", "尚未审结", "Pending", role="part"),
    Code("review_litigation", "measure", "total", "总计", "Total", role="total"),
)

# --- where each section starts (template.md §1: located by keyword, not by exact heading) ----------
# (section, keywords that must all occur in a row's labels, whether the row must carry no values)
SECTION_MARKERS = (
    ("proactive", ("主动公开政府信息情况",), True),
    ("applications", ("收到和处理",), True),
    ("applications", ("勾稽关系",), False),
    ("applications", ("申请人情况",), False),
    ("review_litigation", ("行政复议", "行政诉讼"), False),
    ("review_litigation", ("行政复议", "结果维持"), False),
)
PROACTIVE_HEADER = "信息内容"  # first cell of a section-二 block's header row

# --- template fingerprints (template.md §0) --------------------------------------------------------
FINGERPRINTS = {
    "proactive": {
        "2019": ("本年新制作数量", "对外公开总数量", "上一年项目数量", "本年增/减", "第二十条第（九）项", "政府集中采购",
                 "其他对外管理服务事项"),
        "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    },
    # section 三: 2021 when （六） has its sub-rows; 2019 when （六）其他处理 is a row of a 三 table
    "applications": {"2021": ("逾期不补正", "缴纳费用"), "2019": ("其他处理", "本年新收")},
}

# --- what tells a report page from any other page (the spiders' recognition) ----------------------
REPORT_MARKS = ("本年新收", "第二十条", "本年度办理结果", "申请人情况", "主动公开政府信息情况")
STRONG_REPORT_MARKS = REPORT_MARKS[:3]  # enough alone: only the tables print them

# --- 2019 <-> 2021 (template.md §2c): pairs that are not the same code in both ----------------------
# (section, kind, code_2019, code_2021, comparable, note); codes of both templates compare as themselves
CROSSWALK = (
    ("proactive", "item", "normative_documents", "normative_documents", "yes", "2021 label adds 行政"),
    ("proactive", "item", "fees", "fees", "yes", "the row compares, its measures differ"),
    ("proactive", "item", "other_services", None, "2019_only", "dropped in 2021"),
    ("proactive", "item", "procurement", None, "2019_only", "dropped in 2021"),
    ("proactive", "measure", "decisions", "decisions", "approx", "same concept: 处理决定数量 / 本年处理决定数量"),
    ("proactive", "measure", "new_made", "issued", "approx", "close, kept as separate codes"),
    ("proactive", "measure", "total_published", "in_force", "no", "cumulative published vs currently valid: different concepts"),
    ("proactive", "measure", "procurement_amount", None, "2019_only", "unit not fixed by the template: see unit"),
    ("applications", "item", "other_total", "other_total", "yes",
     "2019 prints one row; 2021 splits it in three (other_overdue_correction + other_overdue_fee + other_other): compare their sum"),
)

# --- derived from the table, cached -------------------------------------------------------------------

_caches = []


def derived(function):
    """Cache a function of the template; reset() clears it. Modules that derive something from the
    table and keep it use this too, so that an extended table reaches them."""
    cached = functools.lru_cache(maxsize=8192)(function)  # bounded: labels are open-ended on real reports
    _caches.append(cached)
    return cached


def reset():
    """Forget everything derived from ROWS (after a test has extended it)."""
    for cached in _caches:
        cached.cache_clear()


@derived
def codes(section=None, kind=None, template=None):
    """Codes in printed order, filtered by section, kind and template."""
    return tuple(c for c in ROWS if (section is None or c.section == section) and (kind is None or c.kind == kind)
                 and (template is None or template in c.templates))


@derived
def get(section, code):
    return next(c for c in ROWS if c.section == section and c.code == code)


@derived
def labels(section, template="2021"):
    """{code: label} of a section's rows, groups and columns, in printed order."""
    out = {}
    for c in codes(section):
        out.setdefault(c.code, c.label_in(template))
    return out


def path_label(section, code, template="2021"):
    """The label with its parents' ('行政诉讼 › 复议后起诉'), where the label alone is ambiguous."""
    c = get(section, code)
    parents = []
    while c.parent and get(section, c.parent).kind == "group" and c.parent != "results":
        c = get(section, c.parent)
        parents.insert(0, c.label_in(template))
    return " › ".join(parents + [get(section, code).label_in(template)])


@derived
def items(section, template):
    """The rows the template prints, in order (no extension rows)."""
    return tuple(c.code for c in codes(section, "item", template) if c.role != "extension")


@derived
def measures(section, template=None):
    """The columns of section 三 and 四, or every proactive measure of a template (None: of both)."""
    return tuple(c.code for c in codes(section, "measure", template))


def proactive_measures(item, template):
    """The measures of a proactive row in a template; a row of the other template only keeps its own."""
    row = get("proactive", item)
    return row.measures.get(template) or next(iter(row.measures.values()))


def proactive_layout(template):
    """{item: measures} of section 二 as the template prints it."""
    return {item: proactive_measures(item, template) for item in items("proactive", template)}


@derived
def with_role(section, kind, role, template=None):
    return tuple(c.code for c in codes(section, kind, template) if c.role == role)


@derived
def under(parent, section="applications", kind="item"):
    """The codes of a group, in printed order (its rows, for rows printed without their labels)."""
    return tuple(c.code for c in codes(section, kind) if c.parent == parent)


@derived
def group_of(code, section="applications"):
    parent = get(section, code).parent
    return parent if parent and get(section, parent).kind == "group" and parent != "results" else None


def block_of(clause):
    """'八' -> 'art20_8'."""
    return next((c.code for c in codes("proactive", "block") if c.clause == clause), None)


def depth(c):
    """How deep a code sits under its groups: the deeper, the more specific its label."""
    n = 0
    while c.parent:
        n += 1
        c = get(c.section, c.parent)
    return n


# --- label normalization and matching (template.md §6.4) ------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]|[①-⑳])")
_TO_SIMPLIFIED = opencc.OpenCC("t2s")  # mirrors and some publishers print traditional characters


@functools.lru_cache(maxsize=8192)
def normalize_label(text):
    """NFKC, simplified characters, no whitespace, ASCII quotes: the form all matching runs on.
    Cached: reports repeat the same few hundred labels."""
    text = unicodedata.normalize("NFKC", text or "")
    return _TO_SIMPLIFIED.convert("".join(text.split())).translate(_QUOTES)


@functools.lru_cache(maxsize=8192)
def strip_ordinal(label):
    """Drop a leading （一）/一、/1./1、 numbering from a normalized label."""
    return _ORDINAL.sub("", label, count=1)


_CN_DIGITS = {d: i for i, d in enumerate("一二三四五六七八九十", 1)}


@functools.lru_cache(maxsize=8192)
def ordinal(label):
    """The numbering a normalized label starts with, as (level, n): ('top', 2) for 二、, ('paren', 3) for
    （三）, ('sub', 2) for 2. / 2、 / ② / (2); (None, None) without one."""
    m = _ORDINAL.match(label)
    if not m:
        return None, None
    text = m.group(0)
    if "①" <= text[0] <= "⑳":
        return "sub", ord(text[0]) - ord("①") + 1
    digits = text.strip("（()）、.．")
    if digits.isdigit():
        return "sub", int(digits)
    n = _CN_DIGITS.get(digits) if len(digits) == 1 else (10 + _CN_DIGITS.get(digits[1], 0) if digits[0] == "十" else None)
    return ("paren" if text[0] in "（(" else "top"), n


@derived
def children(parent, template, section="applications"):
    """The rows and row groups printed directly under a parent (None: the table's top level), in order."""
    return tuple(c.code for c in codes(section, template=template)
                 if c.parent == parent and (c.kind == "item" or (c.kind == "group" and under(c.code, section))))


@derived
def resemblance(label, code):
    """How alike a printed label (normalized, ordinal dropped) is to a code's official labels and
    variants, 0..1: how a typo'd label is still told from a foreign one."""
    official = {strip_ordinal(normalize_label(code.label_in(t))) for t in code.templates} | _variants(code)
    return max(SequenceMatcher(None, label, o).ratio() for o in official)


def _names(c, label, core):
    if any(all(k in label for k in keys) for keys in c.match) and not any(k in label for k in c.exclude):
        return True
    return core in _variants(c)


@derived
def _variants(c):
    return {strip_ordinal(normalize_label(v)) for v in c.variants}


@derived
def _by_specificity(section, kind):
    """Codes tried deepest first, so that a label merged with its sub-label ('（六）其他处理 1.申请人…')
    names the sub-row, not the group."""
    return sorted(codes(section, kind), key=depth, reverse=True)


@derived
def match_row(label):
    """The section-三 row code a normalized label names, or None."""
    core = strip_ordinal(label)
    return next((c.code for c in _by_specificity("applications", "item") if _names(c, label, core)), None)


@derived
def match_group(label):
    """The section-三 row group a normalized label names, or None."""
    core = strip_ordinal(label)
    return next((c.code for c in _by_specificity("applications", "group") if under(c.code) and _names(c, label, core)),
                None)


@derived
def bare_row(group, core):
    """The row of a group whose generic label ('其他') is this one."""
    return next((c.code for c in codes("applications", "item") if c.parent == group and c.bare == core), None)


@derived
def bare_labels():
    return frozenset(c.bare for c in ROWS if c.bare)


@derived
def match_proactive_item(label):
    """The section-二 row a normalized label names, or None. Provincial notes after the label are allowed;
    a keyword must stand near the start (`lead`), so a note naming another row does not count."""
    core = strip_ordinal(label)
    for c in codes("proactive", "item"):
        if any(all(k in core[:len(k) + c.lead] for k in keys) for keys in c.match) or core in _variants(c):
            return c.code
    return None


@derived
def match_measure(label):
    return next((c.code for c in codes("proactive", "measure") if _names(c, label, strip_ordinal(label))), None)


_CLAUSE = re.compile(r"第二十条第[(（]([一二三四五六七八九十]+)[)）]项")


@derived
def match_block(label):
    """'第二十条第（八）项' -> 'art20_8' (spaces already removed by normalize_label)."""
    m = _CLAUSE.search(label.replace("(", "（").replace(")", "）"))
    return block_of(m.group(1)) if m else None


@derived  # rows of labels repeat from report to report
def section_marker(joined, has_values):
    """The section a row of labels opens, or None."""
    for section, keys, only_without_values in SECTION_MARKERS:
        if all(k in joined for k in keys) and not (only_without_values and has_values):
            return section
    return None
