"""The REST API at /api/v1: public and staff operations described by one OpenAPI document."""
