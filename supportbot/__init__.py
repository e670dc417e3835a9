"""supportbot: one assistant for orders, invoices, contracts, inventory and requests."""
