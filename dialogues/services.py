"""Writes for dialogues, petitions and citizen reception (every petition change is an event)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import (
    CLOSED_STATUSES,
    DialogueSession,
    Level,
    Petition,
    PetitionEvent,
    PetitionStatus,
    ReceptionSession,
)
from units.models import UnitKind

LEVEL_OF_KIND = {
    UnitKind.PROVINCE: Level.PROVINCE,
    UnitKind.DISTRICT: Level.DISTRICT,
    UnitKind.COMMUNE: Level.COMMUNE,
    UnitKind.HAMLET: Level.COMMUNE,
    UnitKind.STATE_AGENCY: Level.AGENCY,
    UnitKind.PUBLIC_SERVICE: Level.AGENCY,
    UnitKind.OTHER_ORG: Level.AGENCY,
    UnitKind.SOE: Level.ENTERPRISE,
    UnitKind.ENTERPRISE: Level.ENTERPRISE,
}

FIVE_CLEAR = ("assignee_person", "task", "deadline", "responsible_unit")


class StaleEdit(ValidationError):
    """Someone else changed the record after this form was opened."""


def _bump(model, obj, expected_version: int | None, **changes) -> None:
    """Optimistic locking: write only if the row still has the version the form was opened with."""
    version = obj.version if expected_version is None else expected_version
    updated = model.objects.filter(pk=obj.pk, version=version).update(version=version + 1, **changes)
    if not updated:
        raise StaleEdit(
            _("Bản ghi vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi rồi làm lại."),
            code="stale",
        )
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version = version + 1


def _initial_status(data: dict) -> str:
    if data.get("answered_at_session") and data.get("result"):
        return PetitionStatus.EXPLAINED
    if all(data.get(name) for name in FIVE_CLEAR):
        return PetitionStatus.ASSIGNED
    return PetitionStatus.NEW


def _petition_create(*, actor, unit, raised_on, data: dict, session=None, reception=None) -> Petition:
    status = _initial_status(data)
    petition = Petition.objects.create(
        unit=unit,
        session=session,
        reception=reception,
        raised_on=raised_on,
        status=status,
        created_by=actor,
        result_date=data.get("result_date") or (raised_on if status == PetitionStatus.EXPLAINED else None),
        **{k: v for k, v in data.items() if k not in ("result_date",)},
    )
    PetitionEvent.objects.create(
        petition=petition, actor=actor, kind=PetitionEvent.Kind.CREATED, to_status=status, note=""
    )
    return petition


@transaction.atomic
def session_create(*, actor, data: dict, petitions: list[dict]) -> DialogueSession:
    unit = data["unit"]
    session = DialogueSession.objects.create(level=LEVEL_OF_KIND[unit.kind], created_by=actor, **data)
    for row in petitions:
        _petition_create(actor=actor, unit=unit, raised_on=session.held_on, data=row, session=session)
    return session


@transaction.atomic
def session_update(*, actor, session: DialogueSession, data: dict, expected_version: int) -> DialogueSession:
    data = {**data, "level": LEVEL_OF_KIND[data["unit"].kind]}
    minutes = data.pop("minutes_file", None)
    _bump(DialogueSession, session, expected_version, **data)
    if minutes is not None:  # a new file was uploaded (False clears it)
        session.minutes_file = minutes or ""
        session.save(update_fields=["minutes_file"])
    return session


@transaction.atomic
def petition_add(*, actor, session: DialogueSession, data: dict) -> Petition:
    return _petition_create(actor=actor, unit=session.unit, raised_on=session.held_on, data=data, session=session)


def _event(petition, actor, kind, from_status, note="") -> None:
    PetitionEvent.objects.create(
        petition=petition, actor=actor, kind=kind, from_status=from_status, to_status=petition.status, note=note
    )


def _require_open(petition: Petition) -> None:
    if petition.status in CLOSED_STATUSES:
        raise ValidationError(_("Kiến nghị đã kết thúc; hãy mở lại trước khi cập nhật."), code="closed")


@transaction.atomic
def petition_assign(
    *, actor, petition: Petition, assignee_person, task, deadline, responsible_unit, note="", expected_version=None
) -> Petition:
    """Rõ người, rõ việc, rõ thời gian, rõ trách nhiệm."""
    _require_open(petition)
    before = petition.status
    _bump(
        Petition,
        petition,
        expected_version,
        assignee_person=assignee_person,
        task=task,
        deadline=deadline,
        responsible_unit=responsible_unit,
        status=PetitionStatus.ASSIGNED if before == PetitionStatus.NEW else before,
    )
    _event(petition, actor, PetitionEvent.Kind.ASSIGNED, before, note)
    return petition


@transaction.atomic
def petition_progress(*, actor, petition: Petition, note: str, expected_version=None) -> Petition:
    _require_open(petition)
    before = petition.status
    _bump(Petition, petition, expected_version, status=PetitionStatus.IN_PROGRESS)
    _event(petition, actor, PetitionEvent.Kind.STATUS, before, note)
    return petition


@transaction.atomic
def petition_close(
    *, actor, petition: Petition, status: str, result: str, result_date: dt.date, note="", expected_version=None
) -> Petition:
    """Rõ kết quả: a petition closes only with its result and the other four "rõ" in place."""
    _require_open(petition)
    if status not in (PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED):
        raise ValidationError(_("Trạng thái kết thúc không hợp lệ."), code="status")
    errors = {}
    if not (result or "").strip():
        errors["result"] = _("Phải ghi kết quả giải quyết trước khi kết thúc kiến nghị.")
    if not result_date:
        errors["result_date"] = _("Phải ghi ngày có kết quả.")
    elif result_date > timezone.localdate():
        errors["result_date"] = _("Ngày có kết quả không được ở tương lai.")
    elif result_date < petition.raised_on:
        errors["result_date"] = _("Ngày có kết quả không được trước ngày tiếp nhận kiến nghị.")
    missing = [name for name in FIVE_CLEAR if not getattr(petition, name)]
    if missing and not petition.answered_at_session:
        errors["__all__"] = _("Chưa đủ “5 rõ”: hãy giao người, việc, thời hạn và đơn vị chịu trách nhiệm trước.")
    if errors:
        raise ValidationError(errors)
    before = petition.status
    _bump(Petition, petition, expected_version, status=status, result=result.strip(), result_date=result_date)
    _event(petition, actor, PetitionEvent.Kind.CLOSED, before, note)
    return petition


@transaction.atomic
def petition_transfer(*, actor, petition: Petition, to_unit, note: str, expected_version=None) -> Petition:
    """Transfer to the competent level: the receiving unit sees the petition from now on."""
    _require_open(petition)
    if to_unit.pk == petition.unit_id:
        raise ValidationError({"to_unit": _("Không thể chuyển kiến nghị cho chính đơn vị đang giữ.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi lý do chuyển.")})
    before = petition.status
    _bump(
        Petition,
        petition,
        expected_version,
        status=PetitionStatus.TRANSFERRED,
        transferred_to=to_unit,
        responsible_unit=petition.responsible_unit or to_unit.name,
    )
    _event(petition, actor, PetitionEvent.Kind.TRANSFERRED, before, note)
    return petition


@transaction.atomic
def petition_reopen(*, actor, petition: Petition, note: str, expected_version=None) -> Petition:
    if petition.status not in CLOSED_STATUSES:
        raise ValidationError(_("Kiến nghị đang mở."), code="open")
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi lý do mở lại.")})
    before = petition.status
    _bump(Petition, petition, expected_version, status=PetitionStatus.IN_PROGRESS)
    _event(petition, actor, PetitionEvent.Kind.REOPENED, before, note)
    return petition


@transaction.atomic
def reception_create(*, actor, data: dict) -> ReceptionSession:
    return ReceptionSession.objects.create(created_by=actor, **data)


@transaction.atomic
def reception_update(*, actor, reception: ReceptionSession, data: dict) -> ReceptionSession:
    for name, value in data.items():
        setattr(reception, name, value)
    reception._history_user = actor
    reception.save()
    return reception


@transaction.atomic
def reception_case_add(*, actor, reception: ReceptionSession, data: dict):
    from dialogues.models import ReceptionCase

    return ReceptionCase.objects.create(session=reception, **data)
