from planning.models import Activity


def test_demo_data_loads(demo_data):
    assert Activity.objects.count() == 30
