"""Across articles: one person, one unit.

The extractors see one document at a time; this package links what they
found over a whole output. :func:`pipeline.linking.link.link_rows` takes every
table's rows and returns them with ``people``, ``units`` and
``cluster_members`` filled, ``officials.person_id`` set and titles split into
one row per recipient; :func:`pipeline.linking.link.link_output` does the same
for an output folder in place, keeping the ids it already holds, so it can be
run again after ``vnie extract --append``.

    provinces.py   the 63 provinces before 1 July 2025 and the 34 after; the article's province
    units.py       a unit's canonical name, kind and province
    recipients.py  a title's recipient cut from its sentence, split into units, people and groups
    people.py      one person_id per real person, by evidence
    link.py        the tables in, the linked tables out
"""
