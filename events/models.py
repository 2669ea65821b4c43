"""Workshops, trainings and launches: built in step 2 (issue #3)."""
