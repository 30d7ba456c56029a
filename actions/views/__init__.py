"""The projet d'administration's pages: thin views over `actions.selectors`, by subject.

- `plan`: the overview, the calendar, a card's page, the exports;
- `my_cards`: « Mes actions », the pilots' in-place updates;
- `card_editing`: a card's form, steps and indicators (HR; pilots for due dates);
- `plan_import`: the import of a plan from a spreadsheet.
"""
