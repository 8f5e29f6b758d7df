"""A log filter that masks resident ID numbers and mobile numbers in every log line.

Code logs masked values already (core.validators.mask_*); this is the net under it,
for the line nobody thought about: an exception message quoting a request, a library's
debug output, a third-party warning.
"""

import logging
import re

# 17 digits and a check character, not inside a longer run of digits or letters.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# A mobile number as core.validators.clean_phone accepts it: optional +86, and spaces
# or hyphens between the groups (139 1234 5678, 139-1234-5678).
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[\s-]?)?1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")


def mask_personal_data(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(2), text)
    return _MOBILE.sub(r"\1****\2", text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A malformed call ("%d" with a string): let the handler report it as
            # logging does, instead of raising in the caller's request.
            return True
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Tracebacks quote values too; format once here so the mask covers them.
            record.exc_text = mask_personal_data(
                logging.Formatter().formatException(record.exc_info)
            )
        elif record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True
