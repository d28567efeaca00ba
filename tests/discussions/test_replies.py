"""Reply addresses: one per person and thread, signed, short, case-proof, expiring."""

import datetime
import re

import pytest
import time_machine

from discussions.replies import ReplyAddressError, read_reply_address, reply_address
from tests.discussions.replymail import make_thread


@pytest.fixture
def thread(collectif, coordinator):
    return make_thread(collectif, coordinator)


def test_a_reply_address_names_its_person_and_thread_and_fits_an_email_local_part(thread, member):
    address = reply_address(member, thread)
    local, domain = address.split("@")
    assert domain == "reponses.exemple.org"
    assert re.fullmatch(r"reponse\+[a-z2-7]{32}", local) and len(local) <= 64
    token = read_reply_address(address)
    assert (token.user_id, token.thread_id) == (member.pk, thread.pk)


def test_a_mail_server_that_uppercases_the_address_does_not_break_it(thread, member):
    token = read_reply_address(reply_address(member, thread).upper())
    assert token.user_id == member.pk


def test_each_person_gets_their_own_address(thread, member, coordinator):
    assert reply_address(member, thread) != reply_address(coordinator, thread)


def test_an_altered_address_or_one_signed_with_another_key_is_forged(thread, member, settings):
    address = reply_address(member, thread)
    local, domain = address.split("@")
    altered = local[:-1] + ("a" if local[-1] != "a" else "b")
    for forged in (
        f"{altered}@{domain}",
        f"reponse+{'a' * 32}@{domain}",
        f"reponse@{domain}",
        f"reponse+abc@{domain}",
    ):
        with pytest.raises(ReplyAddressError) as refused:
            read_reply_address(forged)
        assert refused.value.reason == ReplyAddressError.FORGED
    settings.SECRET_KEY = "une-autre-cle-" * 5
    with pytest.raises(ReplyAddressError):
        read_reply_address(address)


def test_addresses_sent_before_the_secret_key_was_rotated_still_work(thread, member, settings):
    address = reply_address(member, thread)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "la-nouvelle-cle-" * 5
    assert read_reply_address(address).thread_id == thread.pk


def test_an_address_expires_after_the_configured_number_of_days(thread, member, settings):
    settings.REPLY_ADDRESS_MAX_AGE_DAYS = 180
    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)):
        address = reply_address(member, thread)
    assert read_reply_address(address, today=datetime.date(2026, 7, 9)).issued_on == datetime.date(2026, 1, 10)
    with pytest.raises(ReplyAddressError) as refused:
        read_reply_address(address, today=datetime.date(2026, 7, 10))
    assert refused.value.reason == ReplyAddressError.EXPIRED


def test_without_a_reply_domain_notifications_have_no_reply_address(thread, member, settings):
    settings.REPLY_DOMAIN = ""
    assert reply_address(member, thread) == ""
