"""Permission-aware reads of the reviews, each page's data in a fixed number of queries
(the session page reads frozen snapshots: its count does not grow with measurements).

- `committee`: the reviews, a session, a card in it, the comparison;
- `agents`: one agent's self-assessments, « À faire » groups, proposals, data export;
- `follow_up`: the decisions on the live cards and the follow-ups due.
"""
