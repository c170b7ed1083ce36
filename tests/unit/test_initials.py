"""Initials as people write their own names (services/initials.py says why each rule)."""

from __future__ import annotations

import pytest

from collab_desktop.services.delivery.participants import printed_name, printed_names
from collab_desktop.services.initials import initials_key


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Welsh: Ll, Ff, Dd and Rh are one letter; ap, ab, ferch mean "son/daughter of".
        ("Siân Llŷr", "S. Ll."),
        ("SIÂN LLŶR", "S. Ll."),
        ("Sia\u0302n Ll\u0177r", "S. Ll."),  # typed with combining accents
        ("Dafydd ap Gruffydd", "D. G."),
        ("Rhys ab Owain", "Rh. O."),
        ("Ffion ferch Rhodri", "Ff. Rh."),
        ("Gwenllian Lloyd-Jones", "G. Ll.-J."),
        ("Gareth Ŵyn Jones", "G. Ŵ. J."),
        ("Chŵyn Thêo", "Ch. Th."),  # Ch and Th whole in a word written in Welsh
        # …but not in English or Vietnamese names, whose owners write C., T., N.
        ("Thomas Charles", "T. C."),
        ("Philip Thompson", "P. T."),
        ("Nguyễn Văn An", "N. V. A."),
        # Irish and Scottish Gaelic
        ("Áine Ní Bhriain", "Á. B."),
        ("Seán Ó Briain", "S. B."),
        ("Mairéad Nic Giolla", "M. G."),
        ("Ewan Mac Donald", "E. D."),
        ("Siobhan O'Brien", "S. O."),
        # Romance, Dutch, German: the particles are not initialled
        ("Pierre de la Cruz", "P. C."),
        ("Ludwig van Beethoven", "L. B."),
        ("Karl-Heinz von der Leyen", "K.-H. L."),
        ("Jeanne d'Arc", "J. A."),
        ("Luca da Silva", "L. S."),
        ("Jean-Paul Sartre", "J.-P. S."),
        # …unless it is the first word, or the last (then it is the name)
        ("Van Morrison", "V. M."),
        ("Anna van", "A. V."),
        # Arabic: the article and bin/ibn are not initialled; in Arabic script too
        ("Ahmed al-Sayed", "A. S."),
        ("Omar El-Masri", "O. M."),
        ("Mohammed bin Rashid", "M. R."),
        ("محمد السيد", "م. س."),
        # Scripts without capitals or spaces: the first character (the family name)
        ("王小明", "王."),
        ("김민준", "김."),
        # Other scripts with capitals, and vowel signs that belong to their letter
        ("Łucja Żak", "Ł. Ż."),
        ("Ștefan Popescu", "Ș. P."),
        ("Дмитрий Иванов", "Д. И."),
        ("রহিম উদ্দিন", "র. উ."),
        # Punctuation and odd spacing
        ("  Peter   (Pete)  Stone ", "P. P. S."),
        ("Madonna", "M."),
    ],
)
def test_initials_follow_how_people_write_their_names(name, expected):
    assert printed_name(name, "initials") == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Siân Llŷr", "Siân Ll."),
        ("Dafydd ap Gruffydd", "Dafydd G."),
        ("Pierre de la Cruz", "Pierre C."),
        ("Ahmed al-Sayed", "Ahmed S."),
        ("Madonna", "Madonna"),
        # One word is the whole of a Chinese name: printing it would print the full name.
        ("王小明", "王."),
    ],
)
def test_first_name_and_initial_follows_the_same_rules(name, expected):
    assert printed_name(name, "first_initial") == expected


def test_a_name_without_letters_prints_a_question_mark():
    assert printed_name("123", "initials") == "?"


def test_welsh_and_english_initials_number_apart():
    # "Ll." and "L." are different initials: no number is needed to tell them apart.
    assert printed_names(["Siân Llŷr", "Sam Lewis"], "initials") == ["S. L.", "S. Ll."]


@pytest.mark.parametrize("typed", ["mb", "MB", "M.B.", "M B", "m. b.", " M.  B "])
def test_initials_typed_in_any_form_give_one_key(typed):
    assert initials_key(typed) == initials_key("M. B.") == "mb"
