"""The content app's pages, one module per part: news, pages, the library, the managers' space."""
