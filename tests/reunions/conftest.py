import pytest

from membres.models import Membership
from tests.membres.factories import MembershipFactory


@pytest.fixture
def memberships(collectif, coordinator, member, guest):
    return {m.user.email: m for m in Membership.objects.filter(collectif=collectif).select_related("user")}


@pytest.fixture
def member_ms(member, collectif):
    return Membership.objects.get(user=member, collectif=collectif)


@pytest.fixture
def coordinator_ms(coordinator, collectif):
    return Membership.objects.get(user=coordinator, collectif=collectif)


@pytest.fixture
def many_members(collectif, institution):
    def make(n):
        return [MembershipFactory(collectif=collectif, institution=institution) for _ in range(n)]

    return make
