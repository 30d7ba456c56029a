"""The steering committee's reviews: thin views over `selectors` and `services`, by subject.

- `committee`: the reviews, created, opened, run and closed;
- `cards`: a card in a review, its decision, the comparison, the PDF;
- `pilots`: self-assessments, the follow-up group and its proposals.
"""
