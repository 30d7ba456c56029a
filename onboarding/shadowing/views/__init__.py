""" "Montre-moi ton job" pages: thin views over `selectors` (reads) and `services` (writes), by subject.

- `catalogue`: the offers, an agent's wish, « Mes demandes »;
- `visit`: one visit's page and the steps taken there, the discretion agreement;
- `queues`: « À décider », the published reports, managers' absences;
- `campaign`: HR's side (campaigns, figures, the agreement's text, making the action known).
"""
