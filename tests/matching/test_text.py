import pytest

from claimtrack.matching.text import clean_text, fold, split_camel, tokenize


def test_trailer_links_and_handle_removed_but_author_kept():
    tweet = ("Vaccines are safe #VaccinesWork pic.twitter.com/AbC123 https://t.co/xyz "
             "— Jane Doe (@janedoe) January 14, 2020")
    cleaned = clean_text(tweet)
    assert "http" not in cleaned and "pic.twitter" not in cleaned
    assert "@janedoe" not in cleaned and "2020" not in cleaned
    assert "Jane Doe" in cleaned
    assert "Vaccines Work" in cleaned


def test_hashtag_glued_to_url_is_split_from_it():
    assert clean_text("#DefundTheCBChttps://t.co/Cs9") == "Defund The CBC"


def test_split_camel_handles_acronyms_and_digits():
    assert split_camel("COVID19Test") == "COVID 19 Test"
    assert split_camel("ImpeachTrump") == "Impeach Trump"


def test_fold_strips_accents_and_case():
    assert fold("Café ÉCOLE") == "cafe ecole"


def test_tokenize_stems_drops_stop_words_keeps_negation_and_numbers():
    toks = tokenize("The vaccines are NOT causing 5 deaths, 70% said")
    assert toks == ["vaccin", "not", "caus", "5", "death", "70", "percent", "said"]


def test_tokenize_rejects_non_string():
    with pytest.raises(TypeError):
        tokenize(None)
