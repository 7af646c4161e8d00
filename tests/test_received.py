"""The reader of received plans keeps its own copy of the CSV guard; it must match the writer's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ldn_titrate.formats.csv_format import neutralise
from ldn_titrate.formats.csv_format import restore as writer_restore
from ldn_titrate.received.table import restore

CELLS = st.text(alphabet=st.sampled_from("'=+-@\t\r\n\0a1 "), max_size=8) | st.text(max_size=8)


@given(CELLS)
def test_restore_undoes_the_writers_guard(text: str) -> None:
    assert restore(neutralise(text)) == text


@given(CELLS)
def test_restore_reads_every_cell_as_the_writers_restore_does(text: str) -> None:
    assert restore(text) == writer_restore(text)
