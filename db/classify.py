"""Administrative level of a reporting agency, from its name.

A government (人民政府, 管委会) takes the level of its place: 省 province, 市 city, 区 district,
县/旗 county, 乡/镇/街道 township. Any other body (局, 委, 办公室, 中心…) is a department. The name cannot
tell a prefecture-level 市 from a county-level one (新郑市), so both are 'city'. None when the name
says nothing; the caller then falls back to the source's level.
"""
import re

_GOVERNMENT = re.compile(r"(人民政府|管理委员会|管委会|行政公署|政府)$")
_PLACE_LEVELS = [
    (re.compile(r"(街道办事处|街道|乡|镇|苏木)$"), "township"),
    (re.compile(r"(自治区|省)$"), "province"),
    (re.compile(r"(区|开发区|实验区|新区)$"), "district"),
    (re.compile(r"(自治县|县|旗)$"), "county"),
    (re.compile(r"(自治州|州|盟|地区|市)$"), "city"),
]
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|厅|中心|院|所|站|队|部|署|处|公司)$")
LEVELS = ("province", "city", "county", "district", "township", "department")


def level_of(agency):
    name = (agency or "").strip()
    if not name:
        return None
    if name.endswith(("街道办事处", "街道办")):
        return "township"
    m = _GOVERNMENT.search(name)
    if m:
        place = name[: m.start()]
        for pattern, level in _PLACE_LEVELS:
            if pattern.search(place):
                return level
        return None
    if _DEPARTMENT.search(name):
        return "department"
    return None
