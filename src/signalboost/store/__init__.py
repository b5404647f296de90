"""The workspace database (DuckDB): schema, migrations, transactions, queries."""
