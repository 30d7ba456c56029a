from django.urls import reverse


def test_pages_carry_a_strict_content_security_policy(client, agent):
    client.force_login(agent)
    response = client.get(reverse("intranet:home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # nothing loaded from outside the site


def test_pages_carry_the_security_headers(client, db):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_load_no_script_or_style_from_outside_the_site(client, agent):
    client.force_login(agent)
    html = client.get(reverse("intranet:home")).text
    assert "<script>" not in html  # no inline script
    assert 'src="http' not in html
    assert 'href="http' not in html


def test_uploaded_files_are_served_to_agents_only(client, agent, partenaire, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"\xff\xd8\xff")
    url = reverse("intranet:media", args=["photos/a.jpg"])
    assert client.get(url).status_code == 302
    client.force_login(partenaire)
    assert client.get(url).status_code == 403
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_pending_hr_imports_are_never_served(client, agent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "token.upload").write_text("matricule;nom")
    client.force_login(agent)
    assert client.get(reverse("intranet:media", args=["imports/token.upload"])).status_code == 404
    assert client.get(reverse("intranet:media", args=["photos/../imports/token.upload"])).status_code == 404
