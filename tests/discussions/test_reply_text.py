"""What is kept of an e-mail reply: the person's new text, without what their mail client added. One sample per
client (as they write replies in French and in English), plus signatures and phone footers."""

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from discussions.replies import REPLY_ABOVE_MARKER
from discussions.reply_text import html_to_text, reply_body_html, strip_reply, text_to_html

GMAIL_FR = """Merci Sophie, je serai là jeudi.
Je m'occupe de la salle.

Le lun. 3 mars 2025 à 10:12, Sophie Bernard <reponse+abc@reponses.exemple.org> a
écrit :

> Bonjour à toutes et à tous,
> la prochaine séance du groupe est jeudi.
"""

GMAIL_EN = """Thanks, see you on Thursday.

On Mon, 3 Mar 2025 at 10:12, Sophie Bernard <reponse+abc@reponses.exemple.org>
wrote:

> Hello everyone,
"""

APPLE_MAIL_FR = """D'accord pour la date.

Envoyé de mon iPhone

> Le 3 mars 2025 à 10:12, Sophie Bernard <reponse+abc@reponses.exemple.org> a écrit :
>
> Bonjour,
"""

THUNDERBIRD_FR = """Je transmets au collège.

Sophie Bernard a écrit :
> Bonjour,
> qui peut relire le dossier ?
"""

OUTLOOK_FR = """Bonjour,

Je valide la proposition.

Cordialement

________________________________
De : Sophie Bernard <reponse+abc@reponses.exemple.org>
Envoyé : lundi 3 mars 2025 10:12
À : Nadia Haddad <membre@exemple.org>
Objet : Dossier CAF
Bonjour, qui peut relire le dossier ?
"""

OUTLOOK_DESKTOP_EN = """I agree.

-----Original Message-----
From: Sophie Bernard <reponse+abc@reponses.exemple.org>
Sent: Monday, March 3, 2025 10:12 AM
To: Nadia Haddad
Subject: Dossier CAF
"""

OUTLOOK_DESKTOP_FR = """D'accord.

-----Message d'origine-----
De : Sophie Bernard
Envoyé : lundi 3 mars 2025 10:12
À : Nadia Haddad
Objet : Dossier CAF
"""

SIGNATURE = """Je serai en retard de dix minutes.

-- 
Nadia Haddad
CPE, collège Louis-Aragon
04 74 00 00 00
"""  # noqa: W291  (the signature separator is « -- » followed by a space)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GMAIL_FR, "Merci Sophie, je serai là jeudi.\nJe m'occupe de la salle."),
        (GMAIL_EN, "Thanks, see you on Thursday."),
        (APPLE_MAIL_FR, "D'accord pour la date."),
        (THUNDERBIRD_FR, "Je transmets au collège."),
        (OUTLOOK_FR, "Bonjour,\n\nJe valide la proposition.\n\nCordialement"),
        (OUTLOOK_DESKTOP_EN, "I agree."),
        (OUTLOOK_DESKTOP_FR, "D'accord."),
        (SIGNATURE, "Je serai en retard de dix minutes."),
        ("Oui.\n--\nNadia", "Oui."),
        ("Bien reçu.\n\nSent from my iPhone", "Bien reçu."),
        ("Bien reçu.\n\nEnvoyé depuis mon smartphone Samsung Galaxy.", "Bien reçu."),
        ("Bien reçu.\n\nEnvoyé à partir de Outlook pour Android", "Bien reçu."),
        ("Bien reçu.\n\nObtenir Outlook pour iOS", "Bien reçu."),
        ("Bien reçu.\n\nGet Outlook for Android", "Bien reçu."),
        (f"Oui !\n\n## {REPLY_ABOVE_MARKER} ##\nSophie a écrit dans la discussion…", "Oui !"),
    ],
    ids=[
        "gmail-fr-wrapped",
        "gmail-en-wrapped",
        "apple-mail-iphone-footer",
        "thunderbird-undated",
        "outlook-web-fr",
        "outlook-desktop-en",
        "outlook-desktop-fr",
        "signature-rfc3676",
        "signature-without-space",
        "iphone-en",
        "samsung",
        "outlook-android-fr",
        "outlook-ios-fr",
        "outlook-android-en",
        "reply-above-marker",
    ],
)
def test_the_quote_the_signature_and_the_footer_are_removed(text, expected):
    assert strip_reply(text) == expected


def test_answers_written_between_quoted_lines_are_kept():
    text = "> Qui relit le dossier ?\nMoi, mardi.\n> Et la salle ?\nJe la réserve.\n"
    assert strip_reply(text) == "Moi, mardi.\nJe la réserve."


def test_a_sentence_of_the_reply_that_quotes_someone_is_not_an_attribution():
    text = "Le projet avance.\nComme Karim l'a écrit :\n\nil faut prévenir les familles par le collège.\n"
    assert strip_reply(text) == text.strip()


def test_a_reply_whose_first_line_starts_like_a_date_keeps_it():
    text = "Le 12 mars me convient.\nOn peut aussi le 14.\n\nLe mar. 4 mars 2025 à 09:00, Sophie a écrit :\n> Quand ?"
    assert strip_reply(text) == "Le 12 mars me convient.\nOn peut aussi le 14."


def test_text_becomes_paragraphs_with_line_breaks_and_links_and_nothing_else():
    html = text_to_html("Bonjour <b>tous</b>,\nvoir https://exemple.org/doc?a=1&b=2.\n\nMerci")
    assert html == (
        "<p>Bonjour &lt;b&gt;tous&lt;/b&gt;,<br>voir "
        '<a href="https://exemple.org/doc?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
        "https://exemple.org/doc?a=1&amp;b=2</a>.</p><p>Merci</p>"
    )


GMAIL_HTML = """<div dir="ltr">Je serai là <b>jeudi</b>.<div>Nadia</div></div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">Le lun. 3 mars 2025 à 10:12, Sophie Bernard
&lt;<a href="mailto:reponse+abc@reponses.exemple.org">reponse+abc@reponses.exemple.org</a>&gt; a écrit&nbsp;:<br></div>
<blockquote class="gmail_quote" style="margin:0px"><div dir="ltr">Bonjour à toutes et à tous,</div></blockquote></div>
"""

OUTLOOK_HTML = """<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>
<div>Je valide.</div><div><br></div>
<hr style="display:inline-block;width:98%">
<div id="divRplyFwdMsg"><b>De :</b> Sophie Bernard<br><b>Envoyé :</b> lundi 3 mars 2025 10:12<br>
<b>À :</b> Nadia<br><b>Objet :</b> Dossier</div><div>Bonjour, qui relit ?</div></body></html>"""

APPLE_HTML = """<html><body><div>Oui, <a href="https://exemple.org/salle">la salle</a> est réservée.</div>
<div><br><blockquote type="cite"><div>Le 3 mars 2025 à 10:12, Sophie a écrit :</div><div>Bonjour</div>
</blockquote></div></body></html>"""


def test_html_only_mails_are_read_as_text_without_their_quote_or_their_scripts():
    assert strip_reply(html_to_text(GMAIL_HTML)) == "Je serai là jeudi.\nNadia"
    assert strip_reply(html_to_text(OUTLOOK_HTML)) == "Je valide."
    assert strip_reply(html_to_text(APPLE_HTML)) == "Oui, la salle (https://exemple.org/salle) est réservée."


def _mail(plain: str | None, html: str | None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "Re: Dossier"
    if plain is not None:
        message.set_content(plain)
        if html is not None:
            message.add_alternative(html, subtype="html")
    else:
        message.set_content(html, subtype="html")
    return message_from_bytes(bytes(message), policy=policy.default)


def test_the_plain_part_is_preferred_and_the_html_part_is_used_when_alone():
    assert reply_body_html(_mail(GMAIL_FR, GMAIL_HTML)) == (
        "<p>Merci Sophie, je serai là jeudi.<br>Je m'occupe de la salle.</p>"
    )
    assert reply_body_html(_mail(None, OUTLOOK_HTML)) == "<p>Je valide.</p>"
    assert reply_body_html(_mail("> seulement la citation\n", None)) == ""


def test_attached_files_are_counted_but_not_the_inline_images_of_a_signature():
    from discussions.reply_text import attachment_names

    message = EmailMessage()
    message.set_content("Voir le budget.")
    message.add_alternative('<p>Voir le budget.</p><img src="cid:logo">', subtype="html")
    message.get_payload()[1].add_related(b"\x89PNG...", maintype="image", subtype="png", cid="<logo>")
    assert attachment_names(message_from_bytes(bytes(message), policy=policy.default)) == []
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="budget.pdf")
    assert attachment_names(message_from_bytes(bytes(message), policy=policy.default)) == ["budget.pdf"]
