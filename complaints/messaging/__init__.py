"""SMS and WhatsApp through Twilio, and the phone and fax call log."""
