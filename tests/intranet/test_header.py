"""The header every signed-in page carries: the search field, the account menu (profile, password,
language, sign-out) and the main navigation's menus."""

import re

from django.urls import reverse


def _account_menu(html: str) -> str:
    start = html.index('id="menu-utilisateur"')
    return html[start : html.index("</ul>", start)]


def test_the_account_menu_holds_profile_language_and_sign_out(client, agent):
    client.force_login(agent)
    html = client.get(reverse("intranet:home")).content.decode()
    assert re.search(r'<form class="mc-search" role="search"[^>]*action="/recherche/"', html)
    menu = _account_menu(html)
    assert f'href="{reverse("directory:profile-edit")}"' in menu
    assert f'href="{reverse("account_logout")}"' in menu
    assert f'action="{reverse("set_language")}" method="post"' in menu
    assert 'name="language" value="en" lang="en">English</button>' in menu
    assert 'value="fr"' not in menu  # the current language is not offered


def test_the_language_of_the_account_menu_switches_the_site(client, agent):
    client.force_login(agent)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("intranet:home")})
    html = client.get(reverse("intranet:home")).content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="fr" lang="fr">Français</button>' in _account_menu(html)


def test_a_partner_has_no_profile_in_the_directory(client, partenaire):
    client.force_login(partenaire)
    menu = _account_menu(client.get(reverse("intranet:home")).content.decode())
    assert reverse("directory:profile-edit") not in menu
    assert reverse("account_logout") in menu
