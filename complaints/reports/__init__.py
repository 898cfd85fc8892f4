"""The monthly report (Laporan Pengaduan Pelayanan Publik), its review and dashboards."""
