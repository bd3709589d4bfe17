"""The data's version on every page, and the dated releases to download.

Every page's footer says which release the site serves and when the portals were last crawled, with
links to the releases page and the release's CHANGES. `/-/releases` lists the releases `nianbao release`
wrote beside the archive (DIR/releases/YYYY-MM-DD/, db/release.py) with their files, sizes and SHA-256;
`/-/releases/<date>/<file>` serves a file, streamed; only the files a release's SHA256SUMS names (and
SHA256SUMS itself) are served.
"""
import re

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, NotFound, Response

from db import routes
from db.datasette import archive_dir, database
from db.release import releases

TYPES = {".md": "text/markdown; charset=utf-8", ".json": "application/json; charset=utf-8",
         ".gz": "application/gzip", ".db": "application/vnd.sqlite3", "SHA256SUMS": "text/plain; charset=utf-8"}


def releases_root(datasette):
    archive = archive_dir(datasette)
    return archive.parent / "releases" if archive else None


def release_files(directory):
    """[(name, sha256)] as the release's SHA256SUMS lists them, then SHA256SUMS itself."""
    sums = directory / "SHA256SUMS"
    if not sums.is_file():
        return []
    listed = [tuple(reversed(line.split("  ", 1))) for line in sums.read_text(encoding="utf-8").splitlines() if "  " in line]
    return [(name, sha) for name, sha in listed if (directory / name).is_file()] + [("SHA256SUMS", None)]


async def data_version(datasette):
    """{"release": newest release date or None, "last_crawl": when the last crawl run finished or None}."""
    root = releases_root(datasette)
    dated = releases(root) if root else []
    db = database(datasette)
    try:
        row = (await db.execute("select max(finished_at) from crawl_runs")).first()
        last_crawl = row[0] if row else None
    except Exception:  # noqa: BLE001 - a database without crawl runs (a test sample) has no crawl to show
        last_crawl = None
    return {"release": dated[-1].name if dated else None, "last_crawl": last_crawl,
            "releases_url": routes.RELEASES,
            "changes_url": routes.release_file_path(dated[-1].name, "CHANGES.md") if dated else None}


@hookimpl
def extra_template_vars(datasette):
    async def inner():
        return {"nianbao_version": await data_version(datasette)}
    return inner


async def releases_page(datasette, request):
    root = releases_root(datasette)
    rows = []
    for directory in reversed(releases(root) if root else []):
        rows.append({"day": directory.name,
                     "files": [{"name": name, "sha256": sha, "bytes": (directory / name).stat().st_size,
                                "url": routes.release_file_path(directory.name, name)}
                               for name, sha in release_files(directory)]})
    if request.path.endswith(".json") or request.args.get("_format") == "json":
        return Response.json({"releases": rows})
    return Response.html(await datasette.render_template("releases.html", {"releases": rows}, request=request))


async def release_file(datasette, request):
    day, name = request.url_vars["day"], request.url_vars["name"]
    root = releases_root(datasette)
    directory = root / day if root else None
    if directory is None or not directory.is_dir() or name not in {n for n, _ in release_files(directory)}:
        raise NotFound(f"没有这个发布文件 · No such release file: {day}/{name}")
    suffix = name if name == "SHA256SUMS" else re.sub(r"^.*(\.[a-z]+)$", r"\1", name)
    return AsgiFileDownload(directory / name, filename=name,
                            content_type=TYPES.get(suffix, "application/octet-stream"))


@hookimpl
def register_routes():
    return [(routes.RELEASES_PAGE, releases_page), (routes.RELEASE_FILE, release_file)]
