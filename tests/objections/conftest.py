"""Objection fixtures: a published record of the enterprise, and a filed objection on it."""

import datetime as dt

import pytest

from creditrepair.objections import services
from creditrepair.objections.models import Objection


@pytest.fixture
def published_record(make_record, dept_user, enterprise):
    """A general administrative penalty decided about two months ago: published."""
    return make_record(dept_user, enterprise, decided=dt.date.today() - dt.timedelta(days=60))


@pytest.fixture
def file_objection(ent_user):
    def file(record, *, actor=None, grounds="error", statement="罚款金额有误", requested_correction=None) -> Objection:
        return services.objection_file(actor=actor or ent_user, record=record, grounds=grounds,
                                       statement=statement, requested_correction=requested_correction)

    return file


@pytest.fixture
def objection(published_record, file_objection):
    return file_objection(published_record)


@pytest.fixture
def verifying(objection, operator):
    return services.objection_accept(objection, actor=operator)
