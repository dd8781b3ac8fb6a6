"""The Iranian national ID (کد ملی) check: one validator for forms and the API."""
from app.persian.text import digits_only


def is_valid_national_id(value: str | None) -> bool:
    """10 digits; weighted sum of the first 9 by 10..2 mod 11 gives the check digit.

    The check digit equals the remainder when it is below 2, else 11 minus it;
    ten equal digits are invalid.
    """
    code = digits_only(value)
    if len(code) != 10 or not code.isdigit() or len(set(code)) == 1:
        return False
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder
