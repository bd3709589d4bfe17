"""Save the replica pages the crawler's offline tests read (tests/files/replica/): each page as the
replica serves it, fetched over HTTP through it as a proxy (the way crawler/replica.py routes a
crawl), bytes unchanged; its URL, status and headers go to pages.json.

    .venv/bin/python tests/files/replica/save.py      # from the project root; rewrites the files

The replica is deterministic (seeded generation): the same code gives the same pages, but for the
challenge page's token, which changes with every request. Rerun this after changing how the replica
renders a page, and look at the diff.
"""
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from replica.server import Replica  # noqa: E402

# file name -> URL (the real host's https:// form, as a spider sees it)
PAGES = {
    # Zhengzhou JEECMS (platform zhengzhou): public.* column lists, report pages, www.* news list
    "zhengzhou_public_D42Y_list.html": "https://public.zhengzhou.gov.cn/?a=path&p=D42Y",
    "zhengzhou_public_D42Y_list_page3.html": "https://public.zhengzhou.gov.cn/?a=path&p=D42Y&page=3",
    "zhengzhou_public_D41X_7249341.html": "https://public.zhengzhou.gov.cn/D41X/7249341.jhtml",
    "zhengzhou_public_D42Y_4089621.html": "https://public.zhengzhou.gov.cn/D42Y/4089621.jhtml",
    "zhengzhou_www_news1_index.html": "https://www.zhengzhou.gov.cn/news1/index.jhtml",
    "xinzheng_D42Y_7072908_soft404.html": "https://public.xinzheng.gov.cn/D42Y/7072908.jhtml",
    "dengfeng_D41X_5242255_no_written_date.html": "https://public.dengfeng.gov.cn/D41X/5242255.jhtml",
    # Hanweb JCMS (platform hanweb): column page, a dataproxy window, report pages
    "hanweb_col14251_index.html": "https://www.xinxiangxian.gov.cn/col/col14251/index.html",
    "hanweb_col14251_dataproxy_16_44.xml": (
        "https://www.xinxiangxian.gov.cn/module/web/jpage/dataproxy.jsp?page=1&webid=38&path=%2F&columnid=14251"
        "&unitid=72581&webname=%E6%96%B0%E4%B9%A1%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
        "&permissiontype=0&startrecord=16&endrecord=44&perpage=15"),
    "hanweb_art_14251_1605917.html": "https://www.xinxiangxian.gov.cn/art/2024/1/8/art_14251_1605917.html",
    "hanweb_art_14251_1604623.html": "https://www.xinxiangxian.gov.cn/art/2023/1/19/art_14251_1604623.html",
    "hanweb_art_14251_1604867_meta_only.html": "https://www.xinxiangxian.gov.cn/art/2023/1/19/art_14251_1604867.html",
    # TRS WCM (platform trs): a 0-based createPageHTML list, a page_div list, report pages, the 412 challenge
    "trs_chanhe_zfxxgknb_index.html": "https://www.chanhe.gov.cn/zwgk/zfxxgk/zfxxgknb/",
    "trs_chanhe_bmnb_list.shtml": "https://www.chanhe.gov.cn/zwgk/zfxxgk/bmnb/bmnb_list.shtml",
    "trs_chanhe_t20240310_6537656.html": "https://www.chanhe.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240310_6537656.html",
    "trs_chanhe_t20230116_6521622.html": "https://www.chanhe.gov.cn/zwgk/zfxxgk/zfxxgknb/202301/t20230116_6521622.html",
    "trs_chanhe_jdnb_challenge.html": "https://www.chanhe.gov.cn/zwgk/zfxxgk/jdnb/",
}
KEEP_HEADERS = {"content-type", "set-cookie", "etag", "last-modified"}


def fetch(opener, url):
    try:
        with opener.open("http://" + url.split("://", 1)[1], timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def main():
    replica = Replica(port=0).start()
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": replica.base_url}))
        manifest = {}
        for name, url in PAGES.items():
            status, headers, body = fetch(opener, url)
            (HERE / name).write_bytes(body)
            manifest[name] = {"url": url, "status": status,
                              "headers": [[k, v] for k, v in headers.items() if k.lower() in KEEP_HEADERS]}
            print(f"{status} {len(body):>7} {name}")
        (HERE / "pages.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    finally:
        replica.stop()


if __name__ == "__main__":
    main()
