"""Reading and writing the database: queries, numbering, bulk inserts, migrations."""
