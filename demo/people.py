"""Fictional people and identifiers: names, phones, ID numbers and USCCs with valid check
digits, money amounts."""

import datetime as dt
import hashlib
import random
from decimal import ROUND_HALF_UP, Decimal

from stdnum.cn import ric, uscc

SURNAMES = "王李张刘杨赵郭贾陈吕柴史薛段任梁卫闫武范董孙高马韩田许崔冯"
MALE = "建军 志强 国华 海军 晓东 永平 俊杰 文斌 红兵 卫东 宏伟 建平 小龙 鹏飞 长青 振华 保全 虎生 满仓 二牛".split()
FEMALE = "秀兰 丽萍 红霞 春梅 晓燕 海燕 玉莲 彩霞 美英 桂芳 小红 丽娟 雪梅 慧敏 艳芳 翠花 亚楠 佳怡 婷婷 金凤".split()
PHONE_PREFIXES = "133 135 136 139 150 152 155 158 177 181 183 186 187 189 191 199".split()


def make_uscc(name: str, coop: bool = False) -> str:
    """A stable, valid USCC for a fictional employer (region code of Xiangfen)."""
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**9
    base = ("93" if coop else "91") + "141023" + f"{digits:09d}"
    return base + uscc.calc_check_digit(base)


def make_id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    # Xiangfen's code is 141023 since 2000; people born earlier keep 142623 (Linfen
    # prefecture), which is also what stdnum's birth-place table expects.
    region = "141023" if birth.year >= 2000 else "142623"
    sequence = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def person(demo, low_age=19, high_age=58):
    rng = demo.rng
    male = rng.random() < 0.7
    birth = demo.today - dt.timedelta(days=rng.randint(low_age * 365, high_age * 365))
    while True:
        id_number = make_id_number(rng, birth, male)
        if id_number not in demo.id_numbers:
            demo.id_numbers.add(id_number)
            break
    name = rng.choice(SURNAMES) + rng.choice(MALE if male else FEMALE)
    phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    return name, id_number, phone
