"""Amounts of money as people type them: "5,000", "5000元", "5000.00", "５０００".

normalize_amount turns what a worker (or a clerk, or an import) typed into the plain
decimal the checks expect, and leaves anything else as it was, so that real garbage still
gets the field's own precise error. AmountField is DRF's DecimalField with that step in
front: every amount input of the complaint and transition APIs uses it, and so does the
portal form, which validates through those serializers.
"""

import re
import unicodedata

from rest_framework import serializers

# 1,234 or 1,234,567.89: commas exactly where thousands separators go.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
# A currency sign in front, a unit behind: ¥5000, 5000元, 5000元整, 5000块, RMB 5000.
_SIGN = re.compile(r"^(¥|RMB|CNY|人民币)")
_UNIT = re.compile(r"(元整|元|圆|块钱|块)$")


def normalize_amount(value):
    if not isinstance(value, str):
        return value
    # NFKC: full-width digits, comma and point (５，０００．００) become ASCII; ￥ becomes ¥.
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    text = _UNIT.sub("", _SIGN.sub("", text.upper()))
    if _GROUPED.match(text):
        text = text.replace(",", "")
    return text


class AmountField(serializers.DecimalField):
    def to_internal_value(self, data):
        return super().to_internal_value(normalize_amount(data))
