"""The sample council (Northmoor): twelve monthly HR files, a messy month, another system's export and the
council's rules. Shipped with the package so `ecf demo` works from a plain `pip install`."""
