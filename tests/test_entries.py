"""How a chunk is cut into the windows the embedder reads."""

from index.entries import windows


def spans(count: int, size: int = 100) -> list[tuple[int, int]]:
    return [(window[0], window[-1]) for window in windows(list(range(count)), size)]


def test_a_chunk_that_fits_is_one_window():
    assert spans(100) == [(0, 99)]


def test_longer_chunks_are_covered_by_windows_overlapping_by_a_fifth():
    assert spans(260) == [(0, 99), (80, 179), (160, 259)]
    assert spans(150) == [(0, 99), (50, 149)]  # the last window ends flush with the chunk


def test_a_short_tail_joins_the_last_window_rather_than_make_a_near_copy():
    assert spans(101) == [(0, 100)]
    assert spans(181) == [(0, 99), (80, 180)]
    assert all(len(window) <= 140 for window in windows(list(range(1000)), 100))
