"""How values look to people, shared by the CLI and the terminal UI: safe text, words for values and headers,
and the table renderer that never splits a number, date or ID."""
