"""Signatures on a mediation agreement, as the case's event chain holds them.

A party signs on the phone (notifications/signing.py); each signature is an
`agreement_signed` event whose data carry the signer, the signing time, the SHA-256
of the exact agreement text signed and the signature image (PNG, base64), so the
chain (cases/audit.py) vouches for all of it. The agreement is effective when every
party has signed (`agreement_effective` event). The Word agreement
(cases/documents.py) prints the signatures and times from here.
"""

import base64
import hashlib
import io

from django.utils import timezone

from cases.models import CaseEvent

SIGNED = "agreement_signed"
EFFECTIVE = "agreement_effective"


def last_settlement(case) -> CaseEvent | None:
    """The settlement the current agreement comes from (a new one replaces it)."""
    return CaseEvent.objects.filter(case_id=case.pk, transition="settle").order_by("-id").first()


def agreement_text(case) -> str:
    """The agreement as the parties read and sign it: built from the case's settlement
    only, so the same agreement always gives the same text (and hash)."""
    outcome = case.outcome or {}
    claims = list(case.claims.select_related("person").order_by("id"))
    settle = last_settlement(case)
    lines = [
        "调解协议书",
        f"案件编号：{case.number}",
        "申请人：" + "、".join(c.person.name for c in claims),
        f"被申请人：{case.employer.name}",
        f"双方于{outcome.get('agreement_signed_on', '')}自愿达成如下协议：",
        f"一、被申请人向申请人支付人民币共计{outcome.get('agreed_amount', '')}元，按下列期限履行：",
    ]
    for number, instalment in enumerate(outcome.get("instalments", []), start=1):
        lines.append(f"  第{number}期：{instalment['due_date']}前支付{instalment['amount']}元")
    lines.append("二、申请人收到上述款项后，双方就本案争议再无其他纠纷。")
    if settle is not None and settle.note:
        lines.append(f"三、{settle.note}")
    return "\n".join(lines)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def signatures(case) -> list[dict]:
    """Signatures of the case's current agreement (signed after its last settle),
    oldest first: {party_key, party_name, signed_at, text_sha256, png}."""
    settle = last_settlement(case)
    if settle is None:
        return []
    events = CaseEvent.objects.filter(case_id=case.pk, transition=SIGNED, id__gt=settle.pk)
    out, seen = [], set()
    for event in events.order_by("id"):
        data = event.data or {}
        if data.get("party_key") in seen:
            continue
        seen.add(data.get("party_key"))
        out.append(
            {
                "party_key": data.get("party_key", ""),
                "party_name": data.get("party_name", ""),
                "signed_at": event.created_at,
                "text_sha256": data.get("text_sha256", ""),
                "png": data.get("signature_png", ""),
                "event_id": event.pk,
            }
        )
    return out


def docx_append_signatures(case, content: bytes) -> bytes:
    """The Word agreement with each signature image and its signing time."""
    found = signatures(case)
    if not found:
        return content
    from docx import Document
    from docx.shared import Cm

    document = Document(io.BytesIO(content))
    document.add_paragraph("当事人签名（手机签署）：")
    for signature in found:
        paragraph = document.add_paragraph(
            f"{signature['party_name']}　签署时间："
            f"{timezone.localtime(signature['signed_at']):%Y年%m月%d日 %H:%M}"
            f"　协议文本SHA-256：{signature['text_sha256']}"
        )
        try:
            image = io.BytesIO(base64.b64decode(signature["png"]))
            paragraph.add_run().add_picture(image, width=Cm(5))
        except Exception:  # an unreadable image still leaves its name, time and hash
            paragraph.add_run("（签名图像无法显示）")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
