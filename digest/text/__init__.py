"""Text of a paper: imported TeX cleaned, formulas as MathML, abstracts as safe HTML,
titles in their HTML and plain forms, slugs."""
