"""Checks for uploaded documents: size, and type read from the content (never the name)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIGNATURES = {
    "pdf": [b"%PDF-"],
    "image": [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"],
    "office": [b"PK\x03\x04", b"\xd0\xcf\x11\xe0"],
}
LABELS = {"pdf": "PDF", "image": "ảnh PNG/JPEG", "office": "Word/Excel"}


def check_document(upload, *, max_mb: int, kinds: tuple[str, ...]) -> None:
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(_("Tệp quá lớn: tối đa %(n)s MB.") % {"n": max_mb})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for kind in kinds for sig in SIGNATURES[kind]):
        allowed = ", ".join(LABELS[k] for k in kinds)
        raise ValidationError(_("Tệp không đúng định dạng cho phép (%(kinds)s).") % {"kinds": allowed})
