"""Persistence at the edge: SQLAlchemy models, migrations, repositories and the unit of work. Nothing else imports
SQLAlchemy sessions; the rest of the code asks the service layer."""
