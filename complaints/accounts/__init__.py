"""Staff accounts, positions (jabatan), divisions (bidang) and the audit log."""
