"""Reference data every installation starts with: roles and townships, and (from
rules.reference) the statutory periods and legal parameters. Loaded by a data migration;
editable in the admin afterwards.
"""

from core import roles
from rules import reference as rule_reference

GROUPS = [
    roles.INSPECTOR,
    roles.MEDIATOR,
    roles.ARBITRATOR,
    roles.SUPERVISOR,
    roles.SCREEN,
    roles.ADMINISTRATOR,
    roles.TOWNSHIP_REVIEWER,
    roles.COUNTY_REVIEWER,
    roles.FINANCE,
]

# Xiangfen County (141023): 7 towns, 6 townships and the economic development zone.
TOWNSHIPS = [
    ("xincheng", "新城镇"),
    ("zhaokang", "赵康镇"),
    ("fencheng", "汾城镇"),
    ("nanjia", "南贾镇"),
    ("gucheng", "古城镇"),
    ("xiangling", "襄陵镇"),
    ("dengzhuang", "邓庄镇"),
    ("taosi", "陶寺乡"),
    ("yonggu", "永固乡"),
    ("jingmao", "景毛乡"),
    ("xijia", "西贾乡"),
    ("nanxindian", "南辛店乡"),
    ("dadeng", "大邓乡"),
    ("kaifaqu", "经济开发区"),
]


def load(apps) -> None:
    """Create or update the reference rows; safe to run again."""
    Group = apps.get_model("auth", "Group")
    try:
        Township = apps.get_model("core", "Township")
    except LookupError:  # an old migration's state, before Township moved to core
        Township = apps.get_model("cases", "Township")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for order, (code, name) in enumerate(TOWNSHIPS):
        Township.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    rule_reference.load(apps)
