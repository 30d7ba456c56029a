"""The staff directory: search, agent pages, trombinoscope, org chart, profiles, HR import.

Part of the core (DESIGN.md): every other app links to agents and units. Each area keeps
its own module in views/, forms/, services/ and selectors/; the HR import is the importer/
package, one module per step.
"""
