"""The sources registry: one entry per portal (crawler/sources.yaml). A portal on a known platform is
one entry and no code."""
import os
from pathlib import Path

import yaml

REGISTRY = Path(__file__).with_name("sources.yaml")


def registry_path():
    """crawler/sources.yaml, unless NIANBAO_REGISTRY names another file (a test's or a deployment's)."""
    return Path(os.environ.get("NIANBAO_REGISTRY") or REGISTRY)
REQUIRED = ("id", "name", "region", "level", "platform", "start_urls", "robots")
PLATFORMS = ("zhengzhou", "hanweb", "trs", "generic")


def load_sources(path=None):
    entries = yaml.safe_load(Path(path or registry_path()).read_text(encoding="utf-8"))["sources"]
    for e in entries:
        missing = [k for k in REQUIRED if k not in e]
        if missing:
            raise ValueError(f"source {e.get('id')!r} lacks {missing}")
        if e["platform"] not in PLATFORMS:
            raise ValueError(f"source {e['id']!r}: unknown platform {e['platform']!r}")
        if e["robots"] not in ("obey", "ignore"):
            raise ValueError(f"source {e['id']!r}: robots must be obey or ignore")
        e.setdefault("allowed_hosts", sorted({u.split("/")[2] for u in e["start_urls"]}))
        e.setdefault("politeness", {})
    ids = [e["id"] for e in entries]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate source ids in the registry")
    return entries


def sources_by_id(path=None):
    return {e["id"]: e for e in load_sources(path)}
