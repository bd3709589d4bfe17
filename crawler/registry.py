"""The sources registry: one entry per portal (crawler/sources.yaml). A portal on a known platform is
one entry and no code; the known platforms are the spiders' (crawler/spiders/__init__.py).

Every problem with the registry, or with the source ids asked for, is a `RegistryError` naming the
file and the entry."""
import os
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import RegistryError

REGISTRY = Path(__file__).with_name("sources.yaml")
REQUIRED = ("id", "name", "region", "level", "platform", "start_urls", "robots")
ROBOTS = ("obey", "ignore")


def registry_path():
    """crawler/sources.yaml, unless NIANBAO_REGISTRY names another file (a test's or a deployment's)."""
    return Path(os.environ.get("NIANBAO_REGISTRY") or REGISTRY)


def load_sources(path=None):
    """The registry's entries, checked, with `allowed_hosts` (from the start URLs) and `politeness`
    filled in where absent."""
    from .spiders import platforms

    path = Path(path or registry_path())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise RegistryError(f"{path}: cannot read the registry: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        raise RegistryError(f"{path}: not valid YAML: {e}") from e
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: the registry must be a mapping with a list under 'sources'")
    known = platforms()
    for n, e in enumerate(entries, 1):
        if not isinstance(e, dict):
            raise RegistryError(f"{path}: entry {n} is not a mapping")
        where = f"{path}: source {e.get('id', f'#{n}')!r}"
        missing = [k for k in REQUIRED if k not in e]
        if missing:
            raise RegistryError(f"{where} lacks {', '.join(missing)}")
        if e["platform"] not in known:
            raise RegistryError(f"{where}: unknown platform {e['platform']!r} (known: {', '.join(sorted(known))})")
        if e["robots"] not in ROBOTS:
            raise RegistryError(f"{where}: robots must be obey or ignore, not {e['robots']!r}")
        urls = e["start_urls"]
        if not isinstance(urls, list) or not urls or not all(_is_http_url(u) for u in urls):
            raise RegistryError(f"{where}: start_urls must be a non-empty list of http(s) URLs")
        e.setdefault("allowed_hosts", sorted({urlsplit(u).netloc for u in urls}))
        e.setdefault("politeness", {})
    ids = [e["id"] for e in entries]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise RegistryError(f"{path}: duplicate source ids: {', '.join(map(str, twice))}")
    return entries


def _is_http_url(url):
    parts = urlsplit(url) if isinstance(url, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def select_sources(sources, source_ids=None):
    """The entries of the ids asked for, in registry order (all when none are asked for)."""
    if not source_ids:
        return list(sources)
    unknown = sorted(set(source_ids) - {s["id"] for s in sources})
    if unknown:
        raise RegistryError(f"unknown source ids: {', '.join(unknown)} "
                            f"(the registry has: {', '.join(s['id'] for s in sources)})")
    return [s for s in sources if s["id"] in source_ids]


def sources_by_id(path=None):
    return {e["id"]: e for e in load_sources(path)}
