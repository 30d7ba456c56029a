"""What the job-shadowing app does: every change of state goes through here.

Each transition checks the state and the actor (ValidationError / PermissionDenied with a
French message), records a VisitEvent (who, when, for whom), and e-mails the next person
through the outbox (`email_queue`): the scheduling sends an iCal invitation, the signed
discretion agreement goes as a PDF to the visitor and the host.

- `campaigns`: campaigns, offers, managers' absences, the discretion agreement's text;
- `wishes`: a visit from the wish to its acceptance (approval, host, acceptance, refusal);
- `scheduling`: the date (iCal), the signed agreement (PDF), the cancellation;
- `completion`: the visit done, its hot evaluation (surveys), beat's sweep, the year-end questionnaire;
- `reports`: rapports d'étonnement, and the RGPD anonymisation;
- `common`: what the steps share (mail, history, lock, the visit's text).
"""
