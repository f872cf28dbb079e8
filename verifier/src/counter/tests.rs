//! Unit tests of the counter page: its guard, its state and the loop answering its requests.
