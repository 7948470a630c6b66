"""Stage 4, render: one module per output (site, pdf, slides)."""
