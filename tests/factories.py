"""Factories for the territory, with real 永修县 names and codes and real geometries.

Boxes are given as (west, south, east, north) in WGS-84 degrees near the
county seat (涂埠镇, about 115.82 E, 29.03 N).
"""

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Polygon

from grid.models import Grid
from villages.models import County, Township, Village


def box(west, south, east, north) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, east, north)), srid=4326)


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = "360425"
    name = "永修县"
    boundary = factory.LazyFunction(lambda: box(115.70, 28.90, 115.95, 29.15))


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ("code",)

    county = factory.SubFactory(CountyFactory)
    code = "360425100"
    name = "涂埠镇"
    boundary = factory.LazyFunction(lambda: box(115.75, 28.95, 115.90, 29.10))


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("code",)

    township = factory.SubFactory(TownshipFactory)
    county = factory.SelfAttribute("township.county")
    code = "360425100201"
    name = "兴杨村委会"
    kind = Village.Kind.VILLAGE
    boundary = factory.LazyFunction(lambda: box(115.80, 29.00, 115.85, 29.05))


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    village = factory.SubFactory(VillageFactory)
    township = factory.SelfAttribute("village.township")
    county = factory.SelfAttribute("village.county")
    # Grid numbers have at most three digits; the sequence runs on over the whole session.
    code = factory.Sequence(lambda n: f"360425100201-{n % 999 + 1:02d}")
    name = factory.Sequence(lambda n: f"第{n + 1}网格")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")
