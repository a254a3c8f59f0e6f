"""The 概览's charts as matplotlib Figures (no Qt): one module per family of charts, one
catalogue that builds them by key, and each chart's numbers as a table for the PDF."""
