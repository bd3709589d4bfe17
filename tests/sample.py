"""A small real database for tests: the five seed reports and the four Pingtan corpus pages, with
synthetic crawl records, archived as the archive keeps them ({archive}/blobs/{sha[:2]}/{sha})."""
import hashlib
from pathlib import Path

from db.build import build
from pipelines.archive import store_blob
from pipelines.records import CrawledDocument

SOURCES = [
    {"id": "henan-zhengzhou", "name": "郑州市人民政府 政府信息公开年报", "region": "河南省郑州市", "level": "city",
     "platform": "zhengzhou", "start_urls": ["https://public.zhengzhou.gov.cn/"], "robots": "obey"},
    {"id": "fujian-pingtan", "name": "平潭综合实验区 政府信息公开年报", "region": "福建省平潭综合实验区", "level": "district",
     "platform": "trs", "start_urls": ["https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"], "robots": "obey"},
]

RUN = {"run_id": "2026-11-20T02:00:00Z", "started_at": "2026-11-20T02:00:00Z", "finished_at": "2026-11-20T02:10:00Z",
       "sources": {"henan-zhengzhou": {"pages_fetched": 12, "new": 5, "changed": 0, "unchanged": 0, "not_modified": 0,
                                       "failures": {}, "blocked": 0, "failed_urls": []},
                   "fujian-pingtan": {"pages_fetched": 5, "new": 4, "changed": 0, "unchanged": 0, "not_modified": 0,
                                      "failures": {"timeout": 1}, "blocked": 0,
                                      "failed_urls": ["https://www.pingtan.gov.cn/x.html"]}}}


def documents(shared):
    """A CrawledDocument, body included, for each seed and corpus page."""
    shared = Path(shared)
    for i, path in enumerate(sorted((shared / "seeds").glob("*.txt"))):
        body = path.read_bytes()
        url = f"https://public.zhengzhou.gov.cn/nb/{path.stem}.txt"
        yield _document("henan-zhengzhou", url, url, f"ZZ-{i:03d}", body, "text/plain; charset=utf-8",
                        f"2024-0{i + 1}-15")
    for year in ("2017", "2019", "2021", "2023"):
        body = (shared / "corpus" / "pingtan" / year / "source.html").read_bytes()
        url = f"https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/{year}/nb{year}.html"
        yield _document("fujian-pingtan", url, url, f"PT-{year}", body, "text/html", f"{int(year) + 1}-01-20")


def _document(source_id, url, page_url, index_no, body, content_type, published):
    sha = hashlib.sha256(body).hexdigest()
    return CrawledDocument(
        source_id=source_id, url=url, page_url=page_url, index_no=index_no, written_date=published,
        published_date=published, warc_file="sample-00000.warc.gz",
        warc_record_id=f"<urn:uuid:{sha[:8]}-0000-0000-0000-{sha[8:20]}>", sha256=sha,
        fetched_at="2026-11-20T02:05:00+00:00", content_type=content_type, http_status=200, body=body)


def archive(archive_dir, docs):
    """Write bodies where the archive keeps them; return the documents as a list."""
    docs = list(docs)
    for doc in docs:
        store_blob(archive_dir, doc.body)
    return docs


def build_sample(shared, archive_dir, db_path, as_of="2026-11-21"):
    docs = archive(archive_dir, documents(shared))
    return build(archive_dir, db_path, docs, sources=SOURCES, runs=[RUN], as_of=as_of)
