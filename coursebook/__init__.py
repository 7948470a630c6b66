"""coursebook: one course in Markdown, built into a website, PDF handouts and slide decks."""

__version__ = "0.1.0"
