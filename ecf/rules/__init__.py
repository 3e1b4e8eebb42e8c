"""The rule files: national rules shipped as dated data in `defaults/`, and a council's own file that adds or
overrides them. This package is the edge where those files are read; `ecf.progression.rules` says what they may hold."""
