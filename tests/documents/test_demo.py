import io
import zipfile

from documents import demo
from documents.models import Document, Folder
from documents.selectors import is_open_pleniere
from membres import demo as membres_demo
from membres.models import User
from reunions import demo as reunions_demo
from reunions.models import Reunion


def test_demo_loads_references_and_a_flagged_groupe_document_in_two_versions_once(db, client):
    membres_demo.load(io.StringIO())
    reunions_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Document.objects.count() == 3
    references = Folder.objects.get(kind=Folder.Kind.REFERENCES)
    assert set(references.documents.values_list("title", flat=True)) == {
        "Charte du collectif",
        "Répertoire des structures",
    }
    protocol = Document.objects.get(folder__groupe__name="Accueil des collégiens exclus")
    assert protocol.versions.count() == 2 and protocol.current.number == 2
    assert protocol.to_discuss and protocol.discussed_in is None
    assert protocol.versions.get(number=1).uploaded_by != protocol.current.uploaded_by
    with protocol.current.file.open("rb") as handle:  # a real OpenDocument file
        content = zipfile.ZipFile(handle).read("content.xml").decode()
    assert "maisons de quartier" in content
    # The next plénière proposes it to the coordinator.
    pleniere = next(
        r for r in Reunion.objects.filter(kind=Reunion.Kind.PLENIERE).order_by("starts_at") if is_open_pleniere(r)
    )
    client.force_login(User.objects.get(email="coordination@exemple.org"))
    html = client.get(pleniere.get_absolute_url()).content.decode()
    assert "Documents proposés" in html and "Projet de protocole d&#x27;accueil" in html
