"""A contact's export and erasure through each entry point: the contact page (download, confirmation
step), the API and the `socialdesk privacy` commands. Refusals change nothing; another workspace's
contact is a 404."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from socialdesk.cli import app
from socialdesk.conversations.models import Contact, Message
from socialdesk.privacy.models import AuditEntry
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import logged_in
from tests.privacy_setup import FIRST, make_admin, make_desk


@pytest.fixture
def admin(workspace: Any) -> User:
    return make_admin(workspace)


@pytest.fixture
def desk(telecom_policy: Any, x_channel: Any, agent: User) -> dict[str, Any]:
    return make_desk(x_channel, agent)


COUNTS = {
    "handles": 1,
    "conversations": 2,
    "messages": 2,
    "notes": 1,
    "activity": 1,
    "raw_events": 2,
    "ratings": 1,
}
ERASED = {
    "conversations": 2,
    "messages": 2,
    "raw_payloads": 2,
    "notes": 1,
    "handles": 1,
    "merged_contacts": 0,
}


def _texts() -> list[str]:
    return sorted(Message.objects.values_list("text", flat=True))


def test_the_contact_page_offers_export_to_leads_and_erasure_to_admins(
    desk: dict[str, Any], agent: User, lead: User, admin: User
) -> None:
    contact = desk["contact"]
    page = f"/contacts/{contact.pk}/"
    shown = {user.username: logged_in(user).get(page).content.decode() for user in (agent, lead, admin)}
    assert all("h_u1" in html and f"#{desk['first'].pk}" in html for html in shown.values())
    assert ["Export all data" in shown[u] for u in ("alice", "lena", "ada")] == [False, True, True]
    assert ["Erase this contact" in shown[u] for u in ("alice", "lena", "ada")] == [False, False, True]
    conversation = logged_in(agent).get(f"/c/{desk['first'].pk}/").content.decode()
    assert f'href="/contacts/{contact.pk}/"' in conversation


def test_a_lead_downloads_the_export_and_an_agent_is_refused(
    desk: dict[str, Any], agent: User, lead: User
) -> None:
    contact = desk["contact"]
    url = f"/contacts/{contact.pk}/export/"
    refused = logged_in(agent).post(url)
    assert refused.status_code == 403
    assert "only a lead or an admin exports a contact" in refused.content.decode()
    assert AuditEntry.objects.count() == 0
    response = logged_in(lead).post(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="contact-{contact.pk}.json"'
    assert json.loads(response.content)["counts"] == COUNTS
    assert list(AuditEntry.objects.values_list("action", "actor_name", "contact_id")) == [
        ("export", "lena", contact.pk)
    ]


def test_erasing_on_the_web_takes_a_confirmation(desk: dict[str, Any], lead: User, admin: User) -> None:
    contact = desk["contact"]
    url = f"/contacts/{contact.pk}/erase/"
    before = _texts()
    confirm = logged_in(admin).get(url)
    assert confirm.status_code == 200 and "This cannot be undone." in confirm.content.decode()
    wrong = logged_in(admin).post(url, {"confirm": "yes"})
    assert wrong.status_code == 422
    assert f"({contact.pk}) to confirm: nothing was erased" in wrong.content.decode()
    assert logged_in(lead).post(url, {"confirm": str(contact.pk)}).status_code == 403
    assert _texts() == before and AuditEntry.objects.count() == 0
    done = logged_in(admin).post(url, {"confirm": str(contact.pk)})
    assert (done.status_code, done["Location"]) == (302, f"/contacts/{contact.pk}/")
    assert FIRST not in _texts()
    page = logged_in(admin).get(f"/contacts/{contact.pk}/").content.decode()
    assert f"erased-contact-{contact.pk}" in page and "Contact erased by ada" in page


def test_another_workspace_gets_404_on_every_page(desk: dict[str, Any], other_workspace: Any) -> None:
    stranger = create_user("gus", "globex admin passphrase")
    add_member(other_workspace, stranger, Role.ADMIN)
    contact = desk["contact"]
    client = logged_in(stranger)
    base = f"/contacts/{contact.pk}/"
    assert [client.get(base).status_code, client.get(base + "erase/").status_code] == [404, 404]
    assert client.post(base + "export/").status_code == 404
    assert client.post(base + "erase/", {"confirm": str(contact.pk)}).status_code == 404
    api = f"/api/workspaces/acme/contacts/{contact.pk}/"
    assert client.post(api + "export").status_code == 404
    assert client.post(api + "erase").status_code == 404
    assert client.post(f"/api/workspaces/globex/contacts/{contact.pk}/export").status_code == 404
    assert AuditEntry.objects.count() == 0 and FIRST in _texts()


def test_the_api_exports_and_erases(desk: dict[str, Any], agent: User, lead: User, admin: User) -> None:
    contact = desk["contact"]
    api = f"/api/workspaces/acme/contacts/{contact.pk}/"
    assert logged_in(agent).post(api + "export").json() == {
        "detail": "only a lead or an admin exports a contact's data",
        "code": "forbidden",
    }
    assert logged_in(lead).post(api + "erase").status_code == 403
    assert AuditEntry.objects.count() == 0
    exported = logged_in(lead).post(api + "export")
    assert (exported.status_code, exported.json()["counts"]) == (200, COUNTS)
    erased = logged_in(admin).post(api + "erase")
    assert erased.status_code == 200
    assert erased.json() == {
        "contact_id": contact.pk,
        "pseudonym": f"erased-contact-{contact.pk}",
        "counts": ERASED,
    }
    again = logged_in(admin).post(api + "erase")
    assert (again.status_code, again.json()["code"]) == (409, "already_erased")
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor_name")) == [
        ("export", "lena"),
        ("erase", "ada"),
    ]


def test_the_commands_export_to_a_file_and_erase_after_confirmation(
    desk: dict[str, Any], agent: User, tmp_path: Path
) -> None:
    contact = desk["contact"]
    runner = CliRunner()
    out = tmp_path / "contact.json"
    written = runner.invoke(
        app, ["privacy", "export", str(contact.pk), "--workspace", "acme", "-o", str(out)]
    )
    assert written.exit_code == 0, written.output
    assert json.loads(out.read_text(encoding="utf-8"))["counts"] == COUNTS
    printed = runner.invoke(app, ["privacy", "export", str(contact.pk), "--workspace", "acme"])
    assert json.loads(printed.stdout)["contact"]["id"] == contact.pk
    refused = runner.invoke(
        app, ["privacy", "erase", str(contact.pk), "--workspace", "acme", "--by", "alice", "--yes"]
    )
    assert (refused.exit_code, refused.output.strip()) == (1, "error: only an admin erases a contact")
    cancelled = runner.invoke(
        app, ["privacy", "erase", str(contact.pk), "--workspace", "acme"], input="12345\n"
    )
    assert cancelled.exit_code == 1 and FIRST in _texts()
    erased = runner.invoke(
        app, ["privacy", "erase", str(contact.pk), "--workspace", "acme"], input=f"{contact.pk}\n"
    )
    assert erased.exit_code == 0, erased.output
    assert f"contact {contact.pk} erased, now erased-contact-{contact.pk}" in erased.output
    assert FIRST not in _texts()
    assert Contact.objects.get(pk=contact.pk).erased_at is not None
    who = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_name"))
    assert [action for action, _ in who] == ["export", "export", "erase"]
    assert all(name.startswith("command line") for _, name in who)
