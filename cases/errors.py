"""Messages of the case services, as constants the tests import.

The exception classes are core's (one JSON error shape for the whole API).
"""

from core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, TooLarge

UNKNOWN_CASE_OR_CODE = "案件编号或查询码不正确。"
CASE_NOT_FOUND = "案件不存在，或不在您的管辖范围内。"
UNKNOWN_TRANSITION = "没有这个操作。"
NOT_FOR_THIS_TRACK = "该操作不适用于本类案件。"
WRONG_STATE = "案件当前状态为“{state}”，不能执行“{label}”。"
ROLE_FORBIDDEN = "您的角色无权执行“{label}”。"
CHANGED_MEANWHILE = "案件已被他人更新，请刷新后重试。"
ALREADY_EXTENDED = "该环节已经延长过一次，不能再次延长。"
EMPLOYER_NOT_HEARD = "作出处理决定前须先听取用人单位的陈述和申辩。"
PAY_BY_NOT_PASSED = "限期支付期限尚未届满，不能加付赔偿金或处罚。"
THRESHOLD_NOT_MET = "欠薪未达到拒不支付劳动报酬罪的立案标准；只有主管领导可以说明理由后移送。"
OVERRIDE_REASON_REQUIRED = "未达到移送标准，移送须填写理由。"
# {days} from the legal parameter postponement_request_min_days (postpone_too_late).
POSTPONE_TOO_LATE_TEXT = "延期开庭申请须在开庭{days}日前提出。"
NO_HEARING_DATE = "尚未确定开庭日期。"
AWARD_BEFORE_HEARING = "开庭日期为{date}，裁决须在开庭当日或之后作出。"
DEFAULT_AWARD_WITHOUT_HEARING = "缺席裁决须在开庭之后作出，本案尚未确定开庭日期。"
INSTALMENTS_UNPAID = "调解协议尚有未履行的分期款项，不能结案。"
CLOCK_RULE_MISSING = "缺少法定时限规则，请管理员在后台录入。"
REVEAL_FORBIDDEN = "您的角色无权查看完整的个人信息；只有承办的劳动监察员、调解员和仲裁员可以查看。"
REVEAL_FIELD_UNKNOWN = "只能查看身份证号（id_number）或手机号（phone）。"
CLAIMANT_NOT_FOUND = "本案没有这位劳动者。"
HEARING_NOTICE_NOT_SERVED = (
    "开庭通知尚未依法送达{party}（没有已完成的送达记录），不能{action}。"
    "请先完成送达（短信链接确认、直接送达、邮寄回执或公告期满）。"
)
SAME_TOWNSHIP = "案件已属于该乡镇，请选择另一个乡镇。"


def postpone_too_late(days: int) -> str:
    from rules.wording import chinese_numeral

    return POSTPONE_TOO_LATE_TEXT.format(days=chinese_numeral(days))


def __getattr__(name: str) -> str:
    # POSTPONE_TOO_LATE: the message for the figure in force today, read when asked for.
    if name == "POSTPONE_TOO_LATE":
        from rules.parameters import int_parameter

        return postpone_too_late(int_parameter("postponement_request_min_days"))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Conflict", "DomainError", "Forbidden", "InvalidInput", "NotFound", "TooLarge"]
