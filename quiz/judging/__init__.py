"""Judged contests (DESIGN.md §9): entries, preliminary picks, jury, audience, standings."""
