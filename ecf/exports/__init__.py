"""Files the product writes for people: the finance workbook. The edge where projections become files."""
