"""textfold: the one accent fold shared by the gazetteer, the store's merge keys and the scorer."""

from __future__ import annotations

import pytest

from incidents.text.fold import ascii_fold, fold


@pytest.mark.parametrize("written, folded", [
    ("Sotk", "Sotk"),
    ("Şuşa", "Susa"),
    ("Tərtər", "Terter"),          # schwa: unidecode alone gives "T@rt@r"
    ("ƏLİBƏYLİ", "ELIBEYLI"),
    ("Sumqayıt", "Sumqayit"),      # dotless i
    ("Xoʻjaobod", "Xojaobod"),     # modifier letters ʻ ʼ are apostrophes inside a word
    ("Kelʼbadzhar", "Kelbadzhar"),
    ("Bat’umi", "Batumi"),
    ("Kraków", "Krakow"),
    ("Verin Shorzha", "Verin Shorzha"),
])
def test_ascii_fold_spells_letters_as_english_does(written, folded):
    assert ascii_fold(written) == folded


@pytest.mark.parametrize("a, b", [("Tərtər", "TERTER"), ("Ağdərə", "agdere"), ("Şuşa", "susa")])
def test_fold_compares_spellings(a, b):
    assert fold(a) == fold(b)


def test_folding_never_loads_the_gazetteer():
    import subprocess
    import sys

    code = ("import sys, incidents.store.database, incidents.text.fold; "
            "sys.exit(any(m.startswith('incidents.geo.gazetteer') or m == 'incidents.geo.geoparse' for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
