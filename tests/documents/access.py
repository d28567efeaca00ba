"""Who may open each URL of the document space (see tests/access.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import COORDINATORS, MEMBERS_READ, MEMBERS_WRITE, Case, expect
from tests.documents.factories import PDF_BYTES

# A POST that succeeds redirects (302).
MEMBERS_POST = expect(anonymous=302, guest=403, member=302, coordinator=302, other=404, crpv=404, superuser=302)
COORDINATORS_POST = expect(anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=404, superuser=302)
READ_REDIRECT = expect(anonymous=302, guest=302, member=302, coordinator=302, other=404, crpv=404, superuser=302)
POST_ONLY = expect(anonymous=302, guest=405, member=405, coordinator=405, other=405, crpv=405, superuser=405)
ELSEWHERE = expect(anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404)
ELSEWHERE_WRITE = expect(anonymous=302, guest=403, member=404, coordinator=404, other=404, crpv=404, superuser=404)
ELSEWHERE_MANAGE = expect(anonymous=302, guest=403, member=403, coordinator=404, other=404, crpv=404, superuser=404)


def extend_world(world):
    from documents import services
    from tests.reunions.factories import GroupeFactory, ReunionFactory

    c, o = world.collectif, world.other_collectif
    member, coordinator = world.users["member"], world.users["coordinator"]

    def upload(name="note.pdf"):
        return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")

    world.doc_references = services.folder_for_references(collectif=c)
    world.doc_groupe = GroupeFactory(collectif=c, name="Groupe Parentalité")
    world.doc_folder = services.folder_create(collectif=c, name="Archives", by=coordinator)
    world.doc_empty_folder = services.folder_create(collectif=c, name="Vide", by=coordinator)
    world.doc = services.document_create(
        collectif=c, folder=world.doc_references, title="Charte", upload=upload(), by=member
    )
    world.doc_v2 = services.document_version_add(document=world.doc, upload=upload("v2.pdf"), note="v2", by=member)
    world.doc_flagged = services.document_create(
        collectif=c, folder=world.doc_references, title="Projet à discuter", upload=upload(), by=member
    )
    services.document_flag(document=world.doc_flagged, to_discuss=True, by=member)
    world.doc_binned = services.document_create(
        collectif=c, folder=world.doc_folder, title="Ancien", upload=upload(), by=member
    )
    services.document_trash(document=world.doc_binned, by=member)
    world.doc_pleniere = ReunionFactory(collectif=c, title="Plénière à venir")
    other_folder = services.folder_for_references(collectif=o)
    world.doc_elsewhere = services.document_create(
        collectif=o, folder=other_folder, title="Ailleurs", upload=upload(), by=world.users["other"]
    )
    world.doc_elsewhere_folder = other_folder
    world.doc_elsewhere_groupe = GroupeFactory(collectif=o)
    world.doc_elsewhere_pleniere = ReunionFactory(collectif=o)


def _c(w):
    return {"collectif_slug": w.collectif.slug}


def _d(w, document=None):
    return {"collectif_slug": w.collectif.slug, "pk": (document or w.doc).pk}


def _f(w, folder=None):
    return {"collectif_slug": w.collectif.slug, "pk": (folder or w.doc_folder).pk}


CASES = [
    Case("documents:space", MEMBERS_READ, kwargs=_c),
    Case("documents:list", MEMBERS_READ, kwargs=_c),
    Case("documents:list", MEMBERS_READ, kwargs=_c, query="?q=charte&sort=titre", note="(recherche)"),
    Case("documents:attachments", MEMBERS_READ, kwargs=_c),
    Case(
        "documents:groupe_folder",
        READ_REDIRECT,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "groupe_pk": w.doc_groupe.pk},
    ),
    Case(
        "documents:groupe_folder",
        ELSEWHERE,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "groupe_pk": w.doc_elsewhere_groupe.pk},
        note="(groupe d'un autre collectif)",
    ),
    Case("documents:folder_create", COORDINATORS, kwargs=_c),
    Case("documents:folder_create", COORDINATORS_POST, kwargs=_c, method="post", data=lambda w: {"name": "Neuf"}),
    Case("documents:folder", MEMBERS_READ, kwargs=_f),
    Case(
        "documents:folder",
        ELSEWHERE,
        kwargs=lambda w: _f(w, w.doc_elsewhere_folder),
        note="(dossier d'un autre collectif)",
    ),
    Case("documents:folder_rename", COORDINATORS, kwargs=_f),
    Case("documents:folder_rename", COORDINATORS_POST, kwargs=_f, method="post", data=lambda w: {"name": "Renommé"}),
    Case("documents:folder_delete", COORDINATORS, kwargs=lambda w: _f(w, w.doc_empty_folder)),
    Case("documents:folder_delete", COORDINATORS_POST, kwargs=lambda w: _f(w, w.doc_empty_folder), method="post"),
    Case(
        "documents:folder_delete",
        expect(anonymous=302, guest=403, member=403, coordinator=403, other=404, crpv=404, superuser=403),
        kwargs=lambda w: _f(w, w.doc_references),
        note="(dossier des références : jamais supprimé)",
    ),
    Case(
        "documents:upload",
        MEMBERS_WRITE,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "folder_pk": w.doc_folder.pk},
    ),
    Case(
        "documents:upload",
        MEMBERS_POST,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "folder_pk": w.doc_folder.pk},
        method="post",
        data=lambda w: {"file": SimpleUploadedFile("n.pdf", PDF_BYTES), "title": "Nouveau"},
    ),
    Case(
        "documents:upload",
        ELSEWHERE_WRITE,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "folder_pk": w.doc_elsewhere_folder.pk},
        note="(dossier d'un autre collectif)",
    ),
    Case("documents:bin", MEMBERS_READ, kwargs=_c),
    Case("documents:bin_empty", COORDINATORS, kwargs=_c),
    Case("documents:bin_empty", COORDINATORS_POST, kwargs=_c, method="post"),
    Case("documents:detail", MEMBERS_READ, kwargs=_d),
    Case("documents:detail", MEMBERS_READ, kwargs=lambda w: _d(w, w.doc_binned), note="(dans la corbeille)"),
    Case(
        "documents:detail",
        ELSEWHERE,
        kwargs=lambda w: _d(w, w.doc_elsewhere),
        note="(document d'un autre collectif)",
    ),
    Case("documents:download", MEMBERS_READ, kwargs=_d),
    Case("documents:download", ELSEWHERE, kwargs=lambda w: _d(w, w.doc_elsewhere), note="(autre collectif)"),
    Case(
        "documents:version_download",
        MEMBERS_READ,
        kwargs=lambda w: {**_d(w), "version_pk": w.doc.versions.get(number=1).pk},
    ),
    Case(
        "documents:version_download",
        ELSEWHERE,
        kwargs=lambda w: {**_d(w), "version_pk": w.doc_elsewhere.current_id},
        note="(version d'un autre document)",
    ),
    Case("documents:version_add", POST_ONLY, kwargs=_d, note="(GET refusé)"),
    Case(
        "documents:version_add",
        MEMBERS_POST,
        kwargs=_d,
        method="post",
        data=lambda w: {"file": SimpleUploadedFile("v3.pdf", PDF_BYTES), "note": "v3"},
    ),
    Case("documents:rename", MEMBERS_POST, kwargs=_d, method="post", data=lambda w: {"title": "Charte adoptée"}),
    Case(
        "documents:rename",
        ELSEWHERE_WRITE,
        kwargs=lambda w: _d(w, w.doc_elsewhere),
        method="post",
        data=lambda w: {"title": "x"},
        note="(autre collectif)",
    ),
    Case("documents:move", MEMBERS_POST, kwargs=_d, method="post", data=lambda w: {"folder": w.doc_folder.pk}),
    Case("documents:flag", MEMBERS_POST, kwargs=_d, method="post", data=lambda w: {"to_discuss": "1"}),
    Case("documents:trash", MEMBERS_WRITE, kwargs=_d),
    Case("documents:trash", MEMBERS_POST, kwargs=_d, method="post"),
    Case("documents:restore", MEMBERS_POST, kwargs=lambda w: _d(w, w.doc_binned), method="post"),
    Case(
        "documents:put_on_agenda",
        COORDINATORS_POST,
        kwargs=lambda w: {**_d(w, w.doc_flagged), "reunion_pk": w.doc_pleniere.pk},
        method="post",
    ),
    Case(
        "documents:put_on_agenda",
        ELSEWHERE_MANAGE,
        kwargs=lambda w: {**_d(w, w.doc_flagged), "reunion_pk": w.doc_elsewhere_pleniere.pk},
        method="post",
        note="(plénière d'un autre collectif)",
    ),
]
