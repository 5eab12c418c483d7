"""Security baseline: lockout, password rules, deploy checks, history of accounts."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organization import services
from organization.choices import Role
from tests.organization.factories import PASSWORD

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def login(client, password, username="county_staff", address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_lockout_after_repeated_bad_passwords(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong-pass-1").status_code == 200
    # the limit-th failure locks
    response = login(client, "wrong-pass-1")
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    # even the right password is refused while locked
    assert login(client, PASSWORD).status_code == 429


def test_lockout_is_per_user_and_address(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-pass-1")
    # the same account from another address, and another account from the same address, still log in
    assert login(client, PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert login(client, PASSWORD, username="township_staff").status_code == 302


def test_lockout_releases_itself_after_the_cooloff(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-pass-1")
    assert login(client, PASSWORD).status_code == 429
    # when: the cool-off has passed
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    # then
    assert login(client, PASSWORD).status_code == 302


def test_api_token_lockout_is_json(client, users):
    url = reverse("api:api_token")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "county_staff", "password": "wrong-pass-1"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "county_staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "暂时锁定" in response.json()["detail"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1a", "太短"),
        ("1234567890123", "只包含数字"),
        ("abcdefghijkl", "字母和数字"),
        ("password1234", "太常见"),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert reason in " ".join(excinfo.value.messages)


def test_account_creation_refuses_a_weak_password(tree):
    with pytest.raises(ValidationError):
        services.user_create(
            username="weak", password="123456", display_name="弱口令", role=Role.COUNTY_STAFF, region=tree.a
        )


def test_account_changes_keep_history_but_logins_do_not(client, users):
    user = users.county_staff
    before = user.history.count()
    login(client, PASSWORD)
    assert user.history.count() == before
    services.user_update(actor=users.admin, user=user, unit="青山县委组织部")
    latest = user.history.first()
    assert latest.history_user == users.admin
    assert latest.unit == "青山县委组织部"


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8#vL2$pR9!tY4&wX7*mN3^bH6@jD1",
        "DJANGO_ALLOWED_HOSTS": "poverty.example.cn",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_ALLOWED_HOSTS": "x.cn"})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy: a forwarded header is the client's own claim
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client prepended a fake address
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.5", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.1"),  # fewer entries than proxies: fall back to the peer
    ],
)
def test_client_address_behind_proxies(rf, settings, proxies, forwarded, expected):
    from organization.lockout import client_ip

    settings.PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == expected


def test_lockout_behind_a_proxy_counts_per_client(client, users, settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "county_staff", "password": "wrong-pass-1"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="1.1.1.1",
        )
    # another client behind the same proxy is not locked out
    response = client.post(
        reverse("login"),
        {"username": "county_staff", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="2.2.2.2",
    )
    assert response.status_code == 302
