"""What the handbook writes besides its pages, without Sphinx: the measure catalogue as CSV and XLSX
(``exports``), the council report as PDF (``report``), and byte-stable output (``deterministic``)."""
