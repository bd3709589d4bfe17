"""kill -9 of a real crawl (`nianbao crawl --db`, its parse workers too) at several points, then one more
run: nothing the clean crawl kept is lost, from the archive or from the database, and nothing is
stored twice (tests/crawl_faults.py; bench/faults_crawl.py runs many random points)."""
import pytest

from replica.server import Replica
from tests.crawl_faults import clean_crawl, trial

SOURCES = ["zhengzhou-public"]  # pages with the report inline and pages linking documents; bench: all platforms


@pytest.fixture(scope="module")
def replica():
    with Replica(port=0, slow_delay=5.0) as r:
        r.warm()
        yield r


@pytest.fixture(scope="module")
def clean(replica, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    found = clean_crawl(replica, tmp / "data", tmp / "nianbao.db", SOURCES)
    assert len(found["archived"]) >= 20 and len(found["stored"]) == len(found["archived"])
    return found


@pytest.mark.parametrize("kill_at", [{"after_reports": 1}, {"after_reports": 10}, {"at_finish": True}],
                         ids=["first-report", "midway", "finishing-the-database"])
def test_a_crawl_killed_then_run_again_loses_nothing_and_stores_nothing_twice(replica, clean, tmp_path, kill_at):
    figures = trial(replica, tmp_path / "data", tmp_path / "nianbao.db", SOURCES, clean, **kill_at)
    assert figures["killed"] is not None, "the crawl ended before the point to kill it"
    assert figures["lost_from_archive"] == 0 and figures["lost_from_database"] == 0, figures
    assert figures["duplicated_in_database"] == 0 and figures["extra_in_database"] == 0, figures
