"""Where a person reads, the subsidy pages show labels and names, never internal codes."""

import re
from pathlib import Path

from django.test import Client

from tests.workflows.support import client_for, payload, submit
from tests.workflows.test_flow_http import decide, task_of
from workflows import eligibility


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_names_every_rule_in_the_review_instead_of_its_code(people, entry_api):
    app = submit(entry_api, payload())
    task = task_of(client_for(people["township"]), app["number"])
    page = signed_in(people["township"])

    for url in (f"/subsidies/applications/{app['id']}/", f"/subsidies/tasks/{task['id']}/"):
        body = page.get(url).content.decode()
        assert "政策有效期" in body
        for code in ("policy_in_force", "not_blacklisted", "has_beneficiaries"):
            assert f">{code}<" not in body, (url, code)


def test_every_rule_the_checks_can_give_has_a_label():
    package = Path(eligibility.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    codes = set(re.findall(r'(?:Rule|check)\(\s*"([a-z_]+)"', source))

    assert codes and codes <= set(eligibility.RULE_LABELS)


def test_the_inbox_shows_the_township_s_name_not_its_code(people, entry_api):
    submit(entry_api, payload())

    body = signed_in(people["township"]).get("/subsidies/").content.decode()

    assert "<td>新城镇</td>" in body and "<td>xincheng</td>" not in body


def test_a_decision_already_taken_names_the_person_not_the_username(people, entry_api):
    people["township"].first_name = "杨春梅"
    people["township"].save()
    app = submit(entry_api, payload())
    task = task_of(client_for(people["township"]), app["number"])
    decide(client_for(people["township"]), task["id"])

    again = decide(client_for(people["township_b"]), task["id"], status=409)
    history = signed_in(people["county"]).get(f"/subsidies/applications/{app['id']}/")

    assert "杨春梅" in again["detail"] and "township1" not in again["detail"]
    assert "杨春梅" in history.content.decode()
