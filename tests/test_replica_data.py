"""The replica serves its own copies of real material (replica/data/), never ../shared at run time:
the copies must stay byte-identical to shared/ and cover every file the replica reads."""
from pathlib import Path

from replica import DATA
from tests.conftest import SHARED


def origin(rel):
    """Where a file of replica/data/ was copied from (see replica/data/README.md)."""
    return SHARED / "corpus" / rel if rel.parts[0] == "pingtan" else SHARED / rel


def copies():
    return sorted(p.relative_to(DATA) for p in DATA.rglob("*") if p.is_file() and p.name != "README.md")


def test_copies_are_byte_identical_to_shared():
    assert copies()
    for rel in copies():
        assert (DATA / rel).read_bytes() == origin(rel).read_bytes(), rel


def test_every_file_the_replica_reads_is_copied():
    corpus = SHARED / "corpus" / "pingtan"
    wanted = {Path("seeds") / p.name for p in (SHARED / "seeds").glob("*.truth.json")}
    wanted |= {Path("pingtan") / p.relative_to(corpus)
               for pattern in ("list-index.html", "*/source.html", "*/meta.json", "*/truth.json")
               for p in corpus.glob(pattern)}
    assert len(wanted) == 5 + 1 + 4 * 3
    assert set(copies()) == wanted

