"""The progression engine: where each social worker stands in the early career, what is due, and when they become
an experienced practitioner. Pure like `ecf.domain`: it takes worker facts, the rule book and an as-of date, and reads
no file, database or clock. The rule files themselves are loaded at the edge (`ecf.rules`)."""
