"""Reads of restitutions that other apps show or build on.

`fiches_experience` (a sibling app, which may read this module only) drafts a fiche expérience from a restitution or
from a whole cycle of ateliers: `restitution_fiche_prefill` and `cycle_fiche_prefill` give it what the fiche's
sections start from, as plain text in a dataclass (no model of this app leaves through them). Which text goes where
is decided here, next to the restitution it reads: the « État des lieux et constats » make the context, what the
atelier worked on and its « Questions vives » tell what happened, the « Points d'appui » and « Points
d'achoppement » are the lessons learnt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restitutions.models import Cycle, Point, Restitution
from restitutions.printing import sections_of, with_content


def restitutions_for_reunion(reunion) -> list[Restitution]:
    """The restitutions of an atelier, for its page in reunions (registered into reunions.hooks)."""
    return list(Restitution.objects.for_reunion(reunion).order_by("pk"))


def restitutions_of(collectif) -> QuerySet[Restitution]:
    """The collectif's restitutions (drafts included), for a sibling app to fetch one through its collectif."""
    return Restitution.objects.filter(collectif=collectif).select_related("collectif__territoire", "cycle")


def cycles_of(collectif) -> QuerySet[Cycle]:
    """The collectif's cycles of ateliers, for a sibling app to fetch one through its collectif."""
    return Cycle.objects.filter(collectif=collectif).select_related("collectif__territoire")


@dataclass(frozen=True)
class SourceLink:
    """A restitution or a cycle a fiche was drafted from, as the fiche's editing page links to it."""

    label: str
    url: str


def fiche_source_link(*, source: str, source_id: int) -> SourceLink | None:
    """Where the restitution (`source="restitution"`) or the cycle (`"cycle"`) a fiche was drafted from is read (its
    page in its collectif, which CRPV editors enter); None once it was deleted."""
    if source == "restitution":
        restitution = Restitution.objects.select_related("collectif").filter(pk=source_id).first()
        if restitution is None:
            return None
        label = _("la restitution « %(title)s » (%(collectif)s)")
        return SourceLink(
            label=label % {"title": restitution.title, "collectif": restitution.collectif.name},
            url=restitution.get_absolute_url(),
        )
    cycle = Cycle.objects.select_related("collectif").filter(pk=source_id).first()
    if cycle is None:
        return None
    label = _("le cycle d'ateliers « %(name)s » (%(collectif)s)")
    return SourceLink(
        label=label % {"name": cycle.name, "collectif": cycle.collectif.name}, url=cycle.get_absolute_url()
    )


# --- What a fiche expérience starts from ----------------------------------------------------------------------


@dataclass(frozen=True)
class PrefillBlock:
    """A piece of a fiche's section, in plain text: an optional lead-in (« Questions vives »), paragraphs, then a
    bulleted list."""

    title: str = ""
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class FichePrefill:
    """What a fiche expérience (CRPV gabarit, seed 003) drafted from a restitution or a cycle starts with.

    `source` is "restitution" or "cycle" and `source_id` its primary key; `collectif` is the collectif it comes
    from (a `collectifs` object, a lower app). Each tuple of blocks fills the fiche's section of the same name.
    """

    source: str
    source_id: int
    title: str
    collectif: object
    structure_porteuse: str = ""
    annees: str = ""
    identite: tuple[PrefillBlock, ...] = ()
    contexte: tuple[PrefillBlock, ...] = ()
    objectifs: tuple[PrefillBlock, ...] = ()
    mesures: tuple[PrefillBlock, ...] = ()
    acteurs: tuple[PrefillBlock, ...] = ()
    enseignements: tuple[PrefillBlock, ...] = ()
    ressources: tuple[PrefillBlock, ...] = ()
    source_label: str = field(default="", compare=False)


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def _points(restitution: Restitution) -> dict[str, tuple[str, ...]]:
    """The texts of the four lists, by section key, in order (from the prefetched points)."""
    return {s["key"]: tuple(p.text for p in s["points"]) for s in sections_of(restitution)}


def _html_lines(html: str) -> tuple[str, ...]:
    """The lines of a free section's sanitized HTML (its paragraphs and list items), as plain text."""
    chunks = re.split(r"</(?:p|li)>|<br\s*/?>", html or "")
    lines = (" ".join(unescape(strip_tags(chunk)).split()) for chunk in chunks)
    return tuple(line for line in lines if line)


def _participants_line(rows: list[dict]) -> str:
    total = sum(int(row.get("count") or 0) for row in rows)
    if not total:
        return ""
    detail = ", ".join(f"{row['label']} : {row['count']}" for row in rows if row.get("count"))
    return _("%(total)s participants (%(detail)s)") % {"total": total, "detail": detail}


def _summed_participants(restitutions: list[Restitution]) -> list[dict]:
    """The participants of several ateliers added up by type of structure, in the order they first appear."""
    counts: dict[str, int] = {}
    for restitution in restitutions:
        for row in restitution.participants:
            counts[row["label"]] = counts.get(row["label"], 0) + int(row.get("count") or 0)
    return [{"label": label, "count": count} for label, count in counts.items()]


def _public_url(restitution: Restitution) -> str:
    return settings.SITE_URL + reverse("restitutions:public_detail", kwargs={"pk": restitution.pk})


def _atelier_name(restitution: Restitution) -> str:
    """« Atelier 2 — Les partenariats à mobiliser… », or the title alone."""
    if restitution.atelier_label:
        return f"{restitution.atelier_label} — {restitution.title}"
    return restitution.title


def _free_blocks(restitution: Restitution) -> list[PrefillBlock]:
    return [
        PrefillBlock(title=section.title, items=_html_lines(section.body))
        for section in restitution.free_sections.all()
        if section.title or section.body
    ]


def _period(cycle: Cycle) -> str:
    """« mars 2021 – février 2022 », or one month when the cycle starts and ends in it."""
    if (
        cycle.starts_on
        and cycle.ends_on
        and (cycle.starts_on.year, cycle.starts_on.month)
        == (
            cycle.ends_on.year,
            cycle.ends_on.month,
        )
    ):
        return date_format(cycle.starts_on, "F Y")
    return cycle.period


def _unique(texts) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in texts if t))


def _section_block(labels, points, key) -> tuple[PrefillBlock, ...]:
    return (PrefillBlock(title=str(labels[key]), items=points[key]),) if points[key] else ()


def restitution_fiche_prefill(restitution: Restitution) -> FichePrefill:
    """What a fiche starts from when drafted from one restitution (seed 001 → seed 003's CRPV gabarit)."""
    restitution = (
        with_content(Restitution.objects.filter(pk=restitution.pk)).select_related("collectif__territoire").get()
    )
    collectif = restitution.collectif
    points = _points(restitution)
    labels = dict(Point.Section.choices)
    cycle = restitution.cycle
    participants = _participants_line(restitution.participants)
    when = _day(restitution.held_on)

    description = _("%(atelier)s « %(title)s »") % {
        "atelier": restitution.atelier_label or _("Atelier"),
        "title": restitution.title,
    }
    if restitution.theme:
        description += f" — {restitution.theme}"
    if when:
        description += ", " + _("tenu le %(date)s") % {"date": when}
    description += f", {collectif.name}"
    if cycle is not None:
        description += ", " + _("dans le cycle « %(cycle)s »") % {"cycle": cycle.name}
    identite = [
        _("Description : %(text)s.") % {"text": description},
        _("Territoire : %(territoire)s") % {"territoire": collectif.territoire},
        _("Champ thématique : %(theme)s") % {"theme": restitution.theme or restitution.title},
    ]
    if participants:
        identite.append(_("Groupe cible : %(participants)s") % {"participants": participants})

    objectifs = [_("L'atelier portait sur « %(title)s ».") % {"title": restitution.title}]
    if cycle is not None:
        line = _("Il s'inscrit dans le cycle « %(cycle)s »") % {"cycle": cycle.name}
        if cycle.organiser:
            line += ", " + _("organisé par %(organiser)s") % {"organiser": cycle.organiser}
        objectifs.append(line + ".")

    facts = []
    if when:
        facts.append(_("le %(date)s") % {"date": when})
    if restitution.facilitators:
        facts.append(_("animé par %(who)s") % {"who": restitution.facilitators})
    if participants:
        total = restitution.participants_total
        facts.append(_("avec %(total)s participants") % {"total": total})
    mesures = []
    if facts:
        mesures.append(PrefillBlock(paragraphs=(f"{_atelier_name(restitution)} : {', '.join(facts)}.",)))
    if points[Point.Section.QUESTIONS]:
        mesures.append(PrefillBlock(title=str(labels[Point.Section.QUESTIONS]), items=points[Point.Section.QUESTIONS]))
    mesures += _free_blocks(restitution)

    acteurs = []
    if restitution.facilitators:
        acteurs.append(_("Animation : %(who)s.") % {"who": restitution.facilitators})
    if cycle is not None and cycle.organiser:
        acteurs.append(_("Organisation du cycle : %(who)s.") % {"who": cycle.organiser})
    acteurs.append(_("%(collectif)s et ses partenaires.") % {"collectif": collectif.name})
    acteurs_blocks = [PrefillBlock(paragraphs=tuple(acteurs))]
    if restitution.participants:
        acteurs_blocks.append(
            PrefillBlock(
                title=_("Participants par type de structure"),
                items=tuple(f"{row['label']} : {row['count']}" for row in restitution.participants),
            )
        )

    return FichePrefill(
        source="restitution",
        source_id=restitution.pk,
        source_label=_("la restitution « %(title)s »") % {"title": restitution.title},
        title=restitution.title,
        collectif=collectif,
        structure_porteuse=(cycle.organiser if cycle is not None and cycle.organiser else restitution.facilitators),
        annees=str(restitution.held_on.year) if restitution.held_on else "",
        identite=(PrefillBlock(items=tuple(identite)),),
        contexte=_section_block(labels, points, Point.Section.CONSTATS),
        objectifs=(PrefillBlock(paragraphs=tuple(objectifs)),),
        mesures=tuple(mesures),
        acteurs=tuple(acteurs_blocks),
        enseignements=_section_block(labels, points, Point.Section.LEVIERS)
        + _section_block(labels, points, Point.Section.OBSTACLES),
        ressources=(
            (
                PrefillBlock(
                    paragraphs=(
                        _("La restitution complète de l'atelier : %(url)s") % {"url": _public_url(restitution)},
                    )
                ),
            )
            if restitution.is_published
            else ()
        ),
    )


def cycle_fiche_prefill(cycle: Cycle) -> FichePrefill:
    """What a fiche starts from when drafted from a whole cycle: its name, organiser and period, and the content of
    its restitutions, atelier by atelier (seed 002 is such a fiche, written by hand)."""
    cycle = Cycle.objects.select_related("collectif__territoire").get(pk=cycle.pk)
    collectif = cycle.collectif
    restitutions = list(with_content(cycle.restitutions.all()).order_by("held_on", "atelier_numbers", "pk"))
    labels = dict(Point.Section.choices)
    points = {r.pk: _points(r) for r in restitutions}
    participants = _participants_line(_summed_participants(restitutions))

    count = len(restitutions)
    period = _period(cycle)
    description = ngettext("Cycle d'un atelier « %(name)s »", "Cycle de %(count)s ateliers « %(name)s »", count) % {
        "count": count,
        "name": cycle.name,
    }
    if cycle.organiser:
        description += ", " + _("organisé par %(organiser)s") % {"organiser": cycle.organiser}
    if period:
        description += f" ({period})"
    description += f", {collectif.name}"
    identite = [
        _("Description : %(text)s.") % {"text": description},
        _("Territoire : %(territoire)s") % {"territoire": collectif.territoire},
        _("Champ thématique : %(themes)s") % {"themes": "; ".join(_unique(r.theme or r.title for r in restitutions))}
        if restitutions
        else _("Champ thématique : %(name)s") % {"name": cycle.name},
    ]
    if participants:
        identite.append(_("Groupe cible : %(participants)s, sur l'ensemble du cycle") % {"participants": participants})

    def by_atelier(key) -> tuple[PrefillBlock, ...]:
        return tuple(
            PrefillBlock(title=_atelier_name(r), items=points[r.pk][key]) for r in restitutions if points[r.pk][key]
        )

    objectifs = []
    if cycle.objectives_list:
        objectifs.append(PrefillBlock(items=tuple(cycle.objectives_list)))
    if restitutions:
        objectifs.append(
            PrefillBlock(
                paragraphs=(_("Les ateliers du cycle ont porté sur :"),),
                items=tuple(_atelier_name(r) for r in restitutions),
            )
        )

    overview = ngettext("Un atelier", "%(count)s ateliers", count) % {"count": count}
    if period:
        overview += f", {period}"
    if cycle.organiser:
        organised = ngettext("organisé par %(organiser)s", "organisés par %(organiser)s", count)
        overview += ", " + organised % {"organiser": cycle.organiser}
    if participants:
        total = sum(r.participants_total for r in restitutions)
        overview += ", " + _("avec %(total)s participants en tout") % {"total": total}
    mesures = [PrefillBlock(paragraphs=(overview + ".",))]
    for r in restitutions:
        lines = []
        if r.held_on or r.facilitators:
            held = [_("Tenu le %(date)s") % {"date": _day(r.held_on)}] if r.held_on else []
            if r.facilitators:
                held.append(_("animé par %(who)s") % {"who": r.facilitators})
            lines.append(", ".join(held) + ".")
        if line := _participants_line(r.participants):
            lines.append(line[:1].upper() + line[1:] + ".")
        questions = points[r.pk][Point.Section.QUESTIONS]
        if questions:
            lines.append(str(labels[Point.Section.QUESTIONS]) + " :")
        mesures.append(PrefillBlock(title=_atelier_name(r), paragraphs=tuple(lines), items=questions))
        mesures += _free_blocks(r)  # right after their atelier

    acteurs = []
    if cycle.organiser:
        acteurs.append(_("Organisation : %(who)s.") % {"who": cycle.organiser})
    facilitators = _unique(r.facilitators for r in restitutions)
    if facilitators:
        acteurs.append(_("Animation : %(who)s.") % {"who": ", ".join(facilitators)})
    acteurs.append(_("%(collectif)s et ses partenaires.") % {"collectif": collectif.name})
    acteurs_blocks = [PrefillBlock(paragraphs=tuple(acteurs))]
    summed = _summed_participants(restitutions)
    if summed:
        acteurs_blocks.append(
            PrefillBlock(
                title=_("Participants par type de structure, sur l'ensemble du cycle"),
                items=tuple(f"{row['label']} : {row['count']}" for row in summed),
            )
        )

    enseignements = []
    for key in (Point.Section.LEVIERS, Point.Section.OBSTACLES):
        items = _unique(text for r in restitutions for text in points[r.pk][key])
        if items:
            enseignements.append(PrefillBlock(title=str(labels[key]), items=items))

    published = [r for r in restitutions if r.is_published]
    ressources = (
        (
            PrefillBlock(
                paragraphs=(_("Les restitutions des ateliers :"),),
                items=tuple(f"{_atelier_name(r)} : {_public_url(r)}" for r in published),
            ),
        )
        if published
        else ()
    )
    years = _unique(str(d.year) for d in (cycle.starts_on, cycle.ends_on) if d)
    return FichePrefill(
        source="cycle",
        source_id=cycle.pk,
        source_label=_("le cycle « %(name)s »") % {"name": cycle.name},
        title=cycle.name,
        collectif=collectif,
        structure_porteuse=cycle.organiser,
        annees="-".join(years),
        identite=(PrefillBlock(items=tuple(identite)),),
        contexte=by_atelier(Point.Section.CONSTATS),
        objectifs=tuple(objectifs),
        mesures=tuple(mesures),
        acteurs=tuple(acteurs_blocks),
        enseignements=tuple(enseignements),
        ressources=ressources,
    )
