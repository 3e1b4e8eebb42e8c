"""Turn an HR spreadsheet into typed worker rows plus a report of what is wrong. Importers produce; they never store."""
