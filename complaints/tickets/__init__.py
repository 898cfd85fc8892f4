"""The complaint, its register (Buku Pengaduan) and its control card (kartu kendali)."""
