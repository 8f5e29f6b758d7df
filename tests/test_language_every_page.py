"""In English, every page that offers the language switch speaks English throughout; a
page not translated yet offers no switch and stays Chinese, never half of each.

What counts as the page's own text: every text node and the placeholder/title/alt/
aria-label attributes, outside <script>/<style>. Data is not the page's: text inside an
element marked `data-value` or with a non-English `lang` (the 中文 button), and any
Chinese that is part of a value stored in the database (township, employer, worker and
project names, the worker's own description), which the test reads from the tables.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.utils import translation

from cases.models import Case
from core.models import Employer, Person, Township
from tests.cases.complaint_support import id_number
from tests.factories import file_case, staff

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}
TEXT_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")


class _PageText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[bool] = []
        self.chinese: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.skipping and self.skipping[-1])

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = (
            self._skipped()
            or tag in ("script", "style")
            or "data-value" in attributes
            or not (attributes.get("lang") or "en").startswith("en")
        )
        if not skip:
            for name in TEXT_ATTRIBUTES:
                self.chinese += CHINESE.findall(attributes.get(name) or "")
        if tag not in VOID:
            self.skipping.append(skip)

    def handle_endtag(self, tag):
        if tag not in VOID and self.skipping:
            self.skipping.pop()

    def handle_data(self, data):
        if not self._skipped():
            self.chinese += CHINESE.findall(data)


def stored_values() -> list[str]:
    """Text people typed or the county configured: shown as is in any language."""
    values = list(Township.objects.values_list("name", flat=True))
    values += list(Employer.objects.values_list("name", flat=True))
    values += list(Employer.objects.values_list("address", flat=True))
    values += [p.name for p in Person.objects.all()]
    for project, description in Case.objects.values_list("project_name", "description"):
        values += [project, description]
    return [v for v in values if v]


def untranslated(html: str) -> list[str]:
    parser = _PageText()
    parser.feed(html)
    data = stored_values()
    return [run for run in parser.chinese if not any(run in value for value in data)]


def english_client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def portal_form(**overrides) -> dict:
    data = {
        "kind": "wage_arrears",
        "construction": "yes",
        "project_name": "汾河湾小区二期",
        "employer_name": "山西汾河测试建筑有限公司",
        "employer_address": "新城镇建设路1号",
        "township": "xincheng",
        "description": "工地拖欠三个月工资。",
        "rows": "1",
        "c-0-name": "王建军",
        "c-0-id_number": id_number(1),
        "c-0-phone": "13900000000",
        "c-0-amount_claimed": "6000",
        "c-0-months_owed": "2",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def worker_pages() -> dict[str, str]:
    """Every page a worker meets, in English, with a case of their own on file."""
    worker = english_client()
    pages = {
        "home": worker.get("/"),
        "complaint form": worker.get("/complaint/"),
        "complaint with errors": worker.post("/complaint/", portal_form(**{"c-0-phone": "123"})),
    }
    assert pages["complaint with errors"].status_code == 400
    filed = worker.post("/complaint/", portal_form())
    assert filed.status_code == 302, filed.content.decode()[:500]
    pages["filed"] = worker.get("/complaint/filed/")
    case = Case.objects.get()
    code = worker.session["portal_filed"]["code"]  # only its hash is stored
    pages["lookup"] = worker.get("/status/")
    pages["wrong code"] = worker.post(
        "/status/", {"case_number": case.number, "query_code": "XXXXXXXX"}
    )
    stranger = english_client()
    stranger.post("/status/", {"case_number": case.number, "query_code": code})
    pages["status"] = stranger.get(f"/status/{case.number}/")
    pages["lost code"] = english_client().get("/code/resend/")
    pages["sign-in"] = english_client().get("/accounts/login/")
    return {name: response for name, response in pages.items()}


def test_every_worker_page_speaks_english_throughout():
    problems = {}
    for name, response in worker_pages().items():
        assert response["Content-Language"] == "en", name
        html = response.content.decode()
        assert 'name="language" value="zh-hans"' in html, f"{name}: no switch back"
        found = untranslated(html)
        if found:
            problems[name] = found
    assert problems == {}


STAFF_PAGES = [
    ("inspector", "/workbench/"),
    ("inspector", "/workbench/import/"),
    ("inspector", "/workbench/cases/{case}/"),
    ("inspector", "/alerts/"),
    ("supervisor", "/subsidies/"),
    ("supervisor", "/subsidies/applications/"),
    ("supervisor", "/subsidies/policies/"),
    ("township_reviewer", "/subsidies/new/"),
    ("screen", "/screen/"),
]


@pytest.mark.parametrize(("role", "path"), STAFF_PAGES)
def test_a_page_not_translated_yet_offers_no_switch_and_stays_chinese(role, path):
    case = file_case()
    county = role in ("supervisor", "screen")
    user = staff(
        f"lang_{role}", role, townships=() if county else ("xincheng",), county_level=county
    )

    response = english_client(user).get(path.format(case=case.number))

    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert 'name="language"' not in response.content.decode()


def test_the_check_finds_text_left_in_chinese():
    """The check can fail: an untranslated string is found, data is not."""
    Township.objects.filter(code="xincheng").update(name="新城镇")
    template = engines["django"].from_string(
        '{% load i18n %}<p>{% translate "跳到正文" %}</p><p>还没翻译</p>'
        '<span data-value>张三</span><input placeholder="请输入"><p>新城镇</p>'
        '<button lang="zh-hans">中文</button><script>var a = "脚本";</script>'
    )
    with translation.override("en"):
        html = template.render({})

    assert untranslated(html) == ["还没翻译", "请输入"]
