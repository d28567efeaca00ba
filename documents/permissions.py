"""Who may do what in the document space. Every rule takes `(access, obj=None)`; views fetch the object through
the collectif first (`documents.access`: 404 elsewhere), then apply the rule (403)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import Access
    from documents.models import Document, Folder


def can_write_documents(access: Access, obj: Document | Folder | None = None) -> bool:
    """Members and coordinators upload, add versions, rename, move, flag for the plénière and put documents in the
    bin or take them out; guests only read and download."""
    return access.can_write


def can_manage_folders(access: Access, obj: Folder | None = None) -> bool:
    """Coordinators shape the space: they create, rename and delete (empty) folders."""
    return access.can_manage


def can_delete_folder(access: Access, folder: Folder) -> bool:
    """Only the folders coordinators added go; the references folder and the groupes' folders are the space's
    shape (the service also refuses a folder that still holds documents, bin included)."""
    from documents.models import Folder

    return access.can_manage and folder.kind == Folder.Kind.OTHER


def can_empty_bin(access: Access, obj=None) -> bool:
    """Emptying the bin deletes for good (files included): coordinators only."""
    return access.can_manage


def can_put_on_agenda(access: Access, obj: Document | None = None) -> bool:
    """Coordinators set agendas: they put a document proposed « à discuter en plénière » on a plénière's agenda."""
    return access.can_manage
