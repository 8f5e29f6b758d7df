"""Plain helpers for the complaint tests: valid identifiers, request bodies.
Staff users: tests/factories.staff.

Not fixtures (each test module declares its own); only functions and constants.
"""

import struct
import zlib

from stdnum.cn import ric, uscc

COMPLAINTS_URL = "/api/v1/complaints/"

# Valid examples from the brief (check digits verified by python-stdnum).
VALID_ID_NUMBER = "11010519491231002X"
VALID_USCC = "91110000600037341L"


def id_number(n: int) -> str:
    """The n-th valid resident ID number (born 1980-01-01 in Beijing Chaoyang)."""
    body = f"11010519800101{n:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def uscc_code(n: int) -> str:
    """The n-th valid unified social credit code (Xiangfen region 141023)."""
    body = f"91141023MA0{n:06d}"
    return body + uscc.calc_check_digit(body)


def claimant(n: int, *, amount="8000.00", representative=False, **overrides) -> dict:
    data = {
        "name": f"工人{n}",
        "id_number": id_number(n),
        "phone": f"138{n:08d}",
        "amount_claimed": amount,
        "months_owed": 3,
    }
    if representative:
        data["is_representative"] = True
    data.update(overrides)
    return data


def complaint(
    *,
    kind="wage_arrears",
    employer_name="襄汾县宏达建筑工程有限公司",
    uscc=None,
    township="xincheng",
    claimants=None,
    description="工地拖欠三个月工资。",
    **extra,
) -> dict:
    employer = {"name": employer_name, "address": "新城镇建设路1号", "township": township}
    if uscc is not None:
        employer["uscc"] = uscc
    body = {
        "kind": kind,
        "employer": employer,
        "claimants": claimants if claimants is not None else [claimant(1)],
        "description": description,
    }
    body.update(extra)
    return body


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(pixel=b"\x00\xff\x00\x00") -> bytes:
    """A valid 1x1 RGB PNG: signature, IHDR, IDAT, IEND."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(pixel))
        + _png_chunk(b"IEND", b"")
    )


# The start of a JFIF JPEG (SOI + APP0) followed by filler and EOI.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + (
    b"\x00" * 64 + b"\xff\xd9"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
