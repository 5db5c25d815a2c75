"""Task types: one subpackage each, registered by name (see base.py for the contract)."""
