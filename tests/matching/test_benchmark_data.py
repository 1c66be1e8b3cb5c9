from pathlib import Path

import pytest

from benchmarks.data import load_claims, load_split


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_reads_2020_files_with_header_and_a_quoted_claim_over_two_lines(tmp_path: Path) -> None:
    write(tmp_path / "verified_claims.docs.tsv",
          '\tvclaim\ttitle\n0\t"A ""quoted"" claim\nover two lines."\tTitle 0\n1\tPlain claim.\tTitle 1\n')
    assert load_claims(tmp_path) == [("0", 'A "quoted" claim\nover two lines.', "Title 0"),
                                     ("1", "Plain claim.", "Title 1")]


def test_reads_2022_files_without_header_keeping_quotes_that_are_text(tmp_path: Path) -> None:
    write(tmp_path / "verified_claims.docs.tsv",
          'vclaim-sno-a\t"The Show" predicted "the film."\tHeadline a\n'
          'vclaim-sno-b\tA claim.\tHeadline b\n')
    write(tmp_path / "dev-test" / "tweets.queries.tsv",
          'tweet-sno-7\t"He said ""yes"" today"\ntweet-sno-8\tNo gold claim for this one\n')
    write(tmp_path / "dev-test" / "tweet-vclaim-pairs.qrels",
          "tweet-sno-7\t0\tvclaim-sno-a\t1\ntweet-sno-7\t0\tvclaim-sno-b\t1\n")

    assert [c[1] for c in load_claims(tmp_path)] == ['"The Show" predicted "the film."', "A claim."]
    split = load_split(tmp_path, "dev-test")
    assert split.queries == [("tweet-sno-7", 'He said "yes" today')]
    assert split.qrels == {"tweet-sno-7": {"vclaim-sno-a", "vclaim-sno-b"}}


def test_a_tweet_id_twice_in_one_split_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "dev" / "tweets.queries.tsv", "tweet-sno-1\tfirst\ntweet-sno-1\tsecond\n")
    write(tmp_path / "dev" / "tweet-vclaim-pairs.qrels", "tweet-sno-1\t0\tvclaim-sno-a\t1\n")
    with pytest.raises(ValueError, match="tweet-sno-1 occurs twice"):
        load_split(tmp_path, "dev")
