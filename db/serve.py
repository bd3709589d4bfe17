"""The Datasette command line that publishes the database: read-only, immutable, robots kept out.

`command(db_path, port, archive_dir)` writes the generated metadata next to the database and returns
the argv; `nianbao serve` runs it.
"""
import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path

from .metadata import metadata

HERE = Path(__file__).resolve().parent / "datasette"

SETTINGS = {
    "sql_time_limit_ms": 3000,      # read-only SQL, but under a time limit
    "facet_time_limit_ms": 500,     # a facet over a million reports is a covering-index scan (~80 ms);
                                    # one over a search matching every report gives up instead of waiting
    "suggest_facets": "off",        # suggestions run a query per column on every table page
    "max_returned_rows": 1000,
    "max_csv_mb": 500,
    "default_cache_ttl": 600,
    "allow_download": "on",         # the whole SQLite file: needs immutable mode (-i)
    "allow_csv_stream": "on",
    "truncate_cells_html": 400,
    "num_sql_threads": 3,
}


def write_metadata(db_path, archive_dir=None, search_cap=None):
    db_path = Path(db_path)
    path = db_path.with_name(db_path.stem + "-metadata.json")
    # the archive as a path relative to the database's directory: the metadata is served at
    # /-/metadata.json, and no absolute server path is ever shown (db/datasette: archive_dir)
    archive = os.path.relpath(Path(archive_dir).resolve(), db_path.resolve().parent) if archive_dir else None
    data = metadata(archive, database=db_path.stem, search_cap=search_cap)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_inspect(db_path):
    """Table counts and the file's hash, as `datasette inspect` writes them, computed once per build.

    With them an unfiltered table page shows its count at once; without, counting 150 million value
    rows (a full build at a million reports) would hit the SQL time limit on every visit."""
    db_path = Path(db_path)
    stat = db_path.stat()
    made_for = {"size": stat.st_size, "mtime": stat.st_mtime}
    path = db_path.with_name(db_path.stem + "-inspect.json")
    if path.exists():
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get(db_path.stem, {}).get("made_for") == made_for:
            return path
    conn = sqlite3.connect(f"file:{db_path}?immutable=1", uri=True)
    tables = {}
    for (name,) in conn.execute("select name from sqlite_master where type = 'table'"):
        try:
            tables[name] = {"count": conn.execute(f"select count(*) from [{name}]").fetchone()[0]}
        except sqlite3.OperationalError:  # a virtual table that cannot be scanned
            tables[name] = {"count": 0}
    conn.close()
    with open(db_path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    data = {db_path.stem: {"hash": digest.hexdigest(), "size": stat.st_size, "file": db_path.name,
                           "tables": tables, "made_for": made_for}}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def command(db_path, port=8001, archive_dir=None, host="127.0.0.1", python=None, search_cap=None):
    """argv for `datasette serve`: -i opens the file immutable (read-only, cached counts, downloadable).
    search_cap: matches beyond which a table search counts only the newest (default 20,000)."""
    meta = write_metadata(db_path, archive_dir, search_cap)
    argv = [python or sys.executable, "-m", "datasette", "serve", "-i", str(db_path),
            "--host", host, "--port", str(port),
            "--metadata", str(meta),
            "--inspect-file", str(write_inspect(db_path)),
            "--plugins-dir", str(HERE / "plugins"),
            "--template-dir", str(HERE / "templates"),
            "--static", f"nb-static:{HERE / 'static'}"]
    for name, value in SETTINGS.items():
        argv += ["--setting", name, str(value)]
    return argv
