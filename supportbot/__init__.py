"""supportbot: one assistant for orders, invoices, contracts, inventory and requests."""

__version__ = "0.1.0"
"""The release; the package's metadata reads it from here."""
