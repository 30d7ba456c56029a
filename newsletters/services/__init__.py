"""What the newsletter app does: write an issue and its blocks, render it (web, e-mail, text),
send a test to oneself, and send it through the mailing engine (`mailing.services`).

Every change of content goes through here: rich text is sanitised (nh3) and images re-encoded
(Pillow) before anything is stored, and a sent issue is never changed again.

- `issues`: an issue created, changed, given its audience, deleted;
- `blocks`: its blocks;
- `sending`: rendering, the test, the sending.
"""
