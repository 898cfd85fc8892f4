"""Numbered reply letters (surat keluar) rendered as PDF."""
