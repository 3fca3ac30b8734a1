"""Identity numbers and contact details, checked as GB 11643, GB 32100 and the numbering plan define them."""
import re

import pytest

from workflows.identity_numbers import (check_credit_code, check_email, check_phone, check_resident_id,
                                        credit_code_check_char, resident_id_check_char)

# The example number printed in GB 11643-1999 itself, and a published enterprise code.
STANDARD_ID = "11010519491231002X"
PUBLISHED_CREDIT_CODE = "91350100M000100Y43"


def test_the_standards_own_example_id_passes_with_its_x_check_character():
    assert resident_id_check_char(STANDARD_ID[:17]) == "X"
    assert check_resident_id(STANDARD_ID) is None
    assert check_resident_id(STANDARD_ID.lower()) is None  # a lower-case x is the same character


def test_full_width_digits_and_spaces_typed_with_a_chinese_input_method_are_accepted():
    assert check_resident_id("１１０１０５ １９４９１２３１ ００２Ｘ") is None


@pytest.mark.parametrize("number, says", [
    ("110105194912310021", "校验位不正确"),       # one character wrong
    ("11010519491231002", "应为18位，您填写了17位"),
    ("11010519491331002X", "出生日期"),           # month 13
    ("1101051949123100AX", "前17位应为数字"),
])
def test_a_wrong_resident_id_is_refused_naming_the_field_and_what_is_wrong(number, says):
    message = check_resident_id(number, "申请人身份证号码")
    assert message.startswith("申请人身份证号码") and says in message


def test_a_published_credit_code_passes_and_every_single_change_of_its_check_character_fails():
    assert credit_code_check_char(PUBLISHED_CREDIT_CODE[:17]) == "3"
    assert check_credit_code(PUBLISHED_CREDIT_CODE) is None
    for other in "0124567889ABCDEFGHJKLMNPQRTUWXY":
        if other != "3":
            assert "校验位不正确" in check_credit_code(PUBLISHED_CREDIT_CODE[:17] + other)


def test_a_credit_code_with_letters_the_standard_never_uses_says_which():
    message = check_credit_code("91350100M000100O43")
    assert "O" in message and "没有字母I、O、Z、S、V" in message


@pytest.mark.parametrize("phone", ["13800138000", "+86 138 0013 8000", "010-12345678", "0755-1234567-801",
                                   "（010）12345678"])
def test_mobile_and_landline_numbers_are_accepted(phone):
    assert check_phone(phone) is None


@pytest.mark.parametrize("phone", ["12345", "23800138000", "1380013800a", "12345678"])
def test_a_phone_number_that_cannot_be_dialled_is_refused_with_an_example(phone):
    assert "010-12345678" in check_phone(phone)


def test_email_addresses():
    assert check_email("zhang.san@example.com.cn") is None
    for bad in ("zhangsan", "zhang@san", "a b@example.com", "a@@example.com"):
        assert check_email(bad, "电子邮箱").startswith("电子邮箱格式不正确")


def test_messages_are_plain_chinese_without_patterns():
    messages = [check_resident_id("x"), check_credit_code("x"), check_phone("x"), check_email("x")]
    for message in messages:
        assert not re.search(r"[\^\$\\\[\]]|regex|pattern|invalid", message, re.I)
