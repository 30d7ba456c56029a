"""What each block shows, as plain dicts the web page, the e-mail, the text part and the PDF share.

A draft computes its team and automatic blocks live (`block_live_data`); sending freezes that
data into `Block.data`, and a sent issue is drawn from it alone (no query per block).
Paths are stored site-relative (`/lettre/…`, `/media/…`) and made absolute when rendered.

- `live_data`: what a draft's team and automatic blocks show, computed live;
- `view`: the blocks and the issue as dicts for one kind of reader;
- `plain_text`: the e-mail's text part.
"""
