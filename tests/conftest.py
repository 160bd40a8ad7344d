import pytest

from tests.factories import GrantFactory, UnitFactory, UserFactory
from units.models import UnitKind


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit and axes counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    """A small tree: a province with two districts, two communes each."""
    province = UnitFactory(name="Tỉnh Thử", kind=UnitKind.PROVINCE, official_type="tinh")
    d1 = UnitFactory(name="Huyện Lạc Sơn", kind=UnitKind.DISTRICT, official_type="huyen", parent=province)
    d2 = UnitFactory(name="Huyện Kim Bôi", kind=UnitKind.DISTRICT, official_type="huyen", parent=province)
    c1 = UnitFactory(name="Thị trấn Vụ Bản", kind=UnitKind.COMMUNE, official_type="thi_tran", parent=d1)
    c2 = UnitFactory(name="Xã Ân Nghĩa", kind=UnitKind.COMMUNE, official_type="xa", parent=d1)
    c3 = UnitFactory(name="Xã Bình Sơn", kind=UnitKind.COMMUNE, official_type="xa", parent=d2)
    return {"province": province, "district_x": d1, "district_y": d2, "commune_a": c1, "commune_b": c2, "commune_c": c3}


@pytest.fixture
def reporter(tree):
    return GrantFactory(user=UserFactory(username="reporter.a"), unit=tree["commune_a"], role="reporter").user


@pytest.fixture
def reviewer(tree):
    return GrantFactory(user=UserFactory(username="reviewer.x"), unit=tree["district_x"], role="reviewer").user


@pytest.fixture
def steering(tree):
    return GrantFactory(user=UserFactory(username="steering.p"), unit=tree["province"], role="steering").user
