"""The demo dialogues of Lạc Sơn (dialogues/demo.py), checked with plain ORM queries."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from dialogues.models import (
    DialogueSession,
    Petition,
    PetitionEvent,
    PetitionStatus,
    ReceptionCase,
    ReceptionSession,
)
from units import demo as units_demo
from units.models import ENTERPRISE_KINDS, CodeList, Unit, UnitKind

OPEN = [PetitionStatus.NEW, PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS]
DONE = [PetitionStatus.RESOLVED, PetitionStatus.EXPLAINED]


def _seed() -> None:
    call_command("seed_demo", force=True, stdout=StringIO())


@pytest.fixture
def lac_son(db):
    _seed()
    return Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.DISTRICT_CODE)


def _in(unit, prefix=""):
    return {f"{prefix}unit__path__startswith": unit.path}


@pytest.mark.django_db
def test_session_counts_follow_the_district_report(lac_son):
    sessions = DialogueSession.objects.filter(**_in(lac_son))
    by_level = dict(sessions.values_list("level").annotate(n=Count("pk")))
    assert by_level["commune"] == 92
    assert by_level["district"] == 8
    assert by_level["enterprise"] == 1
    assert 3 <= by_level["agency"] <= 10

    assert not sessions.filter(level="commune").exclude(unit__kind=UnitKind.COMMUNE).exists()
    assert set(sessions.filter(level="district").values_list("unit", flat=True)) == {lac_son.pk}
    agency_kinds = [UnitKind.STATE_AGENCY, UnitKind.PUBLIC_SERVICE]
    assert not sessions.filter(level="agency").exclude(unit__kind__in=agency_kinds).exists()
    enterprise = sessions.get(level="enterprise")
    assert enterprise.unit.kind in ENTERPRISE_KINDS
    assert enterprise.employer_reps >= 3
    assert enterprise.employee_reps >= 3
    # Every commune holds its yearly conference: at least three in three years.
    per_commune = sessions.filter(level="commune").values("unit").annotate(n=Count("pk"))
    assert len(per_commune) == 24
    assert min(row["n"] for row in per_commune) >= 3


@pytest.mark.django_db
def test_resolution_rate_is_about_93_percent(lac_son):
    petitions = Petition.objects.filter(session__isnull=False, **_in(lac_son, "session__"))
    total = petitions.count()
    assert total >= 2 * DialogueSession.objects.filter(**_in(lac_son)).count()
    closed = petitions.filter(status__in=DONE).count()
    assert 90 <= 100 * closed / total <= 96
    assert petitions.filter(status=PetitionStatus.TRANSFERRED).exists()
    assert petitions.filter(status__in=OPEN, deadline__lt=timezone.localdate()).exists()
    assert petitions.filter(status__in=OPEN, deadline__gte=timezone.localdate()).exists()


@pytest.mark.django_db
def test_vu_ban_has_open_and_overdue_petitions(lac_son):
    town = Unit.objects.get(code_list=CodeList.LEGACY, code=units_demo.COMMUNE_CODE)
    open_ = Petition.objects.filter(unit=town, status__in=OPEN)
    assert open_.count() >= 2
    assert open_.filter(deadline__lt=timezone.localdate()).exists()
    # Entered by the demo account of the town.
    assert set(open_.values_list("created_by__username", flat=True)) == {"xa.vuban"}


@pytest.mark.django_db
def test_nothing_is_dated_after_today(lac_son):
    today = timezone.localdate()
    sessions = DialogueSession.objects.filter(**_in(lac_son))
    for name in ("held_on", "announced_on", "results_published_on"):
        assert sessions.aggregate(last=Max(name))["last"] <= today, name
    petitions = Petition.objects.filter(**_in(lac_son))
    for name in ("raised_on", "result_date"):
        assert petitions.aggregate(last=Max(name))["last"] <= today, name
    assert ReceptionSession.objects.filter(**_in(lac_son)).aggregate(last=Max("held_on"))["last"] <= today
    assert PetitionEvent.objects.filter(petition__in=petitions).aggregate(last=Max("at"))["last"] <= timezone.now()
    assert not sessions.filter(announced_on__gt=F("held_on")).exists()
    assert not sessions.filter(results_published_on__lt=F("held_on")).exists()


@pytest.mark.django_db
def test_closed_petitions_are_five_clear(lac_son):
    petitions = Petition.objects.filter(**_in(lac_son))
    closed = petitions.filter(status__in=DONE)
    assert closed.exists()
    assert not closed.filter(Q(result="") | Q(result_date__isnull=True)).exists()
    assert not closed.filter(result_date__lt=F("raised_on")).exists()
    missing = Q(assignee_person="") | Q(task="") | Q(deadline__isnull=True) | Q(responsible_unit="")
    assert not closed.filter(answered_at_session=False).filter(missing).exists()
    assert not petitions.filter(status__in=OPEN).filter(missing).exists()
    assert closed.filter(answered_at_session=True).exists()
    assert not petitions.filter(answered_at_session=True).exclude(status=PetitionStatus.EXPLAINED).exists()
    transferred = petitions.filter(status=PetitionStatus.TRANSFERRED)
    assert not transferred.filter(transferred_to__isnull=True).exists()
    # Petitions raised at reception sessions belong to the reception's unit.
    via_reception = petitions.filter(reception__isnull=False)
    assert via_reception.exists()
    assert not via_reception.filter(session__isnull=False).exists()
    assert not via_reception.exclude(unit=F("reception__unit")).exists()
    # Each petition's history starts with its creation and ends in its current status.
    for petition in petitions.prefetch_related("events"):
        events = list(petition.events.all())
        assert events[0].kind == PetitionEvent.Kind.CREATED
        assert events[-1].to_status == petition.status
        assert [e.at for e in events] == sorted(e.at for e in events)


@pytest.mark.django_db
def test_reception_counts_are_consistent(lac_son):
    receptions = ReceptionSession.objects.filter(**_in(lac_son))
    assert receptions.count() > 24 * 36 * 2 * 0.9  # two head sessions a month in every commune
    assert not receptions.filter(persons__lt=F("cases_new") + F("cases_old")).exists()
    assert not receptions.filter(persons__lt=F("delegation_persons")).exists()
    assert not receptions.filter(delegations=0, delegation_persons__gt=0).exists()
    assert receptions.filter(delegations__gt=0).exists()
    detailed = receptions.annotate(n=Count("cases")).filter(n__gt=0)
    assert detailed.exists()
    assert not detailed.exclude(n=F("cases_new") + F("cases_old")).exists()
    assert ReceptionCase.objects.filter(session__in=receptions, is_mass=True).count() == (
        receptions.filter(delegations__gt=0).count()
    )


@pytest.mark.django_db
def test_second_run_creates_nothing(lac_son):
    models = (DialogueSession, Petition, PetitionEvent, ReceptionSession, ReceptionCase)
    before = [m.objects.count() for m in models]
    _seed()
    assert [m.objects.count() for m in models] == before
