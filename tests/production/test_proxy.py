"""The proxy of the production shape (deploy/nginx.conf under a real nginx, gunicorn with
gunicorn.conf.py behind it): uploads and static files served by the proxy, pages by the app.
With DEBUG off the app itself serves no media, so before the proxy covers answered 404."""

import gzip
import io
import json
import re
import socket
from urllib.parse import urlsplit

import pytest
from PIL import Image

from .servers import free_port, get, gunicorn, nginx


@pytest.fixture(scope="module")
def ports(site):
    with gunicorn(site) as app_port, nginx(site, app_port) as proxy_port:
        yield {"app": app_port, "proxy": proxy_port}


@pytest.fixture
def proxy(ports):
    return ports["proxy"]


def test_the_app_alone_serves_no_media(site, ports):
    """Why the proxy is needed: gunicorn with DEBUG off answers 404 for the cover."""
    assert get(ports["app"], site["cover"])[0] == 404


def test_cover_referenced_by_the_page_and_the_api_is_served_as_an_image(site, proxy):
    status, _, page = get(proxy, "/")
    assert status == 200
    assert f'src="{site["cover"]}"' in page.decode()
    status, _, body = get(proxy, "/api/issues/")
    api_cover = urlsplit(json.loads(body)["results"][0]["cover"])
    assert api_cover.path == site["cover"]
    assert api_cover.port == proxy  # the proxy passed the client's Host on

    status, headers, image = get(proxy, site["cover"])
    assert status == 200
    assert headers["content-type"] == "image/png"
    assert headers["x-content-type-options"] == "nosniff"
    assert "max-age=" in headers["cache-control"]
    assert Image.open(io.BytesIO(image)).size == (60, 85)


def test_issue_pdf_is_served_as_a_pdf(site, proxy):
    status, headers, body = get(proxy, site["pdf"])
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"] == "inline"
    assert headers["x-content-type-options"] == "nosniff"
    assert body.startswith(b"%PDF-")


@pytest.mark.parametrize("suffix", ["", "?x=.png", "%00.png"])
def test_an_html_file_among_the_uploads_is_never_served_as_a_page(site, proxy, suffix):
    status, headers, body = get(proxy, site["html"] + suffix)
    assert status in (400, 404)
    assert b"<script>" not in body
    assert "text/html" not in headers.get("content-type", "") or status != 200


def test_static_files_come_from_collectstatic_with_cache_headers(site, proxy):
    page = get(proxy, "/")[2].decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, body = get(proxy, stylesheet, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-type"] == "text/css"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    on_disk = site["data_dir"] / stylesheet.removeprefix("/")
    assert gzip.decompress(body) == on_disk.read_bytes()

    # A name without the content hash may change at the next deployment: kept briefly.
    status, headers, _ = get(proxy, "/static/css/site.css")
    assert status == 200
    assert headers["cache-control"] == "public, max-age=3600"

    assert get(proxy, "/static/css/absent.css")[0] == 404


def test_pages_are_proxied_compressed_and_told_the_real_scheme(proxy, ports):
    status, headers, body = get(proxy, "/", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "广西政协工作" in gzip.decompress(body).decode()
    assert headers["server"] == "nginx"  # no version

    # A client claiming https over plain http: the proxy states the real scheme, so the app
    # does not hand out https links (straight to the app, the claim is believed).
    spoof = {"X-Forwarded-Proto": "https"}
    through_proxy = json.loads(get(proxy, "/api/issues/", spoof)[2])["results"][0]["url"]
    straight = json.loads(get(ports["app"], "/api/issues/", spoof)[2])["results"][0]["url"]
    assert through_proxy.startswith("http://")
    assert straight.startswith("https://")


def test_a_request_over_the_upload_limit_is_refused_before_its_body(proxy):
    """220 MB is the limit (the 200 MB issue PDF with its cover); the answer comes at once."""
    with socket.create_connection(("127.0.0.1", proxy), timeout=10) as sock:
        sock.sendall(
            b"POST /admin/issues/issue/add/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: %d\r\n\r\n" % (221 * 1024 * 1024)
        )
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413")
    assert "上传的内容太大" in answer.decode("utf-8", "replace")


def test_a_large_upload_under_the_limit_reaches_the_app(proxy):
    """A 12 MB file in a form (past nginx's default limit of 1 MB) arrives whole: the login view
    reads the form, file and all, and answers with its page (wrong password), not the proxy."""
    token = "a" * 32  # an unmasked CSRF secret, the same in the cookie and the form
    fields = {"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"}
    parts = [
        f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + b"x" * (12 * 1024 * 1024) + b"\r\n--b--\r\n"
    )
    status, _, body = get(
        proxy,
        "/admin/login/",
        {"Content-Type": "multipart/form-data; boundary=b", "Cookie": f"csrftoken={token}"},
        method="POST",
        body=b"".join(parts),
        timeout=60,
    )
    assert status == 200
    assert 'name="password"' in body.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/media/../bulletin.sqlite3",
        "/media/%2e%2e/bulletin.sqlite3",
        "/static/..%2fbulletin.sqlite3",
        "/media/..%2fbulletin.sqlite3",
    ],
)
def test_nothing_else_in_the_files_root_is_reachable(site, proxy, path):
    """The files root may be the whole data folder (README, without Docker), database and all."""
    assert (site["data_dir"] / "bulletin.sqlite3").exists()
    status, _, body = get(proxy, path)
    assert status in (400, 404)
    assert not body.startswith(b"SQLite format")


def test_a_stopped_app_gets_a_short_chinese_answer(site):
    with nginx(site, upstream_port=free_port()) as port:
        status, headers, body = get(port, "/")
    assert status == 503
    assert headers["retry-after"] == "30"
    assert "请稍后再试" in body.decode()
