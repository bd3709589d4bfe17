"""The replica's virtual hosts, one module per platform family."""
from replica.sites import gkmlpt, hanweb, jpaas, pingtan, trs, zhengzhou


def build_sites(catalog):
    """Every site, keyed by host name; fills `catalog` as it goes."""
    sites = {}
    for module in (zhengzhou, hanweb, trs, pingtan, gkmlpt, jpaas):
        for site in module.build(catalog):
            sites[site.host] = site
    catalog.obstacle("list_growth", "*", url="http://replica.local/add?host=<host>&column=<column>",
                     behaviour="Replica.add_report(host, column) puts a new newest report at the top of a column: "
                               "every later list page shifts by one item (page N's last item becomes page N+1's first)",
                     columns={h: list(s.addable) for h, s in sites.items() if s.addable})
    return sites
