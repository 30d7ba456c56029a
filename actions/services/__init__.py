"""What the actions app does: load a plan, update cards, their steps and indicators.

Every change of a card goes through these functions, which write its history
(`CardChange`) and mark it as followed up (`updated_at`). Permission checks are the
caller's (views ask `actions.permissions`); these functions trust their caller.

- `plan_loading`: a plan loaded from its data (the bundled JSON, an import);
- `cards`: a card's fields and relations;
- `steps`: a card's steps;
- `indicators`: measurements (by hand, or fed by other modules) and the indicators themselves;
- `history`: the history lines every change writes, the admin's notes, RGPD anonymisation.
"""
