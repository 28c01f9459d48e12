"""Login throttling (django-axes) with real POSTs to the admin login: five failures lock a user
name out wherever the next try comes from, and lock an address out whichever user it tries;
the lockout page speaks Chinese; an administrator can unlock; the address counted is the one
the connection came from, unless settings say a proxy stands in front."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

LOCKED = "登录已暂时锁定"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("wang", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="编辑")[0])
    return user


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", password=PASSWORD)


@pytest.fixture
def client_of(db):
    """A fresh client logged in as the given user (force_login: no password, no throttling)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def log_in(client, username, password, address="10.0.0.1", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def fail(client, username, times=5, address="10.0.0.1", **headers):
    for _ in range(times):
        response = log_in(client, username, "wrong-password", address, **headers)
    return response


@pytest.mark.parametrize("who", ["editor", "chief"])
def test_five_wrong_passwords_then_the_right_one_is_refused(client, who, request):
    user = request.getfixturevalue(who)

    fail(client, user.username)
    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content
    assert "连续 5 次登录失败" in content
    assert "30 分钟后再试" in content
    assert "联系系统管理员" in content
    assert client.get(reverse("admin:index")).status_code == 302  # not logged in


def test_four_wrong_passwords_still_let_the_right_one_in(client, editor):
    fail(client, "wang", times=4)

    assert logged_in(log_in(client, "wang", PASSWORD))


def test_a_locked_user_is_refused_from_another_address(client, editor):
    fail(client, "wang", address="10.0.0.1")

    response = log_in(client, "wang", PASSWORD, address="10.0.0.2")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_an_address_that_tried_many_users_is_locked_out(client, editor):
    for name in ["li", "zhao", "sun", "zhou", "wu"]:
        fail(client, name, times=1, address="10.0.0.9")

    from_the_address = log_in(client, "wang", PASSWORD, address="10.0.0.9")
    from_elsewhere = log_in(client, "wang", PASSWORD, address="10.0.0.10")

    assert from_the_address.status_code == 429
    assert logged_in(from_elsewhere)


def test_the_administrator_unlocks_in_the_admin(client, editor, chief, client_of):
    fail(client, "wang")
    assert log_in(client, "wang", PASSWORD).status_code == 429
    attempts = list(AccessAttempt.objects.filter(username="wang").values_list("pk", flat=True))

    changelist = client_of(chief).get(reverse("admin:axes_accessattempt_changelist"))
    unlock = client_of(chief).post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert "wang" in changelist.content.decode()
    assert "登录失败记录" in changelist.content.decode()
    assert unlock.status_code == 302
    assert logged_in(log_in(client, "wang", PASSWORD))


def test_the_administrator_unlocks_with_a_command(client, editor):
    fail(client, "wang")
    assert log_in(client, "wang", PASSWORD).status_code == 429

    call_command("axes_reset_username", "wang")

    assert logged_in(log_in(client, "wang", PASSWORD))


def test_a_client_cannot_dodge_the_lockout_with_x_forwarded_for(client, editor):
    for n in range(5):
        log_in(client, "nobody", "wrong", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")

    response = log_in(client, "wang", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.99")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}


def test_behind_a_proxy_the_address_the_proxy_saw_counts(client, editor, settings):
    settings.BULLETIN_BEHIND_PROXY = 1
    proxy = "172.18.0.5"  # every request reaches the app from the proxy
    # The client wrote the left entry itself; the proxy appended the address it saw.
    fail(client, "nobody", address=proxy, HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.7")

    locked = log_in(client, "wang", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    other_client = log_in(client, "wang", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert locked.status_code == 429
    assert logged_in(other_client)
