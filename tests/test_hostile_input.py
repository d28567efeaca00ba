"""Hostile and messy input (issue #12, points 4–9): each test sends what an attacker or a careless paste would
and asserts the status code and that nothing changed that should not have."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from core import exports
from tests.helpers import mails_leave
from tests.membres.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://exemple.org/vol","clic")'


# --- 5. Exports are inert -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_neutralised(prefix):
    assert exports.inert(prefix + "1+1") == "'" + prefix + "1+1"
    assert exports.inert("Nadia") == "Nadia"
    assert exports.inert(3) == 3


def test_directory_csv_neutralises_a_formula_in_a_first_name(coordinator_client, collectif, institution):
    MembershipFactory(collectif=collectif, institution=institution, user=UserFactory(first_name=FORMULA))
    response = coordinator_client.get(reverse("membres:annuaire_csv", kwargs={"collectif_slug": collectif.slug}))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    first_names = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in first_names
    assert FORMULA not in first_names


def test_vcard_strips_carriage_returns_and_line_feeds(coordinator_client, collectif, institution):
    MembershipFactory(
        collectif=collectif,
        institution=institution,
        function="CPE\rEMAIL:pirate@exemple.org\nTEL:0",
        user=UserFactory(first_name="Ana\r\nNOTE:x", last_name="Sol\rX"),
    )
    response = coordinator_client.get(reverse("membres:annuaire_vcard", kwargs={"collectif_slug": collectif.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    for line in body.split("\r\n"):
        assert "\r" not in line and "\n" not in line
    assert "\nEMAIL:pirate" not in body and "\rEMAIL:pirate" not in body
    assert "TITLE:CPE\\nEMAIL:pirate@exemple.org\\nTEL:0" in body


def test_open_data_csv_neutralises_a_formula_title(client):
    from tests.fiches_experience.factories import FicheFactory

    FicheFactory(title="@SUM(A1)", published=True)
    response = client.get(reverse("fiches_experience:export_csv"))
    assert response.status_code == 200
    assert "'@SUM(A1)" in response.content.decode("utf-8-sig")


def test_actions_ods_neutralises_formulas(member_client, collectif):
    from odf.opendocument import load
    from odf.table import TableRow

    from tests.actions.factories import ActionFactory

    ActionFactory(collectif=collectif, title="+cmd|' /C calc'!A0")
    response = member_client.get(reverse("actions:export_ods", kwargs={"collectif_slug": collectif.slug}))
    assert response.status_code == 200
    rows = load(io.BytesIO(response.content)).spreadsheet.getElementsByType(TableRow)
    assert "'+cmd" in str(rows[1])


# --- 6. Bounded work -----------------------------------------------------------------------------------------


def test_charte_longer_than_the_limit_is_refused(coordinator_client, collectif, coordinator):
    from collectifs.models import CHARTE_MAX_LENGTH, CharteVersion

    url = reverse("collectifs:charte_edit", kwargs={"collectif_slug": collectif.slug})
    response = coordinator_client.post(url, {"text": "mot " * (CHARTE_MAX_LENGTH // 4 + 1)})
    assert response.status_code == 200
    assert "au plus" in response.content.decode() or "caractères" in response.content.decode()
    assert not CharteVersion.objects.filter(collectif=collectif).exists()


def test_charte_diff_is_computed_once_when_the_version_is_saved(member_client, collectif, coordinator, monkeypatch):
    from collectifs import diff
    from collectifs.models import CharteVersion
    from collectifs.services import charte_edit

    charte_edit(collectif=collectif, text="Les partenaires se réunissent trois fois par an.", by=coordinator)
    charte_edit(collectif=collectif, text="Les partenaires se réunissent quatre fois par an.", by=coordinator)
    assert CharteVersion.objects.get(collectif=collectif, number=2).diff is not None

    def no_diff(*args, **kwargs):
        raise AssertionError("the charte page recomputed the diff")

    monkeypatch.setattr(diff, "text_diff", no_diff)
    response = member_client.get(reverse("collectifs:charte", kwargs={"collectif_slug": collectif.slug}))
    assert response.status_code == 200
    assert "quatre" in response.content.decode().split("<ins>", 1)[1]


def test_charte_diff_of_large_unrelated_texts_is_bounded():
    import time

    from collectifs.diff import text_diff

    old = "\n\n".join(f"paragraphe {i} " + "alpha beta gamma " * 40 for i in range(80))
    new = "\n\n".join(f"section {i} " + "delta epsilon " * 50 for i in range(80))
    start = time.perf_counter()
    paragraphs = text_diff(old, new)
    assert time.perf_counter() - start < 2
    assert paragraphs


@pytest.mark.parametrize("version", ["99999999999999999999", "-1", "abc", "0"])
def test_charte_with_a_crafted_version_number_shows_the_current_one(member_client, collectif, coordinator, version):
    from collectifs.services import charte_edit

    charte_edit(collectif=collectif, text="Texte en vigueur.", by=coordinator)
    url = reverse("collectifs:charte", kwargs={"collectif_slug": collectif.slug})
    response = member_client.get(url, {"version": version})
    assert response.status_code == 200
    assert "Texte en vigueur." in response.content.decode()


def _import_url(collectif):
    return reverse("restitutions:import", kwargs={"collectif_slug": collectif.slug})


def test_restitution_paste_of_too_many_lines_is_refused_and_the_text_kept(member_client, collectif):
    from restitutions.forms import MAX_IMPORT_LINES
    from restitutions.models import Restitution

    text = "Questions vives\n" + "\n".join(f"- Point numéro {i}." for i in range(MAX_IMPORT_LINES + 50))
    response = member_client.post(_import_url(collectif), {"step": "analyse", "text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"un import en accepte au plus {MAX_IMPORT_LINES}" in html
    assert "Point numéro 299." in html  # the paste is still in the text box
    assert not Restitution.objects.exists()


def test_restitution_paste_longer_than_the_cap_is_refused(member_client, collectif):
    from restitutions.forms import MAX_PASTE_CHARS
    from restitutions.models import Restitution

    response = member_client.post(_import_url(collectif), {"step": "analyse", "text": "x" * (MAX_PASTE_CHARS + 1)})
    assert response.status_code == 200
    assert "caractères" in response.content.decode()
    assert not Restitution.objects.exists()


def test_restitution_review_with_more_than_200_points_keeps_the_work(member_client, collectif):
    from restitutions.models import Restitution
    from restitutions.services import MAX_POINTS

    lines = MAX_POINTS + 10
    data = {"step": "save", "line_count": str(lines), "free_count": "0", "title": "Atelier"}
    for i in range(lines):
        data[f"line_{i}_text"] = f"Constat relu numéro {i}"
        data[f"line_{i}_section"] = "constats"
    response = member_client.post(_import_url(collectif), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"au plus {MAX_POINTS} points" in html
    assert f"Constat relu numéro {lines - 1}" in html
    assert not Restitution.objects.exists()


@pytest.mark.parametrize("count", ["abc", "-5", "99999999999999999999999"])
def test_restitution_review_with_a_crafted_line_count_answers_200(member_client, collectif, count):
    from restitutions.models import Restitution

    data = {"step": "save", "line_count": count, "free_count": count, "title": ""}
    response = member_client.post(_import_url(collectif), data)
    assert response.status_code == 200
    assert not Restitution.objects.exists()


def test_public_fiche_pdf_is_printed_once_per_content(client, monkeypatch):
    from django.core.files.storage import default_storage

    from core import pdf
    from fiches_experience.models import FicheExperience
    from tests.fiches_experience.factories import FicheFactory

    fiche = FicheFactory(published=True)
    printed = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: printed.append(html) or b"%PDF-1.7 fiche\n%%EOF\n")
    url = reverse("fiches_experience:pdf", kwargs={"slug": fiche.slug})
    assert client.get(url).content == b"%PDF-1.7 fiche\n%%EOF\n"
    assert client.get(url).status_code == 200
    assert len(printed) == 1
    FicheExperience.objects.filter(pk=fiche.pk).update(title="Un titre corrigé")
    assert client.get(url).status_code == 200
    assert len(printed) == 2
    _, files = default_storage.listdir("fiches/pdf")
    assert len(files) == 1  # the PDF of the former content is gone


def test_anonymous_fiche_pdf_requests_are_rate_limited_per_ip(client, settings, monkeypatch, member):
    from core import pdf
    from tests.fiches_experience.factories import FicheFactory

    settings.PUBLIC_PDF_RATE_LIMIT = (2, 60)
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.7")
    url = reverse("fiches_experience:pdf", kwargs={"slug": FicheFactory(published=True).slug})
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert "Trop de PDF demandés" in response.content.decode()
    assert client.get(url, REMOTE_ADDR="192.0.2.9").status_code == 200  # another visitor
    client.force_login(member)
    assert client.get(url).status_code == 200  # signed-in people are not limited


# --- 4. Consent and erasure ----------------------------------------------------------------------------------


def _handover(coordinator_client, collectif, membership, email):
    from membres.models import Niveau

    url = reverse("membres:membership_handover", kwargs={"collectif_slug": collectif.slug, "pk": membership.pk})
    data = {"successor_email": email, "function": "CPE", "niveau": Niveau.TERRAIN, "role": "member"}
    return coordinator_client.post(url, data, follow=True)


def test_handover_to_an_existing_account_does_not_make_them_a_member(
    coordinator_client, collectif, institution, member
):
    from membres.models import MemberInvitation, Membership

    stranger = UserFactory(email="inconnue@exemple.org", phone="06 12 34 56 78")
    membership = Membership.objects.get(user=member, collectif=collectif)
    response = _handover(coordinator_client, collectif, membership, stranger.email)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=stranger).exists()
    assert MemberInvitation.objects.get(email=stranger.email).accepted_at is None
    csv_body = coordinator_client.get(
        reverse("membres:annuaire_csv", kwargs={"collectif_slug": collectif.slug})
    ).content.decode("utf-8-sig")
    assert "06 12 34 56 78" not in csv_body


def test_handover_answers_the_same_whether_or_not_an_account_exists(coordinator_client, collectif, institution):
    UserFactory(email="compte@exemple.org")
    first = MembershipFactory(collectif=collectif, institution=institution)
    second = MembershipFactory(collectif=collectif, institution=institution)

    with mails_leave():
        with_account = _handover(coordinator_client, collectif, first, "compte@exemple.org")
        without = _handover(coordinator_client, collectif, second, "personne@exemple.org")
    assert with_account.status_code == without.status_code == 200
    said_with = [
        str(m).replace("compte@exemple.org", "X").replace(first.display_name, "Y")
        for m in with_account.context["messages"]
    ]
    said_without = [
        str(m).replace("personne@exemple.org", "X").replace(second.display_name, "Y")
        for m in without.context["messages"]
    ]
    assert said_with == said_without
    assert sorted(m.to[0] for m in mail.outbox) == ["compte@exemple.org", "personne@exemple.org"]  # both invited


def test_deleting_an_account_erases_its_address_from_invitations(
    coordinator_client, collectif, institution, member, client
):
    from membres.models import MemberInvitation
    from tests.membres.test_invitations import _invite

    assert _invite(coordinator_client, collectif, institution, email="nouvelle@exemple.org").status_code == 302
    accepted = MemberInvitation.objects.get(email="nouvelle@exemple.org")
    invitations_url = reverse("membres:invitations", kwargs={"collectif_slug": collectif.slug})
    assert "nouvelle@exemple.org" in coordinator_client.get(invitations_url).content.decode()
    newcomer = UserFactory(email="nouvelle@exemple.org")
    from membres.services import invitation_accept

    invitation_accept(invitation=accepted, by=newcomer)
    client.force_login(newcomer)
    response = client.post(reverse("membres:profil_delete"), {"email": newcomer.email})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.email == ""
    assert not MemberInvitation.objects.filter(email__iexact="nouvelle@exemple.org").exists()
    # The invitation e-mail kept in the outbox loses the address and its text too.
    from core.models import OutboxMessage

    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.filter(to__iexact="nouvelle@exemple.org").exists()
    assert not OutboxMessage.objects.filter(body__icontains="nouvelle@exemple.org").exists()
    page = coordinator_client.get(reverse("membres:invitations", kwargs={"collectif_slug": collectif.slug}))
    assert page.status_code == 200
    assert "nouvelle@exemple.org" not in page.content.decode()
    assert "Adresse effacée" in page.content.decode()


def test_personal_data_export_includes_what_the_person_wrote_or_answered(member_client, member, collectif):
    import json

    from membres.models import Membership
    from reunions.models import Invitation, MinutesComment, PollVote
    from tests.actions.factories import ActionFactory, JournalEntryFactory
    from tests.reunions.factories import DatePollFactory, PollSlotFactory, ReunionFactory

    membership = Membership.objects.get(user=member, collectif=collectif)
    JournalEntryFactory(action=ActionFactory(collectif=collectif), author=member, text="Étape franchie")
    reunion = ReunionFactory(collectif=collectif, title="Plénière de mars")
    Invitation.objects.create(
        reunion=reunion, membership=membership, response="present", attendance="present", responded_at=None
    )
    slot = PollSlotFactory(poll=DatePollFactory(reunion=ReunionFactory(collectif=collectif, title="À planifier")))
    PollVote.objects.create(slot=slot, membership=membership, answer="oui")
    from reunions.models import Minutes

    minutes = Minutes.objects.create(reunion=reunion)
    MinutesComment.objects.create(minutes=minutes, author=member, body="Une précision sur le point 2")
    from tests.reunions.factories import QuestionnaireFactory, QuestionnaireInviteFactory, ReponseFactory

    questionnaire = QuestionnaireFactory(reunion=reunion)
    QuestionnaireInviteFactory(questionnaire=questionnaire, membership=membership, used=True)
    ReponseFactory(questionnaire=questionnaire, comment="Mon avis anonyme")

    response = member_client.get(reverse("membres:profil_export"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["entrees_de_journal"][0]["texte"] == "Étape franchie"
    assert data["reunions_reponses_et_presences"][0]["presence"] == "Présent"
    assert data["votes_de_sondage"][0]["reponse"] == "Oui"
    assert data["commentaires_de_comptes_rendus"][0]["commentaire"] == "Une précision sur le point 2"
    assert data["questionnaires_recus"] == [{"reunion": "Plénière de mars", "lien_utilise": True}]
    assert "Mon avis anonyme" not in response.content.decode()  # tied to no one, in no one's export


@pytest.mark.parametrize("name", ["core:mentions_legales", "core:confidentialite", "core:accessibilite"])
def test_legal_pages_are_public_and_linked_from_the_footer(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f'href="{reverse(name)}"' in response.content.decode()


def test_privacy_policy_says_what_is_kept_why_how_long_and_who_to_ask(client):
    html = client.get(reverse("core:confidentialite")).content.decode()
    for heading in ("Ce que la plateforme conserve", "Pourquoi", "Pendant combien de temps", "Vos droits"):
        assert f"<h2>{heading}</h2>" in html


def test_a_superuser_edits_a_legal_page_and_its_text_is_escaped(superuser, client):
    from core.models import LegalPage

    client.force_login(superuser)
    add = reverse("admin:core_legalpage_add")
    assert "Défenseur des droits" in client.get(add + "?slug=accessibilite").content.decode()
    response = client.post(add, {"slug": "mentions-legales", "body": "## Éditeur\nMairie <script>alert(1)</script>"})
    assert response.status_code == 302
    assert LegalPage.objects.get(slug="mentions-legales")
    html = client.get(reverse("core:mentions_legales")).content.decode()
    assert "<h2>Éditeur</h2>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_only_superusers_see_legal_pages_in_the_admin(crpv_editor, client):
    crpv_editor.is_staff = True
    crpv_editor.save(update_fields=["is_staff"])
    client.force_login(crpv_editor)
    assert client.get(reverse("admin:core_legalpage_changelist")).status_code == 403


# --- 7. Frozen means frozen ----------------------------------------------------------------------------------


def test_a_published_restitution_cannot_be_deleted_even_by_a_direct_post(coordinator_client, collectif):
    from restitutions.models import Restitution
    from tests.restitutions.factories import RestitutionFactory

    published = RestitutionFactory(collectif=collectif, published=True)
    url = reverse("restitutions:delete", kwargs={"collectif_slug": collectif.slug, "pk": published.pk})
    response = coordinator_client.post(url)
    assert response.status_code == 403
    assert "dépubliez-la d&#x27;abord" in response.content.decode()
    assert Restitution.objects.filter(pk=published.pk).exists()


def test_a_member_cannot_delete_someone_elses_draft(member_client, collectif, coordinator):
    from restitutions.models import Restitution
    from tests.restitutions.factories import RestitutionFactory

    draft = RestitutionFactory(collectif=collectif, created_by=coordinator)
    url = reverse("restitutions:delete", kwargs={"collectif_slug": collectif.slug, "pk": draft.pk})
    assert member_client.post(url).status_code == 403
    assert Restitution.objects.filter(pk=draft.pk).exists()


def test_a_member_deletes_their_own_draft(member_client, collectif, member):
    from restitutions.models import Restitution
    from tests.restitutions.factories import RestitutionFactory

    draft = RestitutionFactory(collectif=collectif, created_by=member)
    url = reverse("restitutions:delete", kwargs={"collectif_slug": collectif.slug, "pk": draft.pk})
    assert member_client.post(url).status_code == 302
    assert not Restitution.objects.filter(pk=draft.pk).exists()


# --- 8. No 500 on crafted input ------------------------------------------------------------------------------

LONG_SEARCH = " ".join(f"mot{i}" for i in range(2000))
PAGES = ["abc", "-1", "0", "99999999999999999999999", "1e9", "%00"]


@pytest.mark.parametrize("page_number", PAGES)
@pytest.mark.parametrize(
    "name", ["membres:annuaire", "actions:list", "reunions:list", "restitutions:list", "membres:invitations"]
)
def test_crafted_page_numbers_answer_200(coordinator_client, collectif, name, page_number):
    response = coordinator_client.get(reverse(name, kwargs={"collectif_slug": collectif.slug}), {"page": page_number})
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["membres:annuaire", "actions:list", "membres:annuaire_csv", "actions:export_csv"])
def test_a_2000_word_search_answers_at_once(coordinator_client, collectif, name):
    import time

    start = time.perf_counter()
    response = coordinator_client.get(reverse(name, kwargs={"collectif_slug": collectif.slug}), {"q": LONG_SEARCH})
    assert response.status_code in (200, 400)
    assert time.perf_counter() - start < 3


def test_directory_search_uses_its_first_words(coordinator_client, collectif, member):
    url = reverse("membres:annuaire", kwargs={"collectif_slug": collectif.slug})
    response = coordinator_client.get(url, {"q": "Haddad" + " CPE" * 30})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nadia" in html and "Sophie" not in html


@pytest.mark.parametrize("page_number", PAGES)
def test_public_catalogue_with_crafted_search_and_page(client, page_number):
    response = client.get(reverse("fiches_experience:catalogue"), {"q": LONG_SEARCH, "page": page_number})
    assert response.status_code in (200, 400)


# --- 9. Secrets stay secret ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "crpv_editor"])
def test_privileged_accounts_must_set_up_totp_before_using_the_site(client, settings, request, who, collectif):
    from allauth.mfa.models import Authenticator

    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    user = request.getfixturevalue(who)
    client.force_login(user)
    for url in (reverse("home"), reverse("fiches_experience:editor_list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("core:confidentialite")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)  # set-up (may ask the password)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("fiches_experience:editor_list")).status_code == 200


def test_members_are_not_forced_to_set_up_totp(member_client, settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    assert member_client.get(reverse("home")).status_code == 200


def test_mfa_is_required_by_default_outside_development():
    from config.settings import base

    assert base.MFA_REQUIRED_FOR_PRIVILEGED is True


@pytest.mark.parametrize(
    "line",
    [
        "GET /reunions/reponse/AbC123-secret_tok/?reponse=present HTTP/1.1",
        "GET /calendrier/AbC123-secret_tok.ics HTTP/1.1",
        "GET /calendrier/AbC123-secret_tok/villefontaine.ics HTTP/1.1",
        "Not Found: /invitation/AbC123-secret_tok/",
        "POST /questionnaire/AbC123-secret_tok/ HTTP/1.1",
        "GET /inscription/confirmer/AbC123-secret_tok/ HTTP/1.1",
        "GET /inscription/annuler/AbC123-secret_tok/ HTTP/1.1",
        "GET /compte/password/reset/key/AbC123-secret_tok/ HTTP/1.1",
        "broker redis://:AbC123-secret_tok@redis:6379/0 is down",
        "GET /fiches/?token=AbC123-secret_tok HTTP/1.1",
    ],
)
def test_log_lines_lose_their_secrets(line):
    from core.logmask import mask

    masked = mask(line)
    assert "AbC123-secret_tok" not in masked
    assert "***" in masked


def test_the_console_handler_masks_every_record():
    import logging

    from core.logmask import SecretsFilter

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/calendrier/s3cr3t.ics",), None
    )
    SecretsFilter().filter(record)
    assert "s3cr3t" not in record.getMessage()
    from django.conf import settings

    assert "secrets" in settings.LOGGING["handlers"]["console"]["filters"]


def test_gunicorn_access_log_masks_token_paths():
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    from core.logmask import GunicornLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/reunions/reponse/s3cr3t/?reponse=present",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/reunions/reponse/s3cr3t/",
        "QUERY_STRING": "reponse=present",
        "HTTP_REFERER": "https://exemple.org/calendrier/s3cr3t.ics",
    }
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10)
    req = SimpleNamespace(headers=[("REFERER", "https://exemple.org/calendrier/s3cr3t.ics")])
    atoms = GunicornLogger(Config()).atoms(resp, req, environ, datetime.timedelta(seconds=0.1))
    assert "s3cr3t" not in " ".join(str(v) for v in atoms.values())


def test_health_check_never_logs_the_broker_password(monkeypatch, caplog):
    from celery import current_app

    from core import health

    monkeypatch.setattr(current_app.conf, "broker_url", "redis://:motdepasse-du-broker@127.0.0.1:1/0")

    def refuse(*args, **kwargs):
        raise ConnectionError("refused")

    monkeypatch.setattr(current_app, "connection_for_write", refuse)
    with caplog.at_level("ERROR"):
        assert health.broker_ok() is False
    assert "motdepasse-du-broker" not in caplog.text


def _membership(user, collectif):
    from membres.models import Membership

    return Membership.objects.get(user=user, collectif=collectif)


def _adopted_reunion(collectif):
    from reunions.models import Minutes
    from tests.reunions.factories import DecisionFactory, ReunionFactory

    reunion = ReunionFactory(collectif=collectif, past=True)
    Minutes.objects.create(reunion=reunion, status=Minutes.Status.ADOPTED, version=1)
    return reunion, DecisionFactory(reunion=reunion, text="Organiser un forum des métiers", position=1)


def test_decisions_of_adopted_minutes_cannot_be_added_by_a_direct_post(coordinator_client, collectif):
    reunion, _ = _adopted_reunion(collectif)
    url = reverse("reunions:decision_add", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    response = coordinator_client.post(url, {"text": "Une décision ajoutée après coup"})
    assert response.status_code == 403
    assert list(reunion.decisions.values_list("text", flat=True)) == ["Organiser un forum des métiers"]


def test_decisions_of_adopted_minutes_cannot_be_deleted_by_a_direct_post(coordinator_client, collectif):
    reunion, decision = _adopted_reunion(collectif)
    kwargs = {"collectif_slug": collectif.slug, "pk": reunion.pk, "decision_pk": decision.pk}
    response = coordinator_client.post(reverse("reunions:decision_delete", kwargs=kwargs))
    assert response.status_code == 403
    assert reunion.decisions.filter(pk=decision.pk).exists()
    page = coordinator_client.get(
        reverse("reunions:minutes", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    )
    assert "Retirer" not in page.content.decode()


def test_a_decision_that_opened_an_action_is_not_deleted(coordinator_client, collectif):
    from tests.actions.factories import ActionFactory
    from tests.reunions.factories import DecisionFactory, ReunionFactory

    reunion = ReunionFactory(collectif=collectif, past=True)
    decision = DecisionFactory(reunion=reunion, position=1)
    action = ActionFactory(collectif=collectif, origin=decision)
    kwargs = {"collectif_slug": collectif.slug, "pk": reunion.pk, "decision_pk": decision.pk}
    assert coordinator_client.post(reverse("reunions:decision_delete", kwargs=kwargs)).status_code == 403
    action.refresh_from_db()
    assert action.origin_id == decision.pk


def test_adopted_minutes_are_cleaned_again_when_shown(member_client, collectif):
    from reunions.models import Minutes, MinutesVersion
    from tests.reunions.factories import ReunionFactory

    reunion = ReunionFactory(collectif=collectif, past=True)
    minutes = Minutes.objects.create(reunion=reunion, status=Minutes.Status.ADOPTED, version=1)
    MinutesVersion.objects.create(
        minutes=minutes,
        number=1,
        html='<section><h3>Point</h3><p onclick="x()">Texte</p><script>alert(1)</script></section>',
    )
    html = member_client.get(
        reverse("reunions:minutes", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    ).content.decode()
    assert "<h3>Point</h3>" in html and "Texte" in html
    assert "<script>alert(1)" not in html and "onclick" not in html


def _rsvp(client, invitation, method="post"):
    from reunions.emails import rsvp_token

    url = reverse("reunions:rsvp", kwargs={"token": rsvp_token(invitation, "excuse")})
    return getattr(client, method)(url)


def _assert_refused(response, invitation):
    from reunions.models import Invitation

    assert response.status_code == 410
    assert "ne fonctionne plus" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.PENDING


def test_rsvp_link_stops_working_after_the_meeting(client, collectif, member):
    from tests.reunions.factories import InvitationFactory, ReunionFactory

    invitation = InvitationFactory(
        reunion=ReunionFactory(collectif=collectif, past=True), membership=_membership(member, collectif)
    )
    _assert_refused(_rsvp(client, invitation), invitation)
    _assert_refused(_rsvp(client, invitation, "get"), invitation)


def test_rsvp_link_stops_working_when_the_membership_ends(client, collectif, member):
    import datetime

    from tests.reunions.factories import InvitationFactory, ReunionFactory

    membership = _membership(member, collectif)
    invitation = InvitationFactory(reunion=ReunionFactory(collectif=collectif), membership=membership)
    membership.left_on = datetime.date.today()
    membership.save(update_fields=["left_on"])
    _assert_refused(_rsvp(client, invitation), invitation)


def test_rsvp_link_does_not_work_for_a_guest(client, collectif, guest):
    from tests.reunions.factories import InvitationFactory, ReunionFactory

    invitation = InvitationFactory(
        reunion=ReunionFactory(collectif=collectif), membership=_membership(guest, collectif)
    )
    _assert_refused(_rsvp(client, invitation), invitation)


def test_rsvp_link_of_an_older_version_stops_working_when_the_meeting_moved(client, collectif, member, coordinator):
    import datetime

    from reunions.emails import rsvp_token
    from reunions.models import Invitation
    from tests.reunions.factories import InvitationFactory, ReunionFactory

    reunion = ReunionFactory(collectif=collectif)
    invitation = InvitationFactory(reunion=reunion, membership=_membership(member, collectif))
    old = reverse("reunions:rsvp", kwargs={"token": rsvp_token(invitation, "present")})
    reunion.starts_at += datetime.timedelta(days=7)
    reunion.ends_at += datetime.timedelta(days=7)
    reunion.sequence += 1
    reunion.save(update_fields=["starts_at", "ends_at", "sequence"])
    _assert_refused(client.post(old), invitation)
    invitation.refresh_from_db()
    current = reverse("reunions:rsvp", kwargs={"token": rsvp_token(invitation, "present")})
    assert client.post(current).status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.PRESENT


def test_former_members_get_no_update_or_cancellation_email(
    collectif, member, coordinator, django_capture_on_commit_callbacks
):
    import datetime

    from reunions.services.reunions import reunion_cancel
    from tests.reunions.factories import InvitationFactory, ReunionFactory

    reunion = ReunionFactory(collectif=collectif)
    InvitationFactory(reunion=reunion, membership=_membership(coordinator, collectif))
    former = _membership(member, collectif)
    InvitationFactory(reunion=reunion, membership=former)
    former.left_on = datetime.date.today()
    former.save(update_fields=["left_on"])
    with django_capture_on_commit_callbacks(execute=True):
        reunion_cancel(reunion=reunion, by=coordinator)
    recipients = [address for message in mail.outbox for address in message.to]
    assert coordinator.email in recipients
    assert member.email not in recipients


@pytest.mark.parametrize("mois", ["9999-12", "1-1", "0-0", "2025-13", "abc", "2025-1-1", "-1--1", "9" * 50])
def test_month_view_with_a_crafted_month_shows_a_month(member_client, collectif, mois):
    url = reverse("reunions:month", kwargs={"collectif_slug": collectif.slug})
    response = member_client.get(url, {"mois": mois})
    assert response.status_code == 200


def test_month_view_keeps_a_valid_month(member_client, collectif):
    url = reverse("reunions:month", kwargs={"collectif_slug": collectif.slug})
    assert "2031-04" in member_client.get(url, {"mois": "2031-05"}).content.decode()  # link to the previous month


@pytest.mark.parametrize("slot", ["abc", "", "-1", "1.5", "9" * 40])
def test_choosing_a_crafted_poll_slot_answers_400(coordinator_client, collectif, slot):
    from reunions.models import DatePoll, Reunion
    from tests.reunions.factories import DatePollFactory, PollSlotFactory, ReunionFactory

    reunion = ReunionFactory(collectif=collectif, unscheduled=True)
    poll = DatePollFactory(reunion=reunion)
    PollSlotFactory(poll=poll)
    url = reverse("reunions:poll_choose", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    response = coordinator_client.post(url, {"slot": slot})
    assert response.status_code in (400, 404)
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.OPEN and poll.chosen_slot_id is None
    assert Reunion.objects.get(pk=reunion.pk).status == Reunion.Status.TO_SCHEDULE


@pytest.mark.parametrize(
    "query",
    [
        {"cycle": "9" * 30, "reunion": "9" * 30},
        {"cycle": "abc", "reunion": "-1"},
    ],
)
def test_restitution_form_ignores_crafted_prefill_ids(member_client, collectif, query):
    url = reverse("restitutions:create", kwargs={"collectif_slug": collectif.slug})
    assert member_client.get(url, query).status_code == 200


@pytest.mark.parametrize("annee", ["9999", "0000", "abcd", "2024-2025-2026", "9" * 40])
def test_indicators_with_a_crafted_school_year(member_client, collectif, annee):
    url = reverse("actions:indicateurs", kwargs={"collectif_slug": collectif.slug})
    assert member_client.get(url, {"annee": annee}).status_code == 200


@pytest.mark.parametrize("name", ["reunions:detail", "actions:detail", "restitutions:detail"])
def test_an_id_beyond_64_bits_answers_404(member_client, collectif, name):
    url = reverse(name, kwargs={"collectif_slug": collectif.slug, "pk": 10**25})
    assert member_client.get(url).status_code == 404


def test_calendar_tokens_are_stored_hashed_shown_once_and_revocable(member_client, client, collectif, member):
    import re

    from reunions.models import CalendarToken

    page_url = reverse("reunions:calendar", kwargs={"collectif_slug": collectif.slug})
    new_url = reverse("reunions:calendar_revoke", kwargs={"collectif_slug": collectif.slug})
    assert ".ics" not in member_client.get(page_url).content.decode()
    created = member_client.post(new_url)
    assert created.status_code == 200
    token = re.search(r"/calendrier/([^/]+)\.ics", created.content.decode()).group(1)
    row = CalendarToken.objects.get(user=member, revoked_at__isnull=True)
    assert row.token_hash != token and token not in row.token_hash
    assert token not in member_client.get(page_url).content.decode()  # shown once
    feed = reverse("reunions:feed_personal", kwargs={"token": token})
    assert client.get(feed).status_code == 200
    member_client.post(new_url, {"action": "revoke"})
    assert client.get(feed).status_code == 404
    assert not CalendarToken.objects.filter(user=member, revoked_at__isnull=True).exists()


def test_a_stolen_token_hash_opens_no_feed(client, member):
    from reunions.models import CalendarToken
    from reunions.services.feeds import calendar_token_new

    calendar_token_new(by=member)
    stolen = CalendarToken.objects.get(user=member).token_hash
    assert client.get(reverse("reunions:feed_personal", kwargs={"token": stolen})).status_code == 404


def test_every_configured_log_handler_masks_secrets():
    from django.conf import settings

    logging_config = settings.LOGGING
    assert all("secrets" in h.get("filters", []) for h in logging_config["handlers"].values())
    assert logging_config["loggers"]["django.server"]["handlers"] == ["console"]


def test_every_spreadsheet_export_goes_through_core_exports():
    """One shared function makes cells inert: no other module writes CSV or ODS itself."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    apps = ["core", "collectifs", "membres", "reunions", "actions", "fiches_experience", "restitutions"]
    offenders = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if path != root / "core" / "exports.py"
        and any(
            needle in path.read_text() for needle in ("csv.writer(", "csv.DictWriter(", "OpenDocumentSpreadsheet(")
        )
    ]
    assert offenders == []


def test_a_review_at_the_line_cap_stays_under_djangos_field_limit(member_client, collectif):
    from restitutions.forms import IGNORE, MAX_IMPORT_LINES
    from restitutions.models import Restitution

    data = {"step": "save", "line_count": str(MAX_IMPORT_LINES), "free_count": "0", "title": "Atelier long"}
    for i in range(MAX_IMPORT_LINES):
        data[f"line_{i}_text"] = f"Ligne relue {i}"
        data[f"line_{i}_section"] = "constats" if i < 150 else IGNORE
    response = member_client.post(_import_url(collectif), data)
    assert response.status_code == 302
    assert Restitution.objects.get(title="Atelier long").points.count() == 150


def test_an_answer_link_sent_before_links_carried_the_version_works_until_the_meeting_changes(
    client, collectif, member
):
    from django.core import signing

    from reunions.emails import RSVP_SALT
    from reunions.models import Invitation
    from tests.reunions.factories import InvitationFactory, ReunionFactory

    reunion = ReunionFactory(collectif=collectif)
    invitation = InvitationFactory(reunion=reunion, membership=_membership(member, collectif))
    legacy = signing.dumps({"i": invitation.pk, "r": "excuse"}, salt=RSVP_SALT, compress=True)
    url = reverse("reunions:rsvp", kwargs={"token": legacy})
    Reunion = type(reunion)
    Reunion.objects.filter(pk=reunion.pk).update(sequence=1)
    _assert_refused(client.post(url), invitation)
    Reunion.objects.filter(pk=reunion.pk).update(sequence=0)
    assert client.post(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.EXCUSED
