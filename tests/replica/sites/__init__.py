"""The replica's virtual hosts, one module per platform family."""
from tests.replica.sites import hanweb, pingtan, trs, zhengzhou


def build_sites(catalog):
    """Every site, keyed by host name; fills `catalog` as it goes."""
    sites = {}
    for module in (zhengzhou, hanweb, trs, pingtan):
        for site in module.build(catalog):
            sites[site.host] = site
    return sites
