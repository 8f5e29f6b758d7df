import datetime as dt

import pytest
from django.test import Client

from employment import referrals
from tests.employment import support

pytestmark = pytest.mark.django_db


def test_it_serves_every_page_to_the_county_and_the_steward():
    county = support.county()
    village = support.village()
    plant = support.plant(county)
    entry = support.entry(county, 0, village, plant=plant)
    posting = support.posting(plant.employer)
    referrals.referral_record(actor=county, entry_id=entry.pk, posting_id=posting.pk)
    support.target(dt.date.today().year, [("xincheng", 100, 50)])
    steward = support.user("steward", "employment_steward", villages=[village])
    c = Client()
    c.force_login(county)
    for url in [
        "/employment/",
        "/employment/mine/",
        "/employment/ledger/",
        "/employment/ledger/?overdue=1&q=工人",
        "/employment/ledger/new/",
        f"/employment/ledger/{entry.pk}/",
        "/employment/plants/",
        f"/employment/plants/{plant.pk}/",
        "/employment/postings/",
        "/employment/progress/",
        "/employment/targets/",
        "/employment/dispatch/",
        "/employment/dispatch.xlsx",
        "/employment/plants/roster-template.xlsx",
    ]:
        response = c.get(url, follow=True)
        assert response.status_code == 200, url
    s = Client()
    s.force_login(steward)
    assert "本周待办" in s.get("/employment/").content.decode()
    assert s.get(f"/employment/ledger/{entry.pk}/").status_code == 200
    assert s.get("/employment/dispatch/").status_code == 403
