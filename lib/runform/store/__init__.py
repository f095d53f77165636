"""The only place that knows SQL: connection, migrations and one module per aggregate."""
