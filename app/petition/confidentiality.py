"""The reporter's identity in accusations (检举控告类, XF 30, 46) is confidential by law, whatever a form says.

The forms mark these fields ``x-confidential-when``, but a supervisor may deploy a version whose forms lack
the annotation and migrate running cases onto it: the rule below is applied for the process family in every
version (app.services.reading unions it with the forms'), so no deploy or migration weakens it.

Everything derived from the reporter's identity is confidential too: the duplicate check matches on the
petitioner's identity, so ``duplicate_of``, ``duplicates_dismissed`` and ``is_duplicate`` lead from the
accusation to the same person's other petitions (and their names, ID and phone).
"""
from __future__ import annotations

ACCUSATION = {"category": "accusation"}

IDENTITY = ("petitioner_name", "id_number", "contact_phone", "contact_address")
DERIVED = ("duplicate_of", "duplicates_dismissed", "is_duplicate")
# A review request records who asked: the reporter again (app.petition.reviews).
REQUESTER = ("requester_name", "requester_id_number")

PETITION_FIELDS = tuple((field, ACCUSATION) for field in IDENTITY + DERIVED)
REVIEW_FIELDS = tuple((field, ACCUSATION) for field in IDENTITY + REQUESTER)
