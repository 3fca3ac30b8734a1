"""The password policy and hashing, in one place for every way a password is set (admin page, own page, CLI)."""
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from .errors import Invalid

MIN_LENGTH = 10

# The most used passwords (public breach lists), plus the obvious local ones: refused whatever their length.
COMMON = frozenset("""
123456 123456789 12345678 1234567890 password password1 password123 qwerty qwerty123 qwertyuiop 111111
000000 123123 1234567 abc123 abc12345 iloveyou admin admin123 administrator welcome welcome1 letmein
monkey dragon sunshine princess football baseball 1q2w3e4r 1q2w3e4r5t 1qaz2wsx zaq12wsx qazwsx123
passw0rd p@ssw0rd p@ssword 5201314 woaini1314 woaini520 a123456 a123456789 aa123456 123qwe 123qweasd
qweasdzxc asdfghjkl zxcvbnm 66666666 88888888 11111111 00000000 12344321 654321 987654321 1314520
changeme changeme123 default secret secret123 banjian banjian123 gov123456 zhengfu123
test1234 test123456 guest123 root1234 admin@123 admin1234 admin12345 superman trustno1 whatever
""".split())


def check_policy(password: str, username: str | None = None) -> None:
    """Raise :class:`Invalid` (field ``password``) unless the password is long and not a common one."""
    minimum = current_app.config.get("PASSWORD_MIN_LENGTH", MIN_LENGTH)
    if not isinstance(password, str) or len(password) < minimum:
        raise Invalid(f"密码至少 {minimum} 位", {"password": f"至少 {minimum} 位"})
    lowered = password.lower()
    if lowered in COMMON or len(set(password)) <= 2:
        raise Invalid("密码过于常见或简单，请换一个", {"password": "过于常见或简单"})
    if username and lowered == username.lower():
        raise Invalid("密码不能与用户名相同", {"password": "不能与用户名相同"})
    if "\x00" in password:
        raise Invalid("密码含有不允许的字符", {"password": "含有不允许的字符"})


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


_dummy: dict[str, str] = {}


def check_against_nothing(password: str) -> None:
    """Spend the time of a real check when the username is unknown, so timing does not reveal which
    usernames exist."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _dummy:
        _dummy[method] = hash_password("not-a-real-password")
    check_password_hash(_dummy[method], password)


def matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
