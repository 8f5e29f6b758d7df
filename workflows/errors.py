"""Messages of the subsidy services, as constants the tests import.

The exception classes are core's (one JSON error shape for the whole API).
"""

from core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

APPLICATION_NOT_FOUND = "补贴申请不存在，或不在您的管辖范围内。"
UNKNOWN_APPLICATION_OR_CODE = (
    "申请编号或查询码不正确。请核对后再试，或向受理申请的乡镇工作人员咨询。"
)
TASK_NOT_FOUND = "待办任务不存在，或不在您的管辖范围内。"
SUBMIT_FORBIDDEN = "只有乡镇审核员或县级审核人员可以录入本辖区的补贴申请。"
STEP_FORBIDDEN = "您的角色或辖区不能办理“{step}”。"
SAME_PERSON = "您已在本申请的“{step}”环节作出批准，同一人不能批准同一申请的两个环节。"
ENTERED_BY_YOU = (
    "本申请由您录入（或补正），您不能办理它的任何审批环节（包括乡镇审核），"
    "请由本辖区其他有权限的工作人员办理。"
)
TASK_DONE = "该任务已由{who}办理（{decision}），请刷新后查看最新状态。"
TASK_BUSY = "该申请正在由他人办理，请稍后刷新再试。"
NOTE_REQUIRED = "退回或不予补贴时必须填写意见。"
UNKNOWN_DECISION = "decision 只能是 approve（同意）、return（退回补正）或 reject（不予补贴）。"
PAYMENT_ONLY_APPROVE = "财务拨付环节只能登记拨付（decision=approve）。"
CORRECTION_USE_FORM = "退回补正的申请请通过补正（修改后重新提交）办理。"
NOT_RETURNED = "该申请当前不在退回补正状态。"
BLACKLISTED_NOW = "申请单位现已列入欠薪黑名单（至{until}），不能批准，请作不予补贴处理。"
NOTHING_TO_APPROVE = "核定金额为0元，不能批准。"
UNKNOWN_POLICY = "没有代码为“{code}”的补贴政策。"
UNKNOWN_TOWNSHIP = "未知的乡镇代码“{code}”。"
PAID_AMOUNT_TOO_HIGH = "拨付金额不能超过核定金额{amount}元。"
POLICY_PARAMETER_MISSING = "政策参数缺失：{detail}"

__all__ = ["Conflict", "DomainError", "Forbidden", "InvalidInput", "NotFound"]
