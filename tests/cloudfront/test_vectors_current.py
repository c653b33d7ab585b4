"""The checked-in botocore vectors are exactly what botocore produces today."""

from gen_botocore_vectors import OUT, build


def test_checked_in_botocore_vectors_are_current():
    assert OUT.read_text(encoding="ascii") == build()
