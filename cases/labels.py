"""Words for case facts that several screens show: the worker's timeline, the clock
stages. Kept below the views and serializers, which both read them."""

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
    "accept": "已受理（立案）",
    "request_supplement": "需要补充材料，请按通知补正",
    "receive_supplement": "已收到补充材料",
    "reject": "不予受理",
    "convert_track": "已转到更合适的程序办理",
    "withdraw": "已撤回",
    "transfer_township": "已移交案件所在乡镇办理",
    "open_inspection": "劳动保障监察机构主动立案检查",
    "admin_edit": "案件信息已更正",
    "hear_employer": "已听取用人单位陈述",
    "extend_investigation": "调查期限依法延长",
    "order_payment": "已责令用人单位限期支付",
    "record_payment": "已登记支付款项",
    "penalize": "已对用人单位作出处罚",
    "transfer_to_police": "已移送公安机关",
    "revoke": "已撤销立案",
    "compose_tribunal": "已组成仲裁庭",
    "start_mediation": "开始调解",
    "settle": "已达成调解协议",
    "fail_mediation": "调解未成，进入仲裁审理",
    "refer_to_hearing": "进入仲裁审理",
    "schedule_hearing": "已确定开庭日期",
    "postpone_hearing": "开庭已延期",
    "suspend": "审理中止",
    "resume": "恢复审理",
    "restart_clock": "审理期限重新计算",
    "extend_award": "审理期限依法延长",
    "award": "已作出裁决",
    "deem_withdrawn": "申请人未到庭，按撤回处理",
    "close": "已结案",
    "query_code_reissued": "查询码已重新发送",
}


# The name of each statutory clock stage, as staff and workers read it.
STAGE_LABELS = {stage: label for stage, label, *_rest in reference.CLOCK_RULES} | {
    "pay_by": "限期支付",
    "instalment": "调解协议分期履行",
}
