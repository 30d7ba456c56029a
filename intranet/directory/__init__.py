"""The staff directory: search, agent pages, trombinoscope, org chart, profiles, HR import.

Part of the core (DESIGN.md): every other app links to agents and units. Each area keeps
its own modules (views_<area>.py, urls_<area>.py); services and selectors stay in
intranet/services.py and intranet/selectors.py style, one module per area when they grow.
"""
