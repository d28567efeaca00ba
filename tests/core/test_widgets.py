"""core.widgets.CheckboxList: Django's checkbox list, written in one pass."""

import re

from django import forms

from collectifs.models import Theme
from core.widgets import CheckboxList


def normalized(html) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def test_the_list_is_the_markup_django_writes(db):
    choices = [(1, "Anne <Martin>"), (2, "Luc"), (3, "Zoé")]

    class Both(forms.Form):
        django = forms.TypedMultipleChoiceField(choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple)
        ours = forms.TypedMultipleChoiceField(choices=choices, coerce=int, widget=CheckboxList)
        django_themes = forms.ModelMultipleChoiceField(Theme.objects.all(), widget=forms.CheckboxSelectMultiple)
        ours_themes = forms.ModelMultipleChoiceField(Theme.objects.all(), widget=CheckboxList(attrs={"class": "x"}))
        django_groups = forms.MultipleChoiceField(
            choices=[("Un", [("a", "A")]), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )
        ours_groups = forms.MultipleChoiceField(choices=[("Un", [("a", "A")]), ("b", "B")], widget=CheckboxList)

    theme = Theme.objects.order_by("name").first()
    form = Both(
        data={"django": ["2"], "ours": ["2"], "django_themes": [theme.pk], "ours_themes": [theme.pk]},
        auto_id="f_%s",
    )
    for name in ("", "_themes", "_groups"):
        django = normalized(form[f"django{name}"]).replace(f"django{name}", "N")
        ours = normalized(form[f"ours{name}"]).replace(f"ours{name}", "N").replace(' class="x"', "")
        assert ours == django
    assert 'class="x"' in str(form["ours_themes"])
    assert 'value="2" id="f_ours_1" checked>' in str(form["ours"])
    assert "Anne &lt;Martin&gt;" in str(form["ours"])
