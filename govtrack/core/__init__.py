"""Shared pieces every capability uses: audit log, versioned edits, pagination, permissions."""
