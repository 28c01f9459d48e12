"""Refused requests log one short warning line each, never a traceback (a run of hostile
requests used to fill the log with about 150 of them); server errors keep theirs."""

import logging
import sys

import pytest
from django.test import Client
from django.urls import reverse

from bulletin.security import MAX_MESSAGE_LENGTH, OneLineClientErrors


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def lines_of(caplog, logger):
    """The formatted lines each record of the logger left, as a log file would hold them."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return [formatter.format(r) for r in caplog.records if r.name == logger]


def assert_one_warning_line(caplog, logger, *, containing):
    (line,) = lines_of(caplog, logger)
    assert line.startswith(f"WARNING {logger} ")
    assert containing in line
    assert "\n" not in line
    assert "Traceback" not in caplog.text
    assert len(line) < MAX_MESSAGE_LENGTH + 50


def test_permission_denied_is_one_warning_line(editor_client, log):
    response = editor_client.get(reverse("admin:issues_issuedistribution_add"))

    assert response.status_code == 403
    assert_one_warning_line(log, "django.request", containing="Forbidden (Permission denied)")


@pytest.mark.django_db
def test_csrf_failure_is_one_warning_line(log):
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "x", "password": "y"}
    )

    assert response.status_code == 403
    assert "安全校验未通过" in response.content.decode()  # templates/403_csrf.html, in Chinese
    assert_one_warning_line(log, "django.security.csrf", containing="Forbidden (CSRF")


@pytest.mark.django_db
def test_bad_host_header_is_one_warning_line(client, log):
    response = client.get("/", HTTP_HOST="attacker.example.com")

    assert response.status_code == 400
    assert_one_warning_line(
        log, "django.security.DisallowedHost", containing="Invalid HTTP_HOST header"
    )


@pytest.mark.django_db
def test_a_client_cannot_forge_log_lines_or_flood_them(client, publication, log):
    forged = "/no-such-page/%0AERROR django.request Internal Server Error: /admin/" + "x" * 5000

    response = client.get(forged)

    assert response.status_code == 404
    assert_one_warning_line(log, "django.request", containing="Not Found: /no-such-page/\\n")


def test_server_errors_keep_their_traceback():
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", (), None
        )
        record.exc_info = sys.exc_info()
    record.status_code = 500

    assert OneLineClientErrors().filter(record)
    assert record.levelno == logging.ERROR
    assert "Traceback" in logging.Formatter().format(record)
