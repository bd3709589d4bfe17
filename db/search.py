"""Chinese full-text search: a trigram index for terms of 3+ characters, a bigram index for 1-2.

SQLite's tokenizers do not segment Chinese. FTS5's trigram tokenizer finds any substring of three or
more characters, but most Chinese words have two (郑州, 公开). So each report is also cut here into its
distinct single characters and character pairs, stored as space-separated tokens in a contentless
FTS5 table: a 1- or 2-character term is then one exact token lookup.
"""
import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_WORD = re.compile(r"[0-9a-z]+")


def normalize(text):
    """NFKC, lower case, and no spaces between Chinese characters (PDF text is often spaced out)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _CJK_GAP.sub("", text)


def bigram_tokens(*texts):
    """Distinct unigrams and bigrams of every Chinese run, plus Latin words and numbers."""
    tokens = set()
    for text in texts:
        text = normalize(text)
        for run in _CJK_RUN.findall(text):
            tokens.update(run)
            tokens.update(run[i:i + 2] for i in range(len(run) - 1))
        tokens.update(w for w in _WORD.findall(_CJK_RUN.sub(" ", text)) if len(w) <= 2)
    return " ".join(sorted(tokens))


def _quote(term):
    return '"' + term.replace('"', '""') + '"'


def terms(query):
    """The search terms of a query string: split on whitespace, normalized, empty ones dropped."""
    return [t for t in (normalize(part) for part in (query or "").split()) if t]


def match_groups(query):
    """[(index table, FTS5 MATCH expression)]: the trigram terms ANDed in one expression, the 1-2
    character terms in another, so a query costs at most two index lookups."""
    long = [_quote(t) for t in terms(query) if len(t) >= 3]
    short = [_quote(t) for t in terms(query) if len(t) < 3]
    return [(table, " ".join(group)) for table, group in (("reports_fts", long), ("reports_bigrams", short)) if group]


def in_clause(table, key, cap=None, id_column="id"):
    """Reports whose id the index finds; with cap, only the newest `cap` of them."""
    limit = f" order by rowid desc limit {int(cap)}" if cap else ""
    return f"{id_column} in (select rowid from {table} where {table} match :{key}{limit})"


def exists_clause(table, key, id_column="reports.id"):
    """The same test row by row: FTS5 seeks each rowid in the term's doclist, so a term found in most
    reports costs nothing when another term has already narrowed the rows down."""
    return f"exists (select 1 from {table} where {table} match :{key} and rowid = {id_column})"


def match_clauses(query, id_column="id"):
    """SQL conditions (ANDed) and params restricting reports to those containing every term."""
    where, params = [], {}
    for i, (table, expression) in enumerate(match_groups(query)):
        key = f"nb_match_{i}"
        where.append(in_clause(table, key, id_column=id_column))
        params[key] = expression
    return where, params


def derived_text(parse_result):
    """Stand-in text when the parse result does not carry the report's text:
    title, agency and the labels of the table rows the parser found."""
    from pipelines import template as T
    parts = [parse_result.get("title") or "", parse_result.get("agency") or ""]
    tmpl = parse_result.get("template") if parse_result.get("template") in T.TEMPLATES else "2021"
    seen = dict.fromkeys((c["section"], c["item"]) for c in parse_result.get("cells") or [])
    groups = {}
    for section, item in seen:
        parts.append(T.labels(section, tmpl).get(item, ""))
        group = T.group_of(item, section)
        if group:
            groups.setdefault(group, T.labels(section, tmpl)[group])
    parts += groups.values()
    return "\n".join(p for p in parts if p)


def report_text(parse_result):
    return parse_result.get("text") or derived_text(parse_result)
