"""Cell text to value (template.md §6.2): numbers with unit and sign, and the kinds of 'no number' kept apart."""
import pytest

from pipelines.values import parse_value

CASES = [
    # raw, value, status, unit
    ("0", 0, "number", None),
    ("51", 51, "number", None),
    (" 0 ", 0, "number", None),
    ("\u00a037\u00a0", 37, "number", None),
    ("", None, "blank", None),
    ("   ", None, "blank", None),
    ("\u3000", None, "blank", None),
    ("/", None, "slash", None),
    ("／", None, "slash", None),
    ("—", None, "dash", None),
    ("-", None, "dash", None),
    ("－", None, "dash", None),
    ("——", None, "dash", None),
    ("无", None, "none_text", None),
    ("251000元", 251000, "number", "元"),
    ("52.15万元", 52.15, "number", "万元"),
    ("5件", 5, "number", "件"),
    ("1,234", 1234, "number", None),
    ("1,608,911", 1608911, "number", None),
    ("１２", 12, "number", None),
    ("１，２３４", 1234, "number", None),
    ("+173", 173, "number", None),
    ("-2", -2, "number", None),
    ("减4", -4, "number", None),
    ("＋1", 1, "number", None),
    ("160391.4077", 160391.4077, "number", None),
    ("24252.311082", 24252.311082, "number", None),
    ("75394432.52", 75394432.52, "number", None),
    ("1 0037", 10037, "number", None),  # a number split over two Word runs with a space between
    ("共5件", None, "unparsed", None),
    ("约30", None, "unparsed", None),
    ("1.2.3", None, "unparsed", None),
    ("本年新收", None, "unparsed", None),
]


@pytest.mark.parametrize("raw,value,status,unit", CASES)
def test_parse_value(raw, value, status, unit):
    got = parse_value(raw)
    assert got == (value, status, unit)
    assert type(got[0]) is type(value)  # int stays int, decimals stay float


def test_decimal_kept_exactly_as_written():
    value, _, _ = parse_value("160391.4077")
    assert repr(value) == "160391.4077"


def test_null_is_not_zero():
    assert parse_value("")[0] is None and parse_value("0")[0] == 0
