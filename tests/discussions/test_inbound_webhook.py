"""A provider's inbound webhook (django-anymail): Postmark's JSON and Mailgun's raw MIME post a reply once, behind
the webhook's basic auth."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from discussions.models import Message
from discussions.replies import reply_address
from tests.discussions.replymail import make_thread, reply_mail

AUTH = "Basic " + base64.b64encode(b"fournisseur:secret-de-test").decode()


@pytest.fixture
def thread(collectif, coordinator):
    return make_thread(collectif, coordinator)


def postmark_payload(address: str, sender: str, message_id: str) -> dict:
    """Postmark's inbound JSON (their documented test payload, trimmed to what anymail reads)."""
    return {
        "FromName": "Nadia Haddad",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "Nadia Haddad"},
        "To": address,
        "ToFull": [{"Email": address, "Name": ""}],
        "CcFull": [],
        "BccFull": [],
        "OriginalRecipient": address,
        "Subject": "Re: Dossier de demande de subvention CAF",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "Date": "Mon, 3 Mar 2025 10:30:00 +0100",
        "TextBody": "D'accord, je relis mardi.\n\nLe lun. 3 mars 2025 à 10:12, Sophie a écrit :\n> Qui relit ?",
        "HtmlBody": "",
        "StrippedTextReply": "D'accord, je relis mardi.",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{sender}>"},
            {"Name": "Message-ID", "Value": message_id},
        ],
        "Attachments": [],
    }


def test_a_postmark_inbound_post_with_the_secret_posts_the_reply_once(client, thread, member):
    address = reply_address(member, thread)
    payload = json.dumps(postmark_payload(address, member.email, "<pm-1@client.exemple.net>"))
    url = reverse("anymail:postmark_inbound_webhook")
    for _ in range(2):  # Postmark retries when it did not get its 200 in time
        response = client.post(url, payload, content_type="application/json", HTTP_AUTHORIZATION=AUTH)
        assert response.status_code == 200
    (message,) = Message.objects.filter(thread=thread)
    assert (message.author, message.source, message.body) == (
        member,
        Message.Source.EMAIL,
        "<p>D'accord, je relis mardi.</p>",
    )
    assert message.email_message_id == "<pm-1@client.exemple.net>"


def test_a_post_without_the_secret_is_refused_and_posts_nothing(client, thread, member):
    payload = json.dumps(postmark_payload(reply_address(member, thread), member.email, "<pm-2@client.exemple.net>"))
    url = reverse("anymail:postmark_inbound_webhook")
    wrong = "Basic " + base64.b64encode(b"fournisseur:devine").decode()
    assert client.post(url, payload, content_type="application/json").status_code == 400
    assert client.post(url, payload, content_type="application/json", HTTP_AUTHORIZATION=wrong).status_code == 400
    assert not Message.objects.exists()


def test_a_mailgun_raw_mime_post_posts_the_reply(client, thread, member):
    address = reply_address(member, thread)
    raw = reply_mail(to=address, sender=member.email, message_id="<mg-1@client.exemple.net>")
    timestamp, token = str(int(time.time())), "jeton-mailgun-0123456789"
    signature = hmac.new(b"cle-mailgun", f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    response = client.post(
        "/anymail/mailgun/inbound_mime/",
        {
            "recipient": address,
            "sender": member.email,
            "body-mime": raw.decode(),
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
        },
        HTTP_AUTHORIZATION=AUTH,
    )
    assert response.status_code == 200
    assert Message.objects.get(thread=thread).body == "<p>Je relis le dossier mardi.</p>"
