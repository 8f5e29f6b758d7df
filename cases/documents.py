"""Statutory documents as editable Word files, filled from the case with docxtpl.

The templates are ordinary .docx files in cases/document_templates/ with Jinja tags, so
a clerk can restyle them in Word without touching code. `python manage.py
document_templates` writes the shipped versions again (build_templates below).

A document is offered only when the case's history makes it meaningful: an acceptance
notice once the case was accepted, a rejection notice for a rejected case, an order to
correct once payment was ordered, a mediation agreement once one was signed, an award
once it was made.
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from cases import agreement_signatures, lifecycle
from cases.models import CaseKind, CaseState, Origin

TEMPLATE_DIR = Path(__file__).resolve().parent / "document_templates"
AUTHORITY = "襄汾县人力资源和社会保障局"
INSPECTION_BODY = "襄汾县劳动保障监察大队"
ARBITRATION_BODY = "襄汾县劳动人事争议仲裁委员会"


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str
    filename: str


KINDS = {
    kind.code: kind
    for kind in [
        DocumentKind("acceptance", "受理通知书", "acceptance_notice.docx"),
        DocumentKind("rejection", "不予受理通知书", "rejection_notice.docx"),
        DocumentKind("order", "责令改正指令书", "order_to_correct.docx"),
        DocumentKind("mediation", "调解协议书", "mediation_agreement.docx"),
        DocumentKind("award", "裁决书", "award.docx"),
    ]
}


def available(case) -> list[DocumentKind]:
    """The documents that the case's state and history make meaningful."""
    codes = []
    # The acceptance notice answers a complainant; an inspection opened on the
    # inspector's own initiative has none.
    complaint = case.origin != Origin.OWN_INITIATIVE
    if (
        complaint
        and case.accepted_on
        and case.state not in (CaseState.SUBMITTED, CaseState.REJECTED)
    ):
        codes.append("acceptance")
    if case.state == CaseState.REJECTED:
        codes.append("rejection")
    if case.kind == CaseKind.WAGE_ARREARS and case.pay_by:
        codes.append("order")
    if case.outcome.get("agreement_signed_on"):
        codes.append("mediation")
    if case.outcome.get("award_items"):
        codes.append("award")
    return [KINDS[code] for code in codes]


# --- the facts a document needs -----------------------------------------------------------


def _cn_date(value) -> str:
    if not value:
        return "____年__月__日"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _money(value) -> str:
    return f"{Decimal(str(value or 0)):,.2f}"


def _doc_number(case, prefix) -> str:
    parts = case.number.split("-")  # XF-2026-000123
    year = parts[1] if len(parts) >= 3 else str(timezone.localtime(case.received_at).year)
    return f"襄人社{prefix}〔{year}〕{parts[-1]}号"


def _last_note(case, transition) -> str:
    notes = [e.note for e in case.events.all() if e.transition == transition]
    return notes[-1] if notes else ""


def context_for(case, code: str) -> dict:
    claims = list(case.claims.all())
    dispute = case.kind == CaseKind.LABOR_DISPUTE
    names = "、".join(c.person.name for c in claims[:3])
    claimants_short = names + (f"等{len(claims)}人" if len(claims) > 3 else "")
    outcome = case.outcome or {}
    items = dict(lifecycle.AWARD_ITEMS)
    claim_by_id = {c.id: c for c in claims}
    reasons = dict(lifecycle.RejectionReason.CHOICES)
    return {
        "authority": AUTHORITY,
        "body": ARBITRATION_BODY if dispute else INSPECTION_BODY,
        "doc_number": _doc_number(
            case,
            {
                "acceptance": "仲受" if dispute else "监受",
                "rejection": "仲不受" if dispute else "监不受",
                "order": "监令",
                "mediation": "仲调",
                "award": "仲裁",
            }[code],
        ),
        "case_number": case.number,
        "kind": case.get_kind_display(),
        "matter": "劳动争议仲裁申请" if dispute else "拖欠工资投诉",
        "received_on": _cn_date(case.received_at),
        "accepted_on": _cn_date(case.accepted_on),
        "today": _cn_date(timezone.localdate()),
        "employer": {
            "name": case.employer.name,
            "uscc": case.employer.uscc or "（未提供）",
            "address": case.employer.address or "（未提供）",
        },
        "township": case.township.name,
        "project_name": case.project_name,
        "description": case.description,
        "claimants_short": claimants_short,
        "claimant_count": len(claims),
        "claimants": [
            {
                "no": i,
                "name": c.person.name,
                "id_number": c.person.id_number_masked,
                "phone": c.person.phone_masked,
                "amount": _money(c.amount_claimed),
                "months": c.months_owed if c.months_owed is not None else "",
                "recovered": _money(c.amount_recovered),
                "outstanding": _money(c.outstanding),
                "representative": "是" if c.is_representative else "",
            }
            for i, c in enumerate(claims, start=1)
        ],
        "total_claimed": _money(sum((c.amount_claimed for c in claims), Decimal("0"))),
        "total_outstanding": _money(sum((c.outstanding for c in claims), Decimal("0"))),
        "inspectors": "、".join(u.get_full_name() or u.username for u in case.inspectors.all()),
        "arbitrators": "、".join(u.get_full_name() or u.username for u in case.arbitrators.all()),
        "mediator": (case.mediator.get_full_name() or case.mediator.username)
        if case.mediator
        else "",
        "rejection_reason": reasons.get(case.rejection_reason, case.rejection_reason),
        "rejection_note": _last_note(case, "reject"),
        "pay_by": _cn_date(case.pay_by),
        "ordered_amount": _money(outcome.get("ordered_amount")),
        "order_note": _last_note(case, "order_payment"),
        "agreement_signed_on": _cn_date(outcome.get("agreement_signed_on")),
        "agreed_amount": _money(outcome.get("agreed_amount")),
        "instalments": [
            {"no": i, "due_date": _cn_date(x["due_date"]), "amount": _money(x["amount"])}
            for i, x in enumerate(outcome.get("instalments", []), start=1)
        ],
        "settle_note": _last_note(case, "settle"),
        "awarded_on": _cn_date(outcome.get("awarded_on")),
        "default_award": bool(outcome.get("default_award")),
        "final_award_limit": _money(outcome.get("final_award_limit")),
        "award_items": [
            {
                "no": i,
                "claimant": item.get("claimant")
                or (claim_by_id[item["claim"]].person.name if item["claim"] in claim_by_id else ""),
                "item": items.get(item["item"], item["item"]),
                "amount": _money(item["amount"]),
                "final": "终局裁决" if item.get("final") else "非终局裁决",
            }
            for i, item in enumerate(outcome.get("award_items", []), start=1)
        ],
        "award_total": _money(sum(Decimal(i["amount"]) for i in outcome.get("award_items", []))),
        "any_final": any(i.get("final") for i in outcome.get("award_items", [])),
        "award_note": _last_note(case, "award"),
        "hearing_date": _cn_date(case.hearing_date) if case.hearing_date else "",
    }


def render(case, code: str) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(TEMPLATE_DIR / KINDS[code].filename)
    template.render(context_for(case, code), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    if code == "mediation":  # the signatures taken on the phone, with their times
        return agreement_signatures.docx_append_signatures(case, buffer.getvalue())
    return buffer.getvalue()


def download_name(case, code: str) -> str:
    return f"{case.number}-{KINDS[code].title}.docx"


# --- the shipped templates ---------------------------------------------------------------------


def build_templates(directory: Path = TEMPLATE_DIR) -> list[Path]:
    """Write the five templates with python-docx (run once; the files are committed)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for code, builder in _BUILDERS.items():
        path = directory / KINDS[code].filename
        document = _new_document()
        builder(document)
        document.save(path)
        written.append(path)
    return written


def _new_document():
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    return document


def _heading(document, title):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for text, size in (("{{ authority }}", 16), (title, 22)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
        run.font.name = "SimHei"
        run.element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")
    number = document.add_paragraph("{{ doc_number }}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(document, headers, cells, loop):
    """A table whose middle row repeats for each item of `loop` (docxtpl {%tr %})."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, header in enumerate(headers):
        table.rows[0].cells[i].text = header
    table.rows[1].cells[0].text = "{%tr for x in " + loop + " %}"
    for i, cell in enumerate(cells):
        table.rows[2].cells[i].text = "{{ x." + cell + " }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"


def _signature(document, body="{{ body }}"):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document.add_paragraph()
    for text in (body + "（印章）", "{{ today }}"):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _acceptance(document):
    _heading(document, "受理通知书")
    document.add_paragraph("{{ claimants_short }}：")
    document.add_paragraph(
        "你（们）于{{ received_on }}提出的对{{ employer.name }}的{{ matter }}"
        "（案件编号：{{ case_number }}），经审查，符合受理条件，本机关决定于{{ accepted_on }}予以受理。"
    )
    document.add_paragraph(
        "{% if arbitrators %}仲裁员：{{ arbitrators }}。{% endif %}"
        "{% if inspectors %}承办监察员：{{ inspectors }}。{% endif %}"
        "请保持通讯畅通，按通知提供证据材料。可凭案件编号和查询码查询办理进度。"
    )
    document.add_paragraph("请求人：")
    _table(
        document,
        ["序号", "姓名", "身份证号", "请求金额（元）"],
        ["no", "name", "id_number", "amount"],
        "claimants",
    )
    _signature(document)


def _rejection(document):
    _heading(document, "不予受理通知书")
    document.add_paragraph("{{ claimants_short }}：")
    document.add_paragraph(
        "你（们）于{{ received_on }}提出的对{{ employer.name }}的{{ matter }}"
        "（案件编号：{{ case_number }}），经审查，因{{ rejection_reason }}，本机关决定不予受理。"
    )
    document.add_paragraph("{% if rejection_note %}说明：{{ rejection_note }}{% endif %}")
    document.add_paragraph(
        "如不服本决定，可以自收到本通知书之日起六十日内申请行政复议，或者六个月内提起行政诉讼；"
        "属于劳动争议的，可以向劳动人事争议仲裁委员会申请仲裁，或者依法向人民法院起诉。"
    )
    _signature(document)


def _order(document):
    _heading(document, "责令改正指令书")
    document.add_paragraph("{{ employer.name }}（统一社会信用代码：{{ employer.uscc }}）：")
    document.add_paragraph("地址：{{ employer.address }}")
    document.add_paragraph(
        "经查，你单位{% if project_name %}在“{{ project_name }}”项目中{% endif %}"
        "拖欠下列{{ claimant_count }}名劳动者工资，尚欠合计人民币{{ ordered_amount }}元"
        "（案件编号：{{ case_number }}）。"
        "根据《劳动保障监察条例》第十八条、第二十六条的规定，责令你单位于{{ pay_by }}前"
        "足额支付，并将支付凭证报送本机关。"
    )
    _table(
        document,
        ["序号", "姓名", "身份证号", "欠薪月数", "尚欠金额（元）"],
        ["no", "name", "id_number", "months", "outstanding"],
        "claimants",
    )
    document.add_paragraph(
        "逾期不支付的，本机关将依法责令你单位按应付金额百分之五十以上百分之一百以下的标准"
        "向劳动者加付赔偿金；涉嫌拒不支付劳动报酬罪的，依法移送公安机关。"
    )
    document.add_paragraph("{% if order_note %}说明：{{ order_note }}{% endif %}")
    document.add_paragraph("承办监察员：{{ inspectors }}")
    _signature(document)


def _mediation(document):
    _heading(document, "调解协议书")
    document.add_paragraph("申请人：{{ claimants_short }}（名单附后）")
    document.add_paragraph("被申请人：{{ employer.name }}，地址：{{ employer.address }}")
    document.add_paragraph(
        "双方因劳动争议（案件编号：{{ case_number }}），经{{ body }}主持调解，于{{ agreement_signed_on }}"
        "自愿达成如下协议："
    )
    document.add_paragraph(
        "一、被申请人向申请人支付人民币共计{{ agreed_amount }}元，按下列期限履行："
    )
    _table(
        document, ["期次", "履行期限", "金额（元）"], ["no", "due_date", "amount"], "instalments"
    )
    document.add_paragraph("二、申请人收到上述款项后，双方就本案争议再无其他纠纷。")
    document.add_paragraph("{% if settle_note %}三、{{ settle_note }}{% endif %}")
    document.add_paragraph("申请人名单：")
    _table(
        document,
        ["序号", "姓名", "身份证号", "请求金额（元）", "签名"],
        ["no", "name", "id_number", "amount", "representative"],
        "claimants",
    )
    document.add_paragraph(
        "本协议经双方签名（盖章）、调解员签名并加盖调解组织印章后生效。"
        "被申请人不履行的，申请人可以依法申请仲裁或申请支付令。"
    )
    document.add_paragraph("申请人（签名）：__________    被申请人（盖章）：__________")
    document.add_paragraph("调解员：{{ mediator }}")
    _signature(document)


def _award(document):
    _heading(document, "裁决书")
    document.add_paragraph("申请人：{{ claimants_short }}（名单见裁决事项）")
    document.add_paragraph(
        "被申请人：{{ employer.name }}，统一社会信用代码：{{ employer.uscc }}，地址：{{ employer.address }}"
    )
    document.add_paragraph(
        "申请人因与被申请人劳动争议一案（案件编号：{{ case_number }}），于{{ received_on }}向本委申请仲裁，"
        "本委于{{ accepted_on }}受理，依法组成仲裁庭（仲裁员：{{ arbitrators }}）"
        "{% if hearing_date %}，于{{ hearing_date }}开庭审理{% endif %}。"
        "{% if default_award %}被申请人经书面通知，无正当理由拒不到庭，本委依法缺席裁决。{% endif %}"
        "本案现已审理终结。"
    )
    document.add_paragraph("申请人请求：{{ description }}")
    document.add_paragraph("裁决如下：")
    _table(
        document,
        ["序号", "申请人", "裁决事项", "金额（元）", "效力"],
        ["no", "claimant", "item", "amount", "final"],
        "award_items",
    )
    document.add_paragraph(
        "以上合计人民币{{ award_total }}元，被申请人应于本裁决生效之日起十日内支付。"
    )
    document.add_paragraph("{% if award_note %}{{ award_note }}{% endif %}")
    document.add_paragraph(
        "{% if any_final %}标为“终局裁决”的事项（单项金额不超过{{ final_award_limit }}元），"
        "依照《劳动争议调解仲裁法》第四十七条为终局裁决，自作出之日起发生法律效力；"
        "劳动者不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼。{% endif %}"
        "其余事项，当事人不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼；"
        "期满不起诉的，裁决书发生法律效力。"
    )
    document.add_paragraph("仲裁员：{{ arbitrators }}")
    document.add_paragraph("裁决日期：{{ awarded_on }}")
    _signature(document)


_BUILDERS = {
    "acceptance": _acceptance,
    "rejection": _rejection,
    "order": _order,
    "mediation": _mediation,
    "award": _award,
}
