"""Words for case facts that several screens show: the worker's timeline, the clock
stages. Kept below the views and serializers, which both read them."""

from cases import lifecycle
from rules import reference

# Words a worker understands, for each thing that can happen to a case.
WORKER_TIMELINE_TEXT = {
    "file": "投诉已提交",
    "duplicate_linked": "同一投诉再次提交，已并入本案",
    "duplicate_submitted": "收到一份相关投诉，工作人员核实后决定是否并入本案",
    "submission_evidence_added": "相关投诉附带了材料，待工作人员核实",
    "submission_accepted": "相关投诉经核实已并入本案",
    "submission_declined": "相关投诉经核实未并入本案",
    "phone_change_applied": "劳动者手机号经核实已更新",
    "phone_change_declined": "手机号变更经核实未采纳",
    "evidence_added": "收到证据材料",
    "open_inspection": "劳动保障监察机构主动立案检查",
    "admin_edit": "案件信息已更正",
    "query_code_reissued": "查询码已重新发送",
    # each transition's text is in its row of the lifecycle table
    **lifecycle.WORKER_TEXT,
}


# The name of each statutory clock stage, as staff and workers read it.
STAGE_LABELS = {stage: label for stage, label, *_rest in reference.CLOCK_RULES} | {
    "pay_by": "限期支付",
    "instalment": "调解协议分期履行",
}
