"""Every staff page in Arabic and Tigrinya: right language, right direction, no English left.
(The test client's page audit fails on any catalogue sentence left in English.)"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.journeys import a_running_service, staff_signs_in


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_every_staff_page_reads_in_the_chosen_language(
    app: Flask, make_client, language: str
) -> None:
    service = a_running_service(make_client())
    pages = 0
    for person in (service.manager, service.administrator):
        client = make_client()
        client.get(f"/language/{language}")
        client.expected_lang = language
        staff_signs_in(client, person.email)
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/staff") or "GET" not in (rule.methods or ()):
                continue
            if rule.rule.endswith(".csv") or rule.rule.endswith("/set-up"):
                continue
            url = service.url(rule.rule)
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                pages += 1
                assert f'lang="{language}"' in response.text
    assert pages >= 20
