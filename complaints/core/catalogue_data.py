"""Reference data from the office's service standards (shared seeds) and sensible defaults."""

from __future__ import annotations

DIVISIONS = [
    ("sekretariat", "Sekretariat"),
    ("perencanaan", "Bidang Perencanaan, Pengembangan Iklim dan Promosi Penanaman Modal"),
    ("perizinan", "Bidang Pelayanan Perizinan dan Non Perizinan"),
    ("pengendalian", "Bidang Pengendalian Pelaksanaan Penanaman Modal"),
    ("pengaduan", "Bidang Pengaduan, Kebijakan dan Pelaporan Layanan"),
    ("data", "Bidang Data dan Sistem Informasi"),
]

COMPLAINT_TYPES = [
    ("waktu", "Waktu penyelesaian", "Completion time"),
    ("persyaratan", "Persyaratan", "Requirements"),
    ("perilaku", "Perilaku petugas", "Staff conduct"),
    ("biaya", "Biaya/pungutan", "Fees/levies"),
    ("informasi", "Informasi", "Information"),
    ("sistem", "Sistem/aplikasi", "System/application"),
    ("sarana", "Sarana dan prasarana", "Facilities"),
    ("lainnya", "Lainnya", "Other"),
]

_COMMON_LEGAL = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik; "
    "Peraturan Walikota Pekanbaru Nomor 169 Tahun 2021 tentang Kedudukan, Susunan Organisasi, "
    "Tugas dan Fungsi Serta Tata Kerja Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
    "Kota Pekanbaru; Peraturan Walikota Pekanbaru Nomor 90 Tahun 2022 tentang Pendelegasian "
    "Wewenang Perizinan dan Non Perizinan Kepada Kepala Dinas Penanaman Modal dan Pelayanan "
    "Terpadu Satu Pintu"
)

_PROCEDURE = (
    "1. Pemohon meminta informasi prosedur dan memasukkan berkas ke loket penerimaan.\n"
    "2. Petugas menerima dan memeriksa berkas; jika tidak lengkap dikembalikan untuk dilengkapi.\n"
    "3. Petugas mencetak blanko surat izin.\n"
    "4. JF Analis Kebijakan Ahli Muda memaraf.\n"
    "5. JF Analis Kebijakan Ahli Madya memaraf.\n"
    "6. Sekretaris memaraf.\n"
    "7. Kepala Dinas menandatangani.\n"
    "8. Petugas memberi nomor surat izin.\n"
    "9. Pemohon menerima surat izin."
)

_HEALTH_REQUIREMENTS = (
    "1. Surat permohonan\n2. Fotokopi KTP\n3. Pas foto 3x4 sebanyak 2 lembar\n"
    "4. Fotokopi ijazah yang dilegalisir basah\n5. Fotokopi STR yang dilegalisir basah\n"
    "6. Surat rekomendasi dari organisasi profesi\n"
    "7. Surat keterangan sehat dari dokter yang memiliki surat izin praktik\n"
    "8. Surat keterangan mempunyai tempat kerja di fasilitas pelayanan kesehatan\n"
    "9. Surat rekomendasi dari Dinas Kesehatan Kota Pekanbaru\n"
    "10. Surat izin asli (bagi perpanjangan)"
)

SERVICES: list[dict] = [
    {
        "code": "sipop",
        "name": "Surat Izin Praktik Ortosis Prostetis",
        "requirements": _HEALTH_REQUIREMENTS,
        "procedure": _PROCEDURE,
        "duration": "2 hari kerja (dengan persyaratan lengkap)",
        "cost": "Tidak berbiaya (gratis)",
        "product": "Surat Izin Praktik Ortosis Prostetis",
        "legal_basis": "Permenkes Nomor 22 Tahun 2013 tentang Pekerjaan dan Praktik Ortotis "
        "Prostetis; " + _COMMON_LEGAL,
    },
    {
        "code": "sikot",
        "name": "Surat Izin Kerja Okupasi Terapis (SIKOT)",
        "requirements": _HEALTH_REQUIREMENTS,
        "procedure": _PROCEDURE,
        "duration": "2 hari kerja (dengan persyaratan lengkap)",
        "cost": "Tidak berbiaya (gratis)",
        "product": "Surat izin kerja okupasi terapis",
        "legal_basis": "Peraturan Menteri Kesehatan Nomor 23 Tahun 2013 tentang Izin Kerja "
        "Okupasi Terapis; Permenkes Nomor 76 Tahun 2014 tentang Standar Pelayanan Terapi "
        "Okupasi; " + _COMMON_LEGAL,
    },
    {
        "code": "sikro",
        "name": "Izin Kerja Refraksionis Optisien (SIKRO)",
        "requirements": _HEALTH_REQUIREMENTS,
        "procedure": _PROCEDURE,
        "duration": "2 hari kerja (dengan persyaratan lengkap)",
        "cost": "Tidak berbiaya (gratis)",
        "product": "Surat izin kerja refraksionis optisien",
        "legal_basis": "Permenkes RI Nomor 19 Tahun 2013 tentang Penyelenggaraan Pekerjaan "
        "Refraksionis Optisien dan Optometris; " + _COMMON_LEGAL,
    },
    {
        "code": "siktg",
        "name": "Surat Izin Kerja Teknisi Gigi (SIKTG)",
        "requirements": _HEALTH_REQUIREMENTS,
        "procedure": (
            "Diproses melalui sistem elektronik SIMPLE dengan tanda tangan elektronik:\n"
            "1. Pemohon memasukkan berkas.\n2. Petugas memeriksa kelengkapan.\n"
            "3. Back office memeriksa di SIMPLE dan meneruskan ke JF Analis Kebijakan.\n"
            "4. Verifikasi dan validasi oleh JF Analis Kebijakan Ahli Muda dan Ahli Madya.\n"
            "5. Paraf Sekretaris dan tanda tangan elektronik Kepala Dinas.\n"
            "6. Pemohon menerima surat izin."
        ),
        "duration": "2 hari kerja (dengan persyaratan lengkap)",
        "cost": "Tidak berbiaya (gratis)",
        "product": "Surat izin kerja teknisi gigi (tanda tangan elektronik)",
        "legal_basis": "Permenkes Nomor 54 Tahun 2012 tentang Penyelenggaraan Pekerjaan "
        "Teknisi Gigi; " + _COMMON_LEGAL,
    },
    {
        "code": "lainnya",
        "name": "Lainnya",
        "requirements": None,
        "procedure": None,
        "duration": None,
        "cost": None,
        "product": None,
        "legal_basis": None,
    },
]
