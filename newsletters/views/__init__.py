"""The newsletter's pages: the archive and the web version for readers; the editor's pages for
communication, HR and administrators. Thin: parse, call a service or a selector, render.

- `reading`: the archive, an issue's web version and PDF;
- `editing`: the issues to manage, an issue and its blocks;
- `sending`: the e-mail previewed, a test, the sending and its report.
"""
