"""The platform spiders, found rather than listed: every module of this package that defines a
`ReportSpider` subclass with a `name` and a `platform` (the registry's `platform:` value) adds that
platform. The registry's validation (`crawler.registry`) and the crawl's choice of spider
(`crawler.run`) read `spiders_by_platform()`, so a new platform is one module here (plus its replica
site in replica/sites/).
"""
from functools import cache

from scrapy.utils.misc import walk_modules_iter
from scrapy.utils.spider import iter_spider_classes


@cache
def spiders_by_platform(package=__name__):
    """{platform: spider class} for the spider classes defined in the modules of `package`."""
    found = {}
    for module in walk_modules_iter(package):
        for spider in iter_spider_classes(module):
            platform = getattr(spider, "platform", None)
            if not platform:
                continue
            if platform in found and found[platform] is not spider:
                raise TypeError(f"two spiders for platform {platform!r}: {found[platform].__module__}."
                                f"{found[platform].__name__} and {spider.__module__}.{spider.__name__}")
            found[platform] = spider
    return found


def platforms():
    return frozenset(spiders_by_platform())
