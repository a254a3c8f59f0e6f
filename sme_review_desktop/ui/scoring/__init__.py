"""Scoring windows: the expert's grid, the scheme, experts and conflicts, the meeting view."""
