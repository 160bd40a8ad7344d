import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from units import demo
from units.models import AGENCY_KINDS, CodeList, Grant, OfficialType, Unit, UnitKind


@pytest.fixture
def seeded(db):
    call_command("seed_demo", force=True)
    return Unit.objects.get(code_list=CodeList.LEGACY, code=demo.DISTRICT_CODE)


@pytest.mark.django_db
def test_lac_son_has_its_24_communes(seeded):
    communes = Unit.objects.filter(parent=seeded, kind=UnitKind.COMMUNE)
    assert communes.count() == 24
    assert communes.filter(official_type=OfficialType.XA).count() == 23
    town = communes.get(official_type=OfficialType.THI_TRAN)
    assert town.name == "Thị trấn Vụ Bản"


@pytest.mark.django_db
def test_agencies_follow_the_article_proportions(seeded):
    subtree = Unit.objects.filter(path__startswith=seeded.path)
    assert subtree.filter(kind=UnitKind.STATE_AGENCY).count() == 70
    assert subtree.filter(kind=UnitKind.PUBLIC_SERVICE).count() == 65
    assert subtree.filter(kind__in=[UnitKind.SOE, UnitKind.ENTERPRISE]).count() == 20
    assert subtree.filter(kind=UnitKind.SOE).exists()
    agencies = subtree.filter(kind__in=AGENCY_KINDS)
    assert agencies.count() == 155
    names = list(agencies.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    # Hung under the district or one of its communes, with local codes.
    assert set(agencies.values_list("parent__kind", flat=True)) == {UnitKind.DISTRICT, UnitKind.COMMUNE}
    assert not agencies.exclude(code_list=CodeList.LOCAL).exists()
    # Small units (no inspection board needed) and units without a union both show up.
    assert agencies.filter(staff_count__lte=7).exists()
    assert agencies.filter(has_union=False).exists()
    assert not agencies.filter(staff_count__isnull=True).exists()


@pytest.mark.django_db
def test_only_enterprises_carry_a_hoa_binh_tax_code(seeded):
    agencies = Unit.objects.filter(path__startswith=seeded.path, kind__in=AGENCY_KINDS)
    codes = list(agencies.filter(kind__in=[UnitKind.SOE, UnitKind.ENTERPRISE]).values_list("tax_code", flat=True))
    assert all(re.fullmatch(r"54\d{8}", code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert not agencies.filter(kind__in=[UnitKind.STATE_AGENCY, UnitKind.PUBLIC_SERVICE]).exclude(tax_code="").exists()


@pytest.mark.django_db
def test_every_commune_has_hamlets(seeded):
    for commune in Unit.objects.filter(parent=seeded, kind=UnitKind.COMMUNE):
        hamlets = Unit.objects.filter(parent=commune, kind=UnitKind.HAMLET)
        names = list(hamlets.values_list("name", flat=True))
        assert len(names) >= 6, commune.name
        assert len(set(names)) == len(names), commune.name
        expected = OfficialType.TO_DAN_PHO if commune.official_type == OfficialType.THI_TRAN else OfficialType.THON
        assert set(hamlets.values_list("official_type", flat=True)) == {expected}
        # path and name_key come from Unit.save().
        assert all(h.path.startswith(commune.path) and h.name_key for h in hamlets)


@pytest.mark.django_db
def test_demo_accounts_have_their_grants(seeded):
    User = get_user_model()
    for username, full_name, role, code, _title in demo.ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.first_name == full_name
        assert Grant.objects.filter(user=user, role=role, unit__code_list=CodeList.LEGACY, unit__code=code).exists()


@pytest.mark.django_db
def test_second_run_creates_nothing(seeded):
    before = Counter(Unit.objects.values_list("kind", flat=True))
    codes = set(Unit.objects.values_list("code_list", "code"))
    call_command("seed_demo", force=True)
    assert Counter(Unit.objects.values_list("kind", flat=True)) == before
    assert set(Unit.objects.values_list("code_list", "code")) == codes
    assert Grant.objects.count() == len(demo.ACCOUNTS)
