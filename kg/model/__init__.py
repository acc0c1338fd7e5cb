"""The data model: plain records and terms, with no third-party imports."""
