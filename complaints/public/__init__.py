"""The public portal: how to complain, the web form, receipt, tracking and rating."""
