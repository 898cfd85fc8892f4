"""The Buku Pengaduan: the register of complaints per month or year, and its exports."""
