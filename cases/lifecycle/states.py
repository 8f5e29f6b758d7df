"""The two tracks a case can be on and the states it passes through.

The model's fields take their choices from here (cases/models.py); the transitions
between the states are the table in cases/lifecycle/transitions.py.
"""

from django.db import models


class CaseKind(models.TextChoices):
    WAGE_ARREARS = "wage_arrears", "欠薪投诉"
    LABOR_DISPUTE = "labor_dispute", "劳动争议"


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    AWAITING_SUPPLEMENT = "awaiting_supplement", "待补正"
    REJECTED = "rejected", "不予受理"
    INVESTIGATING = "investigating", "调查中"
    ORDERED = "ordered", "已责令限期支付"
    PAID = "paid", "已清偿"
    PENALIZED = "penalized", "已处罚"
    TRANSFERRED = "transferred", "已移送公安"
    ACCEPTED = "accepted", "已受理"
    MEDIATING = "mediating", "调解中"
    SETTLED = "settled", "调解成功"
    HEARING = "hearing", "仲裁审理中"
    SUSPENDED = "suspended", "中止审理"
    AWARDED = "awarded", "已裁决"
    CLOSED = "closed", "已结案"
    WITHDRAWN = "withdrawn", "已撤回"


FINAL_STATES = frozenset({CaseState.REJECTED, CaseState.CLOSED, CaseState.WITHDRAWN})
OPEN_STATES = frozenset(s for s in CaseState.values if s not in FINAL_STATES)
