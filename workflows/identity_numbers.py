"""Identity numbers and contact details people type into forms, checked the way the standards define them.

No Flask and no database: the public filing forms use these, and officers' registration forms can too.
Every checker returns ``None`` when the value is acceptable, else a message in plain Chinese that names the
field (the caller passes the field's label); it never shows a pattern or an English word.

- Resident identity card number (公民身份号码), GB 11643-1999: 17 digits and a check character computed with
  ISO 7064 MOD 11-2 (``0``–``9`` or ``X``), the 7th–14th characters a real date of birth.
- Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from 31 (digits and upper-case
  letters without I, O, Z, S, V), the last one a check character computed MOD 31.
- Phone numbers: a mainland mobile (11 digits from 1), or a landline with its area code (0 + 2–3 digits,
  then 7–8 digits, an optional extension), optionally after +86.
- E-mail: one @, a local part and a domain with a dot, no spaces.
"""
from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def normalize(value: str) -> str:
    """The value without surrounding or inner blanks, full-width digits and letters made half-width, upper-case.

    People paste numbers with spaces, or type them with a Chinese input method in full width.
    """
    text = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in str(value or ""))
    return re.sub(r"[\s\u3000]+", "", text).upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def check_resident_id(value: str, label: str = "身份证号码") -> str | None:
    """``None`` for a valid 18-character resident identity number, else why not (naming ``label``)."""
    number = normalize(value)
    if len(number) != 18:
        return f"{label}应为18位，您填写了{len(number)}位"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return f"{label}前17位应为数字，最后一位为数字或字母X"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"{label}中的出生日期（第7至14位）不是有效日期"
    if born.year < 1900 or born > date.today():
        return f"{label}中的出生日期（第7至14位）不是有效日期"
    if resident_id_check_char(number[:17]) != number[17]:
        return f"{label}校验位不正确，请核对是否有数字输错"
    return None


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (all from :data:`CREDIT_CODE_ALPHABET`)."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str, label: str = "统一社会信用代码") -> str | None:
    """``None`` for a valid unified social credit code, else why not (naming ``label``)."""
    code = normalize(value)
    if len(code) != 18:
        return f"{label}应为18位，您填写了{len(code)}位"
    wrong = sorted({c for c in code if c not in CREDIT_CODE_ALPHABET})
    if wrong:
        return f"{label}含有不会出现的字符“{'、'.join(wrong)}”（代码中没有字母I、O、Z、S、V）"
    if not code[2:8].isdigit():
        return f"{label}第3至8位应为行政区划代码（数字）"
    if credit_code_check_char(code[:17]) != code[17]:
        return f"{label}校验位不正确，请核对是否有字符输错"
    return None


def check_phone(value: str, label: str = "联系电话") -> str | None:
    """``None`` for a mainland mobile or landline number (optionally with +86), else why not."""
    number = normalize(value).replace("（", "(").replace("）", ")").replace("(", "").replace(")", "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    if _MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number):
        return None
    return f"{label}应为11位手机号码，或带区号的固定电话（如010-12345678）"


def check_email(value: str, label: str = "电子邮箱") -> str | None:
    """``None`` for a plausible e-mail address, else why not."""
    text = str(value or "").strip()
    if len(text) > 120:
        return f"{label}不能超过120个字符"
    if not _EMAIL.fullmatch(text):
        return f"{label}格式不正确，应类似 name@example.com"
    return None
