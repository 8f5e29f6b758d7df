"""Demo employers: fictional Xiangfen companies with valid USCCs and their projects."""

import datetime as dt

from django.db import transaction

from core.models import Employer, Township
from demo.base import Demo
from demo.people import make_uscc

# name, township, sector, size, projects, flags
# fmt: off
EMPLOYERS = [
    ("山西汾河宏达建筑工程有限公司", "xincheng", "construction", "medium", ["汾河湾小区二期", "新城镇第二中学教学楼"], {}),
    ("襄汾县城乡建设投资有限公司", "xincheng", "construction", "large", ["县城南环路改造工程", "新城镇保障性住房项目"], {"soe": True}),
    ("临汾市聚鑫劳务派遣有限公司", "xincheng", "services", "micro", [], {"blacklisted": True}),
    ("襄汾县鑫源商贸有限公司", "xincheng", "services", "small", [], {}),
    ("襄汾县丰禾面粉有限公司", "xincheng", "manufacturing", "small", [], {}),
    ("襄汾县悦来大酒店有限公司", "xincheng", "services", "small", [], {}),
    ("襄汾县顺通物流有限公司", "xincheng", "transport", "small", [], {}),
    ("襄汾县新城恒泰焦化有限公司", "xincheng", "steel_coke", "large", [], {"closed": True}),
    ("襄汾县赵康鑫达焦化有限公司", "zhaokang", "steel_coke", "large", [], {"closed": True}),
    ("山西赵康新型建材有限公司", "zhaokang", "manufacturing", "medium", [], {}),
    ("山西晋运路桥工程有限公司", "zhaokang", "construction", "medium", ["赵康镇美丽乡村道路工程"], {"soe": True}),
    ("襄汾县永盛服装加工厂", "zhaokang", "manufacturing", "micro", [], {"blacklisted": True}),
    ("襄汾县康达养殖专业合作社", "zhaokang", "agriculture", "micro", [], {"coop": True}),
    ("襄汾县汾城古建园林工程有限公司", "fencheng", "construction", "small", ["汾城古镇修缮工程"], {}),
    ("山西南贾金属制品有限公司", "nanjia", "manufacturing", "small", [], {}),
    ("襄汾县古城洗煤有限公司", "gucheng", "mining", "medium", [], {"closed": True}),
    ("襄汾县襄陵果蔬冷链有限公司", "xiangling", "agriculture", "small", [], {}),
    ("襄汾县邓庄华鑫钢铁有限公司", "dengzhuang", "steel_coke", "large", [], {"closed": True}),
    ("襄汾县陶寺文旅开发有限公司", "taosi", "construction", "small", ["陶寺遗址游客中心工程"], {"soe": True}),
    ("襄汾县永固农机服务有限公司", "yonggu", "services", "micro", [], {}),
    ("山西景毛焦化集团有限公司", "jingmao", "steel_coke", "large", [], {"closed": True}),
    ("襄汾县西贾新型墙材厂", "xijia", "manufacturing", "micro", [], {}),
    ("襄汾县南辛店惠民超市有限公司", "nanxindian", "services", "small", [], {}),
    ("襄汾县大邓矿业有限公司", "dadeng", "mining", "medium", [], {}),
    ("山西襄汾新能源装备制造有限公司", "kaifaqu", "manufacturing", "large", [], {}),
    ("临汾华晋电子科技有限公司", "kaifaqu", "manufacturing", "medium", [], {}),
    ("山西晋南城建集团有限公司", "kaifaqu", "construction", "large", ["开发区标准化厂房三期"], {"soe": True}),
]
# fmt: on

STREETS = ["府前街", "汾河路", "新华街", "文化路", "工业园区", "南大街", "丁陶路", "尧都路"]


def run(demo: Demo) -> None:
    with transaction.atomic():
        demo.employers = seed_employers(demo)


def seed_employers(demo):
    townships = {t.code: t for t in Township.objects.all()}
    demo.projects = {}
    employers = []
    for name, code, sector, size, projects, flags in EMPLOYERS:
        township = townships[code]
        blacklisted = demo.today + dt.timedelta(days=900) if flags.get("blacklisted") else None
        employer, _ = Employer.objects.get_or_create(
            uscc=make_uscc(name, coop=flags.get("coop", False)),
            defaults={
                "name": name,
                "address": f"山西省临汾市襄汾县{township.name}{demo.rng.choice(STREETS)}",
                "township": township,
                "sector": sector,
                "size_class": size,
                "state_owned_or_government_project": flags.get("soe", False),
                "closed_under_policy": flags.get("closed", False),
                "blacklisted_until": blacklisted,
                "is_demo": True,
            },
        )
        demo.projects[employer.pk] = projects
        employers.append(employer)
    return employers
