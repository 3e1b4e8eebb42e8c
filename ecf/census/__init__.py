"""The annual children's social work workforce census (CSWW): the year's specification as data, the return built
from the monthly snapshots, its checks and the figures the DfE will publish. Pure: no database, files or clock, except
spec.py, which reads the shipped specification files."""
