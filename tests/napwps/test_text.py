import unicodedata

import pytest

from napwps.text import name_sort_key, nfc, sorted_by_name
from tests.factories import OrganisationFactory

# A Vietnamese list: by given name, then family and middle names; Đ after D, tones after the letter.
VIETNAMESE_ORDER = [
    "Nguyễn Văn An",
    "Trần Thị Ánh",
    "Lê Thị Ăn",
    "Phạm Văn Bình",
    "Hoàng Văn Dũng",
    "Vũ Thị Dung",
    "Đặng Văn Đức",
    "Nguyễn Thị Mai",
    "Trần Mai",
    "Bùi Thị Mái",
    "Vũ Văn Mạnh",
    "Lê Thị Ư",
    "Đặng Thị Yến",
]


def test_people_are_ordered_by_given_name_in_the_vietnamese_alphabet():
    shuffled = list(reversed(VIETNAMESE_ORDER[::2])) + VIETNAMESE_ORDER[1::2]
    assert sorted(shuffled, key=name_sort_key) == [
        "Nguyễn Văn An",
        "Trần Thị Ánh",
        "Lê Thị Ăn",
        "Phạm Văn Bình",
        "Vũ Thị Dung",
        "Hoàng Văn Dũng",
        "Đặng Văn Đức",
        "Nguyễn Thị Mai",
        "Trần Mai",
        "Bùi Thị Mái",
        "Vũ Văn Mạnh",
        "Lê Thị Ư",
        "Đặng Thị Yến",
    ]


def test_dang_comes_before_vu_when_given_names_tie():
    assert sorted(["Vũ Anh", "Đặng Anh", "Dương Anh"], key=name_sort_key) == ["Dương Anh", "Đặng Anh", "Vũ Anh"]


def test_decomposed_and_composed_names_sort_alike():
    composed = "Nguyễn Thị Hằng"
    decomposed = unicodedata.normalize("NFD", composed)
    assert name_sort_key(decomposed) == name_sort_key(composed)
    assert sorted_by_name([{"n": "Vũ B"}, {"n": "Lê A"}], name=lambda row: row["n"]) == [{"n": "Lê A"}, {"n": "Vũ B"}]


def test_nfc_leaves_other_values_alone():
    assert nfc(None) is None
    assert nfc(unicodedata.normalize("NFD", "Đà Nẵng")) == "Đà Nẵng"


@pytest.mark.django_db
def test_text_typed_decomposed_is_stored_in_nfc():
    organisation = OrganisationFactory(name_vi=unicodedata.normalize("NFD", "Bộ Công an"))
    organisation.refresh_from_db()
    assert organisation.name_vi == "Bộ Công an"
    assert unicodedata.is_normalized("NFC", organisation.name_vi)
