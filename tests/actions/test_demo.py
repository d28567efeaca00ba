import io

from actions import demo
from actions.models import Action, JournalEntry
from membres import demo as membres_demo
from reunions.models import Invitation


def test_demo_loads_thirty_actions_once_with_journals_and_origins(db):
    membres_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Action.objects.count() == 30
    assert {a.status for a in Action.objects.all()} == set(Action.Status.values)
    assert Action.objects.exclude(origin=None).count() >= 5
    assert JournalEntry.objects.count() > 30
    assert Invitation.objects.filter(attendance=Invitation.Attendance.PRESENT).exists()
